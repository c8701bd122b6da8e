/** What the user sees when Kura cannot start (plain text; the shell shows it, then exits). */
export const STARTUP_FAILED_TEXT = {
  en: {
    title: 'Kura could not start',
    body: 'Kura stopped while starting: {detail}\n\nOpen Kura again. If this keeps happening, send this message to your administrator.',
  },
  ja: {
    title: 'Kura を起動できませんでした',
    body: 'Kura の起動中に問題が発生しました: {detail}\n\nもう一度 Kura を開いてください。繰り返し起きる場合は、このメッセージを管理者に伝えてください。',
  },
} as const;

export function startupFailure(err: unknown, lang: 'en' | 'ja'): { title: string; body: string } {
  const t = STARTUP_FAILED_TEXT[lang];
  const detail = (err as Error)?.message?.split('\n')[0] || String(err);
  return { title: t.title, body: t.body.replace('{detail}', detail) };
}

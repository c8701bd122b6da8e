/** What the user sees when Kura cannot start (plain text; the shell shows it, then exits). */
import { wordsFor, type Language } from '../i18n';

export function startupFailure(err: unknown, lang: Language): { title: string; body: string } {
  const t = wordsFor(lang).startupFailed;
  const detail = (err as Error)?.message?.split('\n')[0] || String(err);
  return { title: t.title, body: t.body(detail) };
}

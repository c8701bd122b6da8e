/** Asking before quitting while downloads run (plain logic; the shell supplies the dialog). */
export const QUIT_TEXT = {
  en: {
    message: 'Downloads are still running.',
    detail: 'Quit anyway? Unfinished downloads are cancelled and leave no partial files.',
    quit: 'Quit',
    cancel: 'Keep downloading',
  },
  ja: {
    message: 'ダウンロードがまだ実行中です。',
    detail: '終了しますか？完了していないダウンロードは中止され、途中のファイルは残りません。',
    quit: '終了',
    cancel: 'ダウンロードを続ける',
  },
} as const;

/** True when quitting may go ahead: nothing running, or the user confirmed. */
export function mayQuit(runningTransfers: number, confirm: () => boolean): boolean {
  return runningTransfers === 0 || confirm();
}

/** Asking before quitting while downloads run (plain logic; the shell supplies the dialog). */
export const QUIT_TEXT = {
  en: {
    message: 'Downloads are still running.',
    detail:
      'Quit anyway? Unfinished downloads stop now and go on where they left off the next time you open Kura.',
    quit: 'Quit',
    cancel: 'Keep downloading',
  },
  ja: {
    message: 'ダウンロードがまだ実行中です。',
    detail:
      '終了しますか？完了していないダウンロードはいったん停止し、次に Kura を開いたときに続きから再開します。',
    quit: '終了',
    cancel: 'ダウンロードを続ける',
  },
} as const;

/** True when quitting may go ahead: nothing running, or the user confirmed. */
export function mayQuit(runningTransfers: number, confirm: () => boolean): boolean {
  return runningTransfers === 0 || confirm();
}

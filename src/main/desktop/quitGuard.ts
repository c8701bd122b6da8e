/**
 * Quitting (plain logic; the shell supplies the dialog and the app): ask first while downloads
 * run, then stop the transfer queue — its last save — and only then let the app go, so a quit
 * never cuts that save short. The question's words are src/main/i18n's (`quit`).
 */
/** True when quitting may go ahead: nothing running, or the user confirmed. */
export function mayQuit(runningTransfers: number, confirm: () => boolean): boolean {
  return runningTransfers === 0 || confirm();
}

export interface QuitSequenceOptions {
  runningTransfers: () => number;
  /** Asks the user (a modal dialog); true: quit anyway. */
  confirm: () => boolean;
  /** Stops the services and saves what must be saved. */
  shutdown: () => Promise<void>;
  /** Quits the app for real (Electron's app.quit). */
  quit: () => void;
  log?: (message: string) => void;
}

/**
 * What `before-quit` and a window's `close` ask: `request()` answers whether the app may close
 * now. The first request (once confirmed) answers no, shuts down, then calls `quit` — or the
 * action given, such as installing an update — and every request after that answers yes.
 */
export function quitSequence(o: QuitSequenceOptions) {
  let state: 'open' | 'closing' | 'closed' = 'open';
  return {
    get state() {
      return state;
    },
    request(then: () => void = o.quit): boolean {
      if (state === 'closed') return true;
      if (state === 'closing') return false;
      if (!mayQuit(o.runningTransfers(), o.confirm)) return false;
      state = 'closing';
      void o
        .shutdown()
        .catch((err: unknown) => o.log?.(`shutdown failed: ${(err as Error).message}`))
        .finally(() => {
          state = 'closed';
          then();
        });
      return false;
    },
  };
}

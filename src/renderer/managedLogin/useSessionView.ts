import { useEffect, useState } from 'react';
import type { SessionView } from '../../shared/ipc';
import { api } from '../api';

/** Main's session view, kept current by its `session` events (the page's one event stream). */
export function useSessionView(): SessionView | null {
  const [view, setView] = useState<SessionView | null>(null);
  useEffect(() => {
    let live = true;
    const off = api.on('session', setView);
    void api.sessionView().then(
      (v) => live && setView(v),
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, []);
  return view;
}

import { useEffect, useState } from 'react';
import type { UpdateView } from '../../shared/ipc';
import { api } from '../api';

/** The updater's view, kept current by main's `update` events. */
export function useUpdates(): [UpdateView | null, (v: UpdateView) => void] {
  const [view, setView] = useState<UpdateView | null>(null);
  useEffect(() => {
    const off = api.on('update', setView);
    void api.updateStatus().then(setView, () => undefined);
    return off;
  }, []);
  return [view, setView];
}

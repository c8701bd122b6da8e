/**
 * A view main keeps current with events (the updater's, the network's): subscribe, then ask for
 * the view once. An event is newer than any answer asked for before it, so the answer is taken
 * only while no event has come — otherwise a slow first answer ("downloading") would overwrite
 * the event that followed it ("ready") and the window would keep saying the older thing.
 */
import { useEffect, useState } from 'react';
import type { KuraEvents } from '../shared/ipc';
import { api } from './api';
import { followView } from './model/followView';

export function useMainView<E extends keyof KuraEvents>(
  event: E,
  ask: () => Promise<KuraEvents[E]>,
): [KuraEvents[E] | null, (v: KuraEvents[E]) => void] {
  const [view, setView] = useState<KuraEvents[E] | null>(null);
  // `ask` is one of api's methods, fixed for the page's life: only the event decides.
  useEffect(() => followView((l) => api.on(event, l), ask, setView), [event]);
  return [view, setView];
}

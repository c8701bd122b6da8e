import type { UpdateView } from '../../shared/ipc';
import { api } from '../api';
import { useMainView } from '../useMainView';

/** The updater's view, kept current by main's `update` events. */
export function useUpdates(): [UpdateView | null, (v: UpdateView) => void] {
  return useMainView('update', () => api.updateStatus());
}

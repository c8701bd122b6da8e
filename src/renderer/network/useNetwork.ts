import { useMainView } from '../useMainView';
import type { NetworkView } from '../../shared/ipc';
import { api } from '../api';

/** The network's view, kept current by main's `network` events. */
export function useNetwork(): [NetworkView | null, (v: NetworkView) => void] {
  return useMainView('network', () => api.networkStatus());
}

/** Minutes of clock skew to tell, and which way (the servers ahead: this computer is behind). */
export function skewWords(seconds: number): { key: 'clockAhead' | 'clockBehind'; minutes: number } {
  return {
    key: seconds > 0 ? 'clockAhead' : 'clockBehind',
    minutes: Math.round(Math.abs(seconds) / 60),
  };
}

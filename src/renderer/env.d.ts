import type { KuraBridge } from '../shared/ipc';

declare global {
  interface Window {
    /** The preload bridge: the IPC contract and nothing else. */
    readonly kura: KuraBridge;
  }
}

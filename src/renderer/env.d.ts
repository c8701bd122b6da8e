import type { KuraWireBridge } from '../shared/ipc';

declare global {
  interface Window {
    /** The preload bridge: the IPC contract as plain results (src/renderer/api.ts unwraps them). */
    readonly kura: KuraWireBridge;
  }
}

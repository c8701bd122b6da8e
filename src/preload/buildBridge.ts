/**
 * Builds `window.kura` from the contract: one function per method, plus `on` for events.
 * Transport-free (no Electron import), so the Electron preload and the browser transport
 * (e2e harness, demo without Electron) expose exactly the same object.
 */
import type { ErrorView } from '../shared/errors';
import {
  IPC_CHANNEL_PREFIX,
  KURA_API_METHODS,
  type IpcResult,
  type KuraBridge,
} from '../shared/ipc';

/** An error from main: its `view` holds the code and detail the UI turns into words. */
export class KuraRendererError extends Error {
  constructor(readonly view: ErrorView) {
    super(view.code);
  }
}

export function buildBridge(
  invoke: (channel: string, ...args: unknown[]) => Promise<unknown>,
  subscribe: (listener: (message: unknown) => void) => () => void,
): KuraBridge {
  const api: Record<string, unknown> = {};
  for (const method of KURA_API_METHODS) {
    api[method] = async (...args: unknown[]) => {
      const result = (await invoke(
        `${IPC_CHANNEL_PREFIX}${method}`,
        ...args,
      )) as IpcResult<unknown>;
      if (result.ok) return result.value;
      throw new KuraRendererError(result.error);
    };
  }
  api.on = (event: string, listener: (payload: unknown) => void) =>
    subscribe((message) => {
      const m = message as { event?: string; payload?: unknown };
      if (m.event === event) listener(m.payload);
    });
  return Object.freeze(api) as unknown as KuraBridge;
}

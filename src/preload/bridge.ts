/**
 * The preload bridge: exposes `window.kura` — one function per contract method, plus `on` for
 * events — and nothing else: never ipcRenderer, never a generic invoke(channel, …).
 * Results come back as { ok, value | error }; errors are rethrown as KuraRendererError.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { ErrorView } from '../shared/errors';
import {
  IPC_CHANNEL_PREFIX,
  IPC_EVENT_CHANNEL,
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

export function exposeBridge(): void {
  const bridge = buildBridge(
    (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    (listener) => {
      const handler = (_e: unknown, message: unknown) => listener(message);
      ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
      return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    },
  );
  contextBridge.exposeInMainWorld('kura', bridge);
}

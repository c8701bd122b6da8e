/**
 * The Electron preload bridge: exposes `window.kura` — one function per contract method, plus
 * `on` for events — and nothing else: never ipcRenderer, never a generic invoke(channel, …).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT_CHANNEL } from '../shared/ipc';
import { buildBridge } from './buildBridge';

export { buildBridge } from './buildBridge';

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

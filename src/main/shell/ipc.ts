/**
 * Registers one ipcMain handler per contract method (`kura:<method>`) — no other channel exists —
 * and forwards events to the app's window. The dispatcher checks the sender and the arguments.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import {
  IPC_CHANNEL_PREFIX,
  IPC_EVENT_CHANNEL,
  KURA_API_METHODS,
  type KuraEvents,
} from '../../shared/ipc';
import type { Dispatch, SenderInfo } from '../ipc/dispatcher';

export function senderInfo(
  event: IpcMainInvokeEvent,
  appWindows: () => BrowserWindow[],
): SenderInfo {
  const frame = event.senderFrame;
  return {
    frameUrl: frame?.url ?? '',
    isMainFrame: frame !== null && frame === event.sender.mainFrame,
    isAppWindow: appWindows().some((w) => !w.isDestroyed() && w.webContents.id === event.sender.id),
  };
}

export function registerIpc(dispatch: Dispatch, appWindows: () => BrowserWindow[]): () => void {
  for (const method of KURA_API_METHODS) {
    ipcMain.handle(`${IPC_CHANNEL_PREFIX}${method}`, (event, ...args: unknown[]) =>
      dispatch(method, senderInfo(event, appWindows), args),
    );
  }
  return () => {
    for (const method of KURA_API_METHODS) ipcMain.removeHandler(`${IPC_CHANNEL_PREFIX}${method}`);
  };
}

export function sendEvent<E extends keyof KuraEvents>(
  windows: BrowserWindow[],
  event: E,
  payload: KuraEvents[E],
): void {
  for (const w of windows)
    if (!w.isDestroyed()) w.webContents.send(IPC_EVENT_CHANNEL, { event, payload });
}

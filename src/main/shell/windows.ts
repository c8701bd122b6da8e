/**
 * The one factory for BrowserWindows, with the checklist's preferences, and the guards every
 * window gets: no navigation away from the app, no new windows, permissions denied.
 */
import {
  BrowserWindow,
  nativeImage,
  session,
  type BrowserWindowConstructorOptions,
  type NativeImage,
  type WebPreferences,
} from 'electron';
import { guardContents } from './guards';
import type { Rect } from './windowState';

export const SECURE_WEB_PREFERENCES: WebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  webviewTag: false,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  enableBlinkFeatures: '',
  spellcheck: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
};

export function windowOptions(
  preload: string,
  bounds?: Rect | null,
): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 720,
    ...(bounds ?? {}),
    minWidth: 640,
    minHeight: 420,
    show: false,
    title: 'Kura',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload },
  };
}

export function createAppWindow(
  preload: string,
  bounds?: Rect | null,
  maximized = false,
): BrowserWindow {
  const win = new BrowserWindow(windowOptions(preload, bounds));
  // Also applied app-wide (guards.ts); here so the window is guarded whoever creates it.
  guardContents(win.webContents);
  // Shown once drawn, maximized first when it was: maximize() on a hidden window shows it
  // at once, empty, and it flashes.
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });
  return win;
}

/** Permission request and check handlers that deny everything (the app needs none). */
export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** The image under the pointer while dragging files out: a 16×16 page outline (macOS refuses an empty one). */
export function dragIcon(): NativeImage {
  const size = 16;
  const bgra = Buffer.alloc(size * size * 4);
  for (let y = 1; y < 15; y++) {
    for (let x = 3; x < 13; x++) {
      const edge = y === 1 || y === 14 || x === 3 || x === 12;
      const o = (y * size + x) * 4;
      bgra.set(edge ? [0x2a, 0x4b, 0x8a, 0xff] : [0xff, 0xff, 0xff, 0xff], o);
    }
  }
  return nativeImage.createFromBitmap(bgra, { width: size, height: size });
}

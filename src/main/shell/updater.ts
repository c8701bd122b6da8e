/**
 * The Electron binding of the in-app updates: electron-updater's updater for this platform
 * (NSIS, Squirrel.Mac, AppImage or .deb), logging to the console. Everything else — the feed in
 * the organisation's bucket, when to check, waiting for downloads — is UpdateService's. An
 * unpackaged run (development, the _electron tests) has no updater.
 */
import { app } from 'electron';
import electronUpdater from 'electron-updater';
import type { Updater } from '../services/updates/updateService';

export function electronAppUpdater(): Updater | null {
  if (!app.isPackaged) return null;
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = {
    info: (m: unknown) => console.log(`kura updater: ${String(m)}`),
    warn: (m: unknown) => console.warn(`kura updater: ${String(m)}`),
    error: (m: unknown) => console.error(`kura updater: ${String(m)}`),
  };
  return autoUpdater;
}

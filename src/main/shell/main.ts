/**
 * Electron main entry: lifecycle, the app:// protocol, one secure window, IPC, and the core
 * services (the same ones the CLI and the tests use). Everything else lives outside the shell.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, protocol } from 'electron';
import { createKuraApp } from '../app/kuraApp';
import { createDispatcher } from '../ipc/dispatcher';
import { openSecretStore } from '../services/secretStore';
import { registerIpc, sendEvent } from './ipc';
import { APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, rendererFileFor } from './rendererFiles';
import { createAppWindow, denyAllPermissions } from './windows';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// The demo (and tests) keep their state apart from a user's real profiles.
if (process.env.KURA_DATA_DIR) app.setPath('userData', process.env.KURA_DATA_DIR);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const windows: BrowserWindow[] = [];
  app.on('second-instance', () => {
    const w = windows.find((x) => !x.isDestroyed());
    if (w) {
      if (w.isMinimized()) w.restore();
      w.focus();
    }
  });

  void app.whenReady().then(async () => {
    denyAllPermissions();
    const rendererDir = join(__dirname, '../renderer');
    protocol.handle(APP_SCHEME, async (request) => {
      const file = rendererFileFor(request.url, rendererDir);
      if (!file) return new Response('Not found', { status: 404 });
      return new Response(await readFile(file.path), {
        headers: { 'content-type': file.type, 'content-security-policy': CONTENT_SECURITY_POLICY },
      });
    });

    const { store, problem } = await openSecretStore();
    const kura = await createKuraApp({
      dataDir: app.getPath('userData'),
      downloadsDir: app.getPath('downloads'),
      secrets: store,
      keychainProblem: problem,
    });
    registerIpc(
      createDispatcher(kura.api, APP_ORIGIN, (m) => console.warn(`kura: ${m}`)),
      () => windows,
    );
    kura.subscribe((event, payload) => sendEvent(windows, event, payload));
    void kura.restore();

    const win = createAppWindow(join(__dirname, '../preload/index.cjs'));
    windows.push(win);
    await win.loadURL(`${APP_ORIGIN}/index.html`);
  });

  app.on('window-all-closed', () => app.quit());
}

/**
 * Electron main entry: lifecycle, the app:// protocol, one secure window, IPC, and the core
 * services (the same ones the CLI and the tests use). Everything else lives outside the shell.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, protocol, screen } from 'electron';
import { createKuraApp } from '../app/kuraApp';
import { createDispatcher } from '../ipc/dispatcher';
import { openSecretStore } from '../services/secretStore';
import { registerIpc, sendEvent } from './ipc';
import { APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, rendererFileFor } from './rendererFiles';
import { menuTemplate } from './menu';
import { mayQuit, QUIT_TEXT } from './quitGuard';
import { loadWindowState, saveWindowState, visibleBounds } from './windowState';
import { electronDesktop } from './desktop';
import { createAppWindow, denyAllPermissions } from './windows';
import { guardAllWebContents, refuseDebugSwitches } from './guards';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// The demo (and tests) keep their state apart from a user's real profiles.
if (process.env.KURA_DATA_DIR) app.setPath('userData', process.env.KURA_DATA_DIR);

// A packaged app started with --remote-debugging-port or --inspect says why and quits.
const refused = refuseDebugSwitches();
if (!refused) guardAllWebContents();

if (refused || !app.requestSingleInstanceLock()) {
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
      downloadsDir: process.env.KURA_DOWNLOADS_DIR ?? app.getPath('downloads'),
      secrets: store,
      keychainProblem: problem,
      lang: app.getLocale().toLowerCase().startsWith('ja') ? 'ja' : 'en',
      desktop: electronDesktop(() => windows.find((w) => !w.isDestroyed())),
    });
    registerIpc(
      createDispatcher(kura.api, APP_ORIGIN, (m) => console.warn(`kura: ${m}`)),
      () => windows,
    );
    kura.subscribe((event, payload) => sendEvent(windows, event, payload));
    void kura.restore();

    const lang = app.getLocale().toLowerCase().startsWith('ja') ? 'ja' : 'en';
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(lang, process.platform)));

    const statePath = join(app.getPath('userData'), 'window-state.json');
    const saved = loadWindowState(statePath);
    const bounds =
      saved &&
      visibleBounds(
        saved.bounds,
        screen.getAllDisplays().map((d) => d.workArea),
      );
    const win = createAppWindow(join(__dirname, '../preload/index.cjs'), bounds);
    if (bounds && saved?.maximized) win.maximize();
    // Quitting — or closing the window — while downloads run asks first, once.
    let quitting = false;
    const confirmQuit = () => {
      if (quitting) return true;
      const text = QUIT_TEXT[lang];
      const options = {
        type: 'question' as const,
        message: text.message,
        detail: text.detail,
        buttons: [text.quit, text.cancel],
        defaultId: 1,
        cancelId: 1,
      };
      const running = kura.transfers.list().filter((t) => t.state === 'running').length;
      const ok = mayQuit(
        running,
        () =>
          (win.isDestroyed()
            ? dialog.showMessageBoxSync(options)
            : dialog.showMessageBoxSync(win, options)) === 0,
      );
      if (ok) {
        quitting = true;
        // Stopped, not cancelled: the persisted queue resumes them at the next launch.
        void kura.shutdown();
      }
      return ok;
    };
    win.on('close', (event) => {
      if (!confirmQuit()) return event.preventDefault();
      saveWindowState(statePath, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    });
    windows.push(win);
    app.on('before-quit', (event) => {
      if (!confirmQuit()) event.preventDefault();
    });

    await win.loadURL(`${APP_ORIGIN}/index.html`);
  });

  app.on('window-all-closed', () => app.quit());
}

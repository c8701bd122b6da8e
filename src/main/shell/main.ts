/**
 * Electron main entry: lifecycle, the app:// protocol, one secure window, IPC, and the core
 * services (the same ones the CLI and the tests use). Everything else lives outside the shell.
 *
 * Start-up order: the window first, then the keychain probe and the services (a locked keyring
 * may prompt, and the app is on screen by then; calls from the page wait for the services). A
 * failure anywhere in start-up is shown and the process exits, never left running windowless
 * while holding the single-instance lock. Quitting waits for the transfer queue's last save.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, protocol, screen } from 'electron';
import type { KuraApi } from '../../shared/ipc';
import { deferredApi } from '../app/deferredApi';
import { createKuraApp } from '../compose/kuraApp';
import { createDispatcher } from '../ipc/dispatcher';
import { registerIpc, sendEvent } from './ipc';
import {
  APP_ORIGIN,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  rendererFileFor,
} from '../desktop/rendererFiles';
import { menuTemplate } from '../desktop/menu';
import { quitSequence } from '../desktop/quitGuard';
import { decideLanguage, wordsFor } from '../i18n';
import { startupFailure } from './startupFailure';
import { electronAppUpdater } from './updater';
import { loadWindowState, saveWindowState, visibleBounds } from '../desktop/windowState';
import { electronDesktop } from './desktop';
import { electronNetworkOptions, followTheOs } from './network';
import { createAppWindow, denyAllPermissions } from './windows';
import { guardAllWebContents, refuseDebugSwitches } from './guards';

/** electron-builder.yml's appId: Windows attributes notifications and taskbar entries to it. */
export const APP_USER_MODEL_ID = 'dev.kura.desktop';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// The demo (and tests) keep their state apart from a user's real profiles.
if (process.env.KURA_DATA_DIR) app.setPath('userData', process.env.KURA_DATA_DIR);
if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

const language = () => decideLanguage(process.env, app.getLocale());

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

  void app
    .whenReady()
    .then(() => start(windows))
    .catch((err: unknown) => {
      console.error('kura: start-up failed', err);
      const { title, body } = startupFailure(err, app.isReady() ? language() : 'en');
      dialog.showErrorBox(title, body);
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());
}

async function start(windows: BrowserWindow[]) {
  denyAllPermissions();
  const lang = language();
  const rendererDir = join(__dirname, '../renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFileFor(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    return new Response(await readFile(file.path), {
      headers: { 'content-type': file.type, 'content-security-policy': CONTENT_SECURITY_POLICY },
    });
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(lang, process.platform)));

  // IPC answers as soon as the page asks; the calls wait until the services below exist.
  let apiReady: (api: KuraApi) => void = () => undefined;
  let apiFailed: (err: unknown) => void = () => undefined;
  const api = new Promise<KuraApi>((resolve, reject) => {
    apiReady = resolve;
    apiFailed = reject;
  });
  api.catch(() => undefined); // a failure is reported below; calls waiting on it get it too
  registerIpc(
    createDispatcher(deferredApi(api), APP_ORIGIN, (m) => console.warn(`kura: ${m}`)),
    () => windows,
  );

  const statePath = join(app.getPath('userData'), 'window-state.json');
  const saved = loadWindowState(statePath);
  const bounds =
    saved &&
    visibleBounds(
      saved.bounds,
      screen.getAllDisplays().map((d) => d.workArea),
    );
  const win = createAppWindow(
    join(__dirname, '../preload/index.cjs'),
    bounds,
    Boolean(bounds && saved?.maximized),
  );
  windows.push(win);

  let kura: Awaited<ReturnType<typeof createKuraApp>> | undefined;
  // Quitting — or closing the window — while downloads run asks first, once; then the queue
  // stops (the persisted queue resumes at the next launch) before the app goes.
  const quit = quitSequence({
    runningTransfers: () => kura?.transfers.list().filter((t) => t.state === 'running').length ?? 0,
    confirm: () => {
      const text = wordsFor(lang).quit;
      const options = {
        type: 'question' as const,
        message: text.message,
        detail: text.detail,
        buttons: [text.quit, text.cancel],
        defaultId: 1,
        cancelId: 1,
      };
      return (
        (win.isDestroyed()
          ? dialog.showMessageBoxSync(options)
          : dialog.showMessageBoxSync(win, options)) === 0
      );
    },
    shutdown: async () => {
      await kura?.shutdown();
    },
    quit: () => app.quit(),
    log: (m) => console.warn(`kura: ${m}`),
  });
  win.on('close', (event) => {
    if (!quit.request()) return event.preventDefault();
    saveWindowState(statePath, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  });
  app.on('before-quit', (event) => {
    if (!quit.request()) event.preventDefault();
  });
  const loaded = win.loadURL(`${APP_ORIGIN}/index.html`);

  try {
    // The keychain is proven (and the network built over it) by the composition, after the
    // window is up.
    kura = await createKuraApp({
      // Every request main makes goes through it: the OS's proxy (PAC included), trust, clock.
      network: electronNetworkOptions(),
      dataDir: app.getPath('userData'),
      downloadsDir: process.env.KURA_DOWNLOADS_DIR ?? app.getPath('downloads'),
      lang,
      desktop: electronDesktop(() => windows.find((w) => !w.isDestroyed())),
      updater: electronAppUpdater(),
      // "Restart to update": the services stop (and save) first, then the installer takes over.
      restart: (install) => void quit.request(install),
    });
    // Online/offline from the OS, and Chromium's own requests through the same proxy.
    followTheOs(kura.network.network);
  } catch (err) {
    apiFailed(err);
    throw err;
  }
  apiReady(kura.api);
  kura.subscribe((event, payload) => sendEvent(windows, event, payload));
  void kura.restore();
  await loaded;
}

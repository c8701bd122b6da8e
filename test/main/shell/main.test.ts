/**
 * The shell's start-up and quit under a fake `electron` with Electron's shapes (no binary can run
 * here): the window comes before the keychain probe (the composition's), a start-up failure is shown and the process
 * exits, quitting waits for the services' shutdown, and a maximized window is not shown early.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;
const h = vi.hoisted(() => {
  const state = {
    log: [] as string[],
    appListeners: new Map<string, ((...a: unknown[]) => unknown)[]>(),
    windows: [] as {
      listeners: Map<string, ((...a: unknown[]) => unknown)[]>;
      calls: string[];
    }[],
    userData: '',
    errorBox: [] as [string, string][],
    exitCode: undefined as number | undefined,
    quits: 0,
    appUserModelId: undefined as string | undefined,
  };
  return state;
});

vi.mock('electron', () => {
  const on = (map: Map<string, Listener[]>) => (event: string, l: Listener) => {
    map.set(event, [...(map.get(event) ?? []), l]);
  };
  class BrowserWindow {
    private readonly w = { listeners: new Map<string, Listener[]>(), calls: [] as string[] };
    webContents = {
      id: 1,
      on: () => undefined,
      setWindowOpenHandler: () => undefined,
      send: () => undefined,
    };
    constructor() {
      h.windows.push(this.w);
      h.log.push('window');
    }
    on = on(this.w.listeners);
    once = on(this.w.listeners);
    loadURL() {
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    maximize() {
      this.w.calls.push('maximize');
    }
    show() {
      this.w.calls.push('show');
    }
    isMaximized() {
      return false;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 800, height: 600 };
    }
  }
  return {
    app: {
      setPath: () => undefined,
      setAppUserModelId: (id: string) => (h.appUserModelId = id),
      requestSingleInstanceLock: () => true,
      on: on(h.appListeners),
      whenReady: () => Promise.resolve(),
      isReady: () => true,
      getLocale: () => 'ja-JP',
      getPath: (name: string) => (name === 'userData' ? h.userData : tmpdir()),
      quit: () => {
        h.quits++;
      },
      exit: (code: number) => {
        h.exitCode = code;
      },
    },
    BrowserWindow,
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    dialog: {
      showErrorBox: (title: string, body: string) => h.errorBox.push([title, body]),
      showMessageBoxSync: () => 1,
    },
    Menu: { setApplicationMenu: () => undefined, buildFromTemplate: (t: unknown) => t },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
        // The network (#18): the OS's proxy per URL, and Chromium's requests given Kura's.
        resolveProxy: () => Promise.resolve('DIRECT'),
        setProxy: () => Promise.resolve(),
      },
    },
    net: { isOnline: () => true },
    powerMonitor: { on: () => undefined, removeListener: () => undefined },
    ipcMain: { handle: () => undefined, removeHandler: () => undefined },
    shell: { openExternal: () => undefined, showItemInFolder: () => undefined },
    nativeImage: { createFromBitmap: () => ({}) },
    Notification: class {
      static isSupported() {
        return false;
      }
    },
    clipboard: { writeText: () => undefined },
  };
});

let failStart: Error | undefined;
let finishShutdown: () => void = () => undefined;
vi.mock('../../../src/main/compose/kuraApp', () => ({
  // Given no secret store, the composition proves the OS keychain (compose/core.ts).
  createKuraApp: async (o: { secrets?: unknown }) => {
    if (failStart) throw failStart;
    const { Network } = await import('../../../src/main/services/network/network');
    h.log.push(o.secrets === undefined ? 'keychain and services' : 'services');
    return {
      // The shell wires the OS's connectivity and Chromium's proxy to it.
      network: { network: new Network({ env: {} }) },
      api: {},
      transfers: { list: () => [] },
      subscribe: () => () => undefined,
      restore: () => Promise.resolve(),
      shutdown: () =>
        new Promise<void>((resolve) => {
          h.log.push('shutdown');
          finishShutdown = () => {
            h.log.push('saved');
            resolve();
          };
        }),
    };
  },
}));

const realPlatform = process.platform;
beforeEach(() => {
  vi.resetModules();
  h.log = [];
  h.appListeners.clear();
  h.windows = [];
  h.errorBox = [];
  h.exitCode = undefined;
  h.quits = 0;
  h.appUserModelId = undefined;
  h.userData = mkdtempSync(join(tmpdir(), 'kura-shell-'));
  failStart = undefined;
});
afterEach(() => Object.defineProperty(process, 'platform', { value: realPlatform }));

const startMain = async () => {
  await import('../../../src/main/shell/main');
};
const emitApp = (event: string, e: unknown) => {
  for (const l of h.appListeners.get(event) ?? []) l(e);
};

describe('the Electron shell', () => {
  it('opens the window before the services are composed over the proven keychain', async () => {
    await startMain();
    await vi.waitFor(() => expect(h.log).toContain('keychain and services'));
    expect(h.log).toEqual(['window', 'keychain and services']);
  });

  it('attributes notifications to the appId on Windows', async () => {
    Object.defineProperty(process, 'platform', { value: 'win32' });
    await startMain();
    expect(h.appUserModelId).toBe('dev.kura.desktop');
  });

  it('shows a start-up failure in the user language and exits instead of staying windowless', async () => {
    failStart = new Error('EACCES: permission denied, open profiles.json');
    await startMain();
    await vi.waitFor(() => expect(h.exitCode).toBe(1));
    expect(h.errorBox).toEqual([
      [
        'Kura を起動できませんでした',
        expect.stringContaining('EACCES: permission denied, open profiles.json') as string,
      ],
    ]);
  });

  it("quits only after the services' shutdown (the queue's last save) has finished", async () => {
    await startMain();
    await vi.waitFor(() => expect(h.log).toContain('keychain and services'));
    const first = { preventDefault: vi.fn() };
    emitApp('before-quit', first);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(h.log.at(-1)).toBe('shutdown');
    expect(h.quits).toBe(0);
    finishShutdown();
    await vi.waitFor(() => expect(h.quits).toBe(1));
    expect(h.log.slice(-2)).toEqual(['shutdown', 'saved']);
    const again = { preventDefault: vi.fn() };
    emitApp('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('shows a window that was maximized only once drawn, maximized first (no flash)', async () => {
    writeFileSync(
      join(h.userData, 'window-state.json'),
      JSON.stringify({ bounds: { x: 10, y: 10, width: 900, height: 700 }, maximized: true }),
    );
    await startMain();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    const w = h.windows[0]!;
    expect(w.calls).toEqual([]);
    for (const l of w.listeners.get('ready-to-show') ?? []) l();
    expect(w.calls).toEqual(['maximize', 'show']);
  });
});

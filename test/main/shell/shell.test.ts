import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, rendererFileFor } from '../../../src/main/desktop/rendererFiles';

// Electron cannot load under plain Node here: the shell's window module is exercised against
// a fake `electron` with the same shapes (BrowserWindow, webContents events, session handlers).
type Listener = (...args: unknown[]) => void;
const created: {
  options: unknown;
  handlers: Map<string, Listener>;
  openHandler?: (d: { url: string }) => unknown;
}[] = [];
const opened: string[] = [];
let permissionRequest: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
let permissionCheck: (() => boolean) | undefined;
vi.mock('electron', () => {
  class BrowserWindow {
    webContents: unknown;
    constructor(options: unknown) {
      const entry: (typeof created)[number] = { options, handlers: new Map() };
      created.push(entry);
      this.webContents = {
        on: (event: string, l: Listener) => entry.handlers.set(event, l),
        setWindowOpenHandler: (h: (d: { url: string }) => unknown) => (entry.openHandler = h),
      };
    }
    once() {}
  }
  return {
    BrowserWindow,
    ipcMain: { handle: () => undefined, removeHandler: () => undefined },
    nativeImage: {
      createFromBitmap: (buffer: Buffer, size: { width: number; height: number }) => ({
        buffer,
        size,
      }),
    },
    shell: { openExternal: (url: string) => opened.push(url) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof permissionRequest) => (permissionRequest = h),
        setPermissionCheckHandler: (h: typeof permissionCheck) => (permissionCheck = h),
      },
    },
  };
});

describe('app:// protocol files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kura-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'assets', 'app.js'), '');
  const outside = mkdtempSync(join(tmpdir(), 'kura-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync(join(outside, 'secret.txt'), join(dir, 'assets', 'link.js'));

  it('serves the renderer files with their types', () => {
    expect(rendererFileFor('app://kura/', dir)).toMatchObject({
      path: join(dir, 'index.html'),
      type: 'text/html; charset=utf-8',
    });
    expect(rendererFileFor('app://kura/assets/app.js', dir)?.type).toBe(
      'text/javascript; charset=utf-8',
    );
  });

  it.each([
    'app://kura/../secret.txt',
    'app://kura/%2e%2e/%2e%2e/etc/passwd',
    'app://kura/assets/..%2f..%2fsecret.txt',
    'app://kura/assets/link.js',
    'app://other/index.html',
    'file:///etc/passwd',
    'app://kura/index.html%00.js',
    'app://kura/missing.js',
  ])('refuses %s', (url) => {
    expect(rendererFileFor(url, dir)).toBeNull();
  });

  it("has a strict CSP with no 'unsafe-*'", () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });
});

describe('the window factory', () => {
  it('creates windows with every secure preference and the preload', async () => {
    const { createAppWindow } = await import('../../../src/main/shell/windows');
    createAppWindow('/app/out/preload/index.cjs');
    const prefs = (created[0]!.options as { webPreferences: Record<string, unknown> })
      .webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      preload: '/app/out/preload/index.cjs',
    });
  });

  it('blocks navigation away from the app and every new window; opens only allowlisted https links', async () => {
    const { createAppWindow } = await import('../../../src/main/shell/windows');
    createAppWindow('/p');
    const w = created.at(-1)!;
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      w.handlers.get('will-navigate')!(event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('app://kura/index.html')).toBe(false);
    expect(w.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(w.openHandler!({ url: 'https://github.com/kura/help' })).toEqual({ action: 'deny' });
    expect(w.openHandler!({ url: 'http://github.com/' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/kura/help']);
    const attach = { preventDefault: vi.fn() };
    w.handlers.get('will-attach-webview')!(attach);
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  it('denies every permission request and check', async () => {
    const { denyAllPermissions } = await import('../../../src/main/shell/windows');
    denyAllPermissions();
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read'])
      permissionRequest!({}, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect(permissionCheck!()).toBe(false);
  });
});

describe('the drag image', () => {
  it('is a non-empty 16×16 bitmap (macOS refuses an empty drag image)', async () => {
    const { dragIcon } = await import('../../../src/main/shell/windows');
    const icon = dragIcon() as unknown as {
      buffer: Buffer;
      size: { width: number; height: number };
    };
    expect(icon.size).toEqual({ width: 16, height: 16 });
    expect(icon.buffer.length).toBe(16 * 16 * 4);
    expect(icon.buffer.some((b) => b !== 0)).toBe(true);
  });
});

describe('IPC sender information', () => {
  it('marks only the main frame of an app window, with its URL', async () => {
    const { senderInfo } = await import('../../../src/main/shell/ipc');
    const mainFrame = { url: 'app://kura/index.html' };
    const appContents = { id: 7, mainFrame };
    const appWindow = { isDestroyed: () => false, webContents: { id: 7 } };
    const windows = () => [appWindow] as never[];
    // Shapes as in Electron's IpcMainInvokeEvent: sender (WebContents) and senderFrame (WebFrameMain).
    const fromMain = { sender: appContents, senderFrame: mainFrame } as never;
    expect(senderInfo(fromMain, windows)).toEqual({
      frameUrl: 'app://kura/index.html',
      isMainFrame: true,
      isAppWindow: true,
    });
    const subFrame = { url: 'https://ads.example/' };
    expect(
      senderInfo({ sender: appContents, senderFrame: subFrame } as never, windows),
    ).toMatchObject({ isMainFrame: false });
    const other = { id: 9, mainFrame: { url: 'app://kura/index.html' } };
    expect(
      senderInfo({ sender: other, senderFrame: other.mainFrame } as never, windows),
    ).toMatchObject({ isAppWindow: false });
    expect(senderInfo({ sender: appContents, senderFrame: null } as never, windows)).toEqual({
      frameUrl: '',
      isMainFrame: false,
      isAppWindow: true,
    });
  });
});

import { describe, expect, it, vi } from 'vitest';

// Electron cannot load under plain Node here: the guards run against a fake `electron` with
// Electron's shapes (app events and command line, webContents events, dialog, shell).
type Listener = (...args: unknown[]) => void;
const appListeners = new Map<string, Listener>();
const state = { isPackaged: true, switches: [] as string[], exitCode: -1, dialogs: [] as string[] };
const opened: string[] = [];
vi.mock('electron', () => ({
  app: {
    on: (event: string, l: Listener) => appListeners.set(event, l),
    get isPackaged() {
      return state.isPackaged;
    },
    commandLine: { hasSwitch: (name: string) => state.switches.includes(name) },
    exit: (code: number) => (state.exitCode = code),
  },
  dialog: { showErrorBox: (_title: string, text: string) => state.dialogs.push(text) },
  shell: { openExternal: (url: string) => opened.push(url) },
}));

function fakeContents() {
  const handlers = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => unknown) | undefined;
  return {
    contents: {
      on: (event: string, l: Listener) => handlers.set(event, l),
      setWindowOpenHandler: (h: (d: { url: string }) => unknown) => (openHandler = h),
    },
    prevented(event: string, ...args: unknown[]) {
      const e = { preventDefault: vi.fn(), url: args[0] };
      handlers.get(event)!(e, ...args);
      return e.preventDefault.mock.calls.length > 0;
    },
    open: (url: string) => openHandler!({ url }),
  };
}

describe('app-wide guards', () => {
  it('holds every webContents the app gets to the window’s rules', async () => {
    const { guardAllWebContents } = await import('../../../src/main/shell/guards');
    guardAllWebContents();
    const c = fakeContents();
    // e.g. a DevTools window, or one a dependency opens: not made by windows.ts.
    appListeners.get('web-contents-created')!({}, c.contents);
    expect(c.prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.prevented('will-navigate', 'app://kura/index.html')).toBe(false);
    expect(c.prevented('will-frame-navigate', 'https://evil.example/frame')).toBe(true);
    expect(c.prevented('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(c.prevented('will-attach-webview')).toBe(true);
    expect(c.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(c.open('https://github.com/kura')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/kura']);
  });
});

describe('debugging switches', () => {
  it.each<[string[], string[], string | undefined]>([
    [['kura', '--remote-debugging-port=9222'], [], 'remote-debugging-port'],
    [['kura', '--remote-debugging-pipe'], [], 'remote-debugging-pipe'],
    [['kura', '--inspect'], [], 'inspect'],
    [['kura', '--inspect-brk=0'], [], 'inspect-brk'],
    [['kura'], ['remote-debugging-port'], 'remote-debugging-port'],
    [['kura', '--lang=ja', '--inspector-mode'], [], undefined],
    [['kura', 'app://kura/'], [], undefined],
  ])('%j (switches %j) → %s', async (argv, switches, found) => {
    const { debugSwitch } = await import('../../../src/main/shell/guards');
    expect(debugSwitch(argv, (s) => switches.includes(s))).toBe(found);
  });

  it('the packaged app refuses to start with one, saying why in English and Japanese', async () => {
    const { refuseDebugSwitches } = await import('../../../src/main/shell/guards');
    state.switches = ['remote-debugging-port'];
    state.isPackaged = false;
    expect(refuseDebugSwitches()).toBe(false); // development builds may be debugged
    state.isPackaged = true;
    expect(refuseDebugSwitches()).toBe(true);
    expect(state.exitCode).toBe(1);
    expect(state.dialogs[0]).toContain('--remote-debugging-port');
    expect(state.dialogs[0]).toContain('起動しません');
    state.switches = [];
    state.exitCode = -1;
    expect(refuseDebugSwitches()).toBe(false);
    expect(state.exitCode).toBe(-1);
  });
});

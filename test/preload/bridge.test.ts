import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, KURA_API_METHODS } from '../../src/shared/ipc';

// Electron cannot load under plain Node (no binary here): the preload is tested against a fake
// `electron` module shaped like Electron's own contextBridge and ipcRenderer types.
const exposed: Record<string, unknown> = {};
const invoke = vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>();
const listeners = new Map<string, (event: unknown, message: unknown) => void>();
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      exposed[key] = api;
    },
  },
  ipcRenderer: {
    invoke: (channel: string, ...args: unknown[]) => invoke(channel, ...args),
    on: (channel: string, l: (event: unknown, message: unknown) => void) =>
      listeners.set(channel, l),
    removeListener: (channel: string) => listeners.delete(channel),
  },
}));

beforeEach(() => invoke.mockReset());

describe('preload bridge', () => {
  it('exposes exactly the contract methods and `on` — no ipcRenderer, no generic invoke', async () => {
    await import('../../src/preload/index');
    const kura = exposed.kura as Record<string, unknown>;
    expect(Object.keys(exposed)).toEqual(['kura']);
    expect(Object.keys(kura).sort()).toEqual([...KURA_API_METHODS, 'on'].sort());
    expect(Object.isFrozen(kura)).toBe(true);
    for (const v of Object.values(kura)) expect(typeof v).toBe('function');
  });

  it('calls one channel per method and unwraps results and errors', async () => {
    await import('../../src/preload/index');
    const kura = exposed.kura as {
      listFolder: (...a: unknown[]) => Promise<unknown>;
      signIn: (...a: unknown[]) => Promise<unknown>;
    };
    invoke.mockResolvedValueOnce({ ok: true, value: { files: [] } });
    await expect(kura.listFolder('b', 'p/')).resolves.toEqual({ files: [] });
    expect(invoke).toHaveBeenCalledWith('kura:listFolder', 'b', 'p/');
    invoke.mockResolvedValueOnce({ ok: false, error: { code: 'WRONG_CREDENTIALS' } });
    await expect(kura.signIn('a', 'b')).rejects.toMatchObject({
      view: { code: 'WRONG_CREDENTIALS' },
    });
  });

  it('delivers only the events a listener asked for', async () => {
    await import('../../src/preload/index');
    const kura = exposed.kura as { on: (e: string, l: (p: unknown) => void) => () => void };
    const got: unknown[] = [];
    const off = kura.on('session', (p) => got.push(p));
    const deliver = listeners.get(IPC_EVENT_CHANNEL)!;
    deliver({}, { event: 'transfer', payload: 1 });
    deliver({}, { event: 'session', payload: 2 });
    expect(got).toEqual([2]);
    off();
    expect(listeners.has(IPC_EVENT_CHANNEL)).toBe(false);
  });
});

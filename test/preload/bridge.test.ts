import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  IPC_EVENT_CHANNEL,
  KURA_API_METHODS,
  type KuraBridge,
  type KuraWireBridge,
} from '../../src/shared/ipc';

/**
 * What Electron's contextBridge does to a value crossing between the isolated world and the
 * page (docs/api/context-bridge.md, "Parameter / Error / Return Type support"): functions are
 * proxied (their arguments and results cross too), promises are proxied, an Error is copied as
 * a plain `Error(message)` — anything else on it, a `view` included, is lost — objects and
 * arrays are copied without their prototype (own enumerable string keys only, symbols
 * dropped), cloneable types are structured-cloned, and the exposed API is frozen.
 */
function copyError(err: unknown): Error {
  return new Error(err instanceof Error ? err.message : String(err));
}

function crossWorld(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value !== 'function') return typeof value === 'symbol' ? undefined : value;
    const fn = value as (...a: unknown[]) => unknown;
    return (...args: unknown[]) => {
      let result: unknown;
      try {
        result = fn(...args.map(crossWorld));
      } catch (err) {
        throw copyError(err);
      }
      return crossWorld(result);
    };
  }
  if (value instanceof Error) return copyError(value);
  if (typeof (value as { then?: unknown }).then === 'function') {
    return (value as Promise<unknown>).then(crossWorld, (e: unknown) => {
      throw copyError(e);
    });
  }
  if (Array.isArray(value)) return value.map(crossWorld);
  if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
    return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(value)) copy[k] = crossWorld((value as Record<string, unknown>)[k]);
  return copy;
}

// Electron cannot load under plain Node (no binary here): the preload is tested against a fake
// `electron` module shaped like Electron's own contextBridge and ipcRenderer, copying values as
// the real contextBridge does.
const exposed: Record<string, unknown> = {};
const invoke = vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>();
const listeners = new Map<string, (event: unknown, message: unknown) => void>();
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      exposed[key] = Object.freeze(crossWorld(api));
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

/** The page's side: window.kura as exposed, and the renderer's api module over it. */
async function page() {
  await import('../../src/preload/index');
  vi.stubGlobal('window', { kura: exposed.kura });
  // The renderer's own module (typed for the DOM, so loaded by a path the Node project does
  // not type-check): the one place that reads window.kura.
  const apiModule = '../../src/renderer/api';
  const { api } = (await import(/* @vite-ignore */ apiModule)) as { api: KuraBridge };
  const { describeError } = await import('../../src/renderer/errors');
  return { kura: exposed.kura as KuraWireBridge, api, describeError };
}

describe('the fake contextBridge copies as Electron does', () => {
  it('reduces a thrown error to its message and drops its fields', async () => {
    const e = Object.assign(new TypeError('boom'), { view: { code: 'X' } });
    const crossed = crossWorld(() => Promise.reject(e)) as () => Promise<unknown>;
    const got = await crossed().catch((x: unknown) => x);
    expect(got).toBeInstanceOf(Error);
    expect(got).not.toBeInstanceOf(TypeError);
    expect(got).toMatchObject({ message: 'boom' });
    expect((got as { view?: unknown }).view).toBeUndefined();
    class Shape {
      a = 1;
      get b() {
        return 2;
      }
    }
    expect(Object.getPrototypeOf(crossWorld(new Shape()))).toBe(Object.prototype);
  });
});

describe('preload bridge', () => {
  it('exposes exactly the contract methods and `on` — no ipcRenderer, no generic invoke', async () => {
    const { kura } = await page();
    expect(Object.keys(exposed)).toEqual(['kura']);
    expect(Object.keys(kura).sort()).toEqual([...KURA_API_METHODS, 'on'].sort());
    expect(Object.isFrozen(kura)).toBe(true);
    for (const v of Object.values(kura)) expect(typeof v).toBe('function');
  });

  it('answers with plain results across the bridge, calling one channel per method', async () => {
    const { kura } = await page();
    invoke.mockResolvedValueOnce({ ok: true, value: { files: [] } });
    await expect(kura.listFolder('b', 'p/')).resolves.toEqual({ ok: true, value: { files: [] } });
    expect(invoke).toHaveBeenCalledWith('kura:listFolder', 'b', 'p/');
    invoke.mockRejectedValueOnce(new Error('No handler registered for kura:signIn'));
    await expect(kura.signIn('a', 'b')).resolves.toEqual({
      ok: false,
      error: { code: 'UNKNOWN', detail: 'No handler registered for kura:signIn' },
    });
  });

  it('lets the page put an error from main into words (English and Japanese)', async () => {
    const { api, describeError } = await page();
    invoke.mockResolvedValueOnce({ ok: false, error: { code: 'WRONG_CREDENTIALS' } });
    const err = await api.signIn('a@example.com', 'nope').catch((e: unknown) => e);
    expect(describeError(err, 'en')).toBe(
      'The email or password is not correct. Check both and try again.',
    );
    expect(describeError(err, 'ja')).toBe(
      'メールアドレスまたはパスワードが正しくありません。確認してもう一度お試しください。',
    );
    // What is wrong crosses as problems (codes), worded on the page in either language; a
    // problem that is not plain strings does not cross.
    invoke.mockResolvedValueOnce({
      ok: false,
      error: {
        code: 'PROFILE_INVALID',
        detail: 'region must be an AWS region such as ap-northeast-1',
        problems: [
          { field: 'region', problem: 'format', message: 'must be an AWS region' },
          { field: 'name', problem: 'missing', extra: { toString: 1 } },
          { field: 'version', problem: 42 },
          'not a problem',
        ],
      },
    });
    const bad = await api.profileImport('{}').catch((e: unknown) => e);
    expect(describeError(bad, 'en')).toBe(
      'The connection profile is not valid: region must be an AWS region such as ap-northeast-1; name is missing',
    );
    expect(describeError(bad, 'ja')).toBe(
      '接続プロファイルが正しくありません: region: ap-northeast-1 のような AWS リージョンを指定してください、name がありません',
    );
    expect((bad as { view: unknown }).view).toEqual({
      code: 'PROFILE_INVALID',
      detail: 'region must be an AWS region such as ap-northeast-1',
      problems: [
        { field: 'region', problem: 'format', message: 'must be an AWS region' },
        { field: 'name', problem: 'missing' },
      ],
    });
    invoke.mockResolvedValueOnce({ ok: true, value: [] });
    await expect(api.profileList()).resolves.toEqual([]);
  });

  it('delivers only the events a listener asked for', async () => {
    const { api } = await page();
    const got: unknown[] = [];
    const off = api.on('session', (p) => got.push(p));
    const deliver = listeners.get(IPC_EVENT_CHANNEL)!;
    deliver({}, { event: 'transfer', payload: 1 });
    deliver({}, { event: 'session', payload: { status: 'signedOut' } });
    expect(got).toEqual([{ status: 'signedOut' }]);
    off();
    expect(listeners.has(IPC_EVENT_CHANNEL)).toBe(false);
  });
});

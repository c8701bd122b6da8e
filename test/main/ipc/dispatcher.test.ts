import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../local-aws/server';
import { createKuraApp } from '../../../src/main/compose/kuraApp';
import type { RendererApi } from '../../../src/main/app/rendererApi';
import { recordingDesktop } from '../../../src/main/browserTransport/desktop';
import {
  createDispatcher,
  isTrustedSender,
  type SenderInfo,
} from '../../../src/main/ipc/dispatcher';
import { MemorySecretStore } from '../../../src/main/services/secretStore';
import type { TransferQueue } from '../../../src/main/services/transfers/queue';
import { errorMessage } from '../../../src/shared/errors';
import { KURA_API_METHODS, type KuraApi, type TransferView } from '../../../src/shared/ipc';
import { createConfirmedUser, startTestAws } from '../../helpers/localAws';
import { tempDir } from '../../helpers/kura';

const ORIGIN = 'app://kura';
const trusted: SenderInfo = {
  frameUrl: 'app://kura/index.html',
  isMainFrame: true,
  isAppWindow: true,
};
let aws: LocalAws;
let api: RendererApi;
let transfers: TransferQueue;
let downloads: string;
const calls: string[] = [];
const drags: string[][] = [];

beforeAll(async () => {
  aws = await startTestAws({ bucket: 'kura-demo' });
  createConfirmedUser(aws, 'ipc@example.com', 'Correct-Horse-9');
  await aws.store.put('kura-demo', 'docs/a.txt', Readable.from([Buffer.from('bytes of a')]));
  downloads = tempDir('kura-downloads-');
  const desktop = recordingDesktop(downloads);
  desktop.drags = drags;
  const kura = await createKuraApp({
    dataDir: tempDir('kura-data-'),
    downloadsDir: downloads,
    secrets: new MemorySecretStore(),
    desktop,
  });
  kura.core.profiles.add(aws.profile);
  ({ api, transfers } = kura);
});
afterAll(() => aws.stop());

/** The real API, with every call that reaches it recorded. */
const recorded = () =>
  new Proxy(api, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return Reflect.apply(v as (...a: unknown[]) => unknown, target, args);
      };
    },
  }) as KuraApi;

describe('IPC dispatcher', () => {
  it('rejects bad arguments before any service runs', async () => {
    const dispatch = createDispatcher(recorded(), ORIGIN);
    calls.length = 0;
    const cases: [string, unknown[]][] = [
      ['listFolder', ['Not_A_Bucket!', '']],
      ['listFolder', ['kura-demo', 42]],
      ['download', ['kura-demo', '']],
      ['download', ['kura-demo', 'x'.repeat(1025)]],
      ['signIn', ['ipc@example.com']],
      ['cancelTransfer', ['../../etc/passwd']],
      ['signOut', ['yes']],
      ['profileImport', ['x'.repeat(70_000)]],
    ];
    for (const [method, args] of cases) {
      const r = await dispatch(method, trusted, args);
      expect(r, `${method} ${JSON.stringify(args).slice(0, 40)}`).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT' },
      });
    }
    expect(calls).toEqual([]);
  });

  it('refuses unknown methods and untrusted senders', async () => {
    const dispatch = createDispatcher(recorded(), ORIGIN);
    calls.length = 0;
    expect(await dispatch('putObject', trusted, ['kura-demo', 'x'])).toMatchObject({ ok: false });
    expect(await dispatch('constructor', trusted, [])).toMatchObject({ ok: false });
    for (const sender of [
      { ...trusted, frameUrl: 'https://evil.example/' },
      { ...trusted, isMainFrame: false },
      { ...trusted, isAppWindow: false },
      { ...trusted, frameUrl: 'not a url' },
    ]) {
      expect(await dispatch('sessionView', sender, [])).toEqual({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', detail: 'untrusted sender' },
      });
    }
    expect(calls).toEqual([]);
    expect(isTrustedSender(trusted, ORIGIN)).toBe(true);
  });

  it('signs in, lists and downloads through the contract; views carry no token and no path', async () => {
    const dispatch = createDispatcher(api, ORIGIN);
    const events: TransferView[] = [];
    transfers.onChange((v) => events.push(v));
    const signedIn = await dispatch('signIn', trusted, ['ipc@example.com', 'Correct-Horse-9']);
    expect(signedIn).toMatchObject({
      ok: true,
      value: { status: 'signedIn', email: 'ipc@example.com' },
    });
    const page = await dispatch('listFolder', trusted, ['kura-demo', 'docs/']);
    expect(page).toMatchObject({
      ok: true,
      value: { files: [{ key: 'docs/a.txt', name: 'a.txt', size: 10 }] },
    });
    const started = await dispatch('download', trusted, ['kura-demo', 'docs/a.txt']);
    expect(started).toMatchObject({ ok: true, value: { state: 'running', name: 'a.txt' } });
    await expect.poll(() => events.at(-1)?.state).toBe('done');
    expect(readFileSync(join(downloads, 'a.txt'), 'utf8')).toBe('bytes of a');
    const everything = JSON.stringify([
      signedIn,
      page,
      started,
      events,
      await dispatch('transfers', trusted, []),
    ]);
    expect(everything).not.toContain(downloads);
    expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+|ASIA[A-Z0-9]{16}/);
  });

  it('turns service failures into error views', async () => {
    const dispatch = createDispatcher(api, ORIGIN);
    expect(await dispatch('listFolder', trusted, ['kura-other', ''])).toMatchObject({
      ok: false,
      error: { code: 'ACCESS_DENIED' },
    });
    expect(await dispatch('profileImport', trusted, ['{"version":1}'])).toMatchObject({
      ok: false,
      error: { code: 'PROFILE_INVALID' },
    });
  });

  it('words what a person mistyped, and never shows a schema path', async () => {
    const dispatch = createDispatcher(recorded(), ORIGIN);
    calls.length = 0;
    const refused = async (method: string, args: unknown[]) => {
      const r = await dispatch(method, trusted, args);
      if (r.ok) throw new Error(`${method} was accepted`);
      return r.error;
    };
    expect(await refused('answerMfa', ['12ab'])).toEqual({ code: 'CODE_FORMAT' });
    expect(await refused('confirmForgotPassword', ['a@example.com', '12', 'Pw-1'])).toEqual({
      code: 'CODE_FORMAT',
    });
    expect(await refused('signIn', ['a@example.com', ''])).toEqual({ code: 'PASSWORD_FORMAT' });
    expect(await refused('forgotPassword', ['x'])).toEqual({ code: 'EMAIL_FORMAT' });
    // Anything else is the app's own fault: its words carry no path and no schema text.
    const internal = await refused('listFolder', ['kura-demo', 42]);
    expect(internal.code).toBe('INVALID_ARGUMENT');
    for (const lang of ['en', 'ja'] as const) {
      for (const e of [internal, await refused('answerMfa', ['12ab'])]) {
        expect(errorMessage(e, lang)).not.toMatch(/\d+:|expected|digits are|arguments/);
      }
    }
    expect(errorMessage({ code: 'CODE_FORMAT' }, 'ja')).toBe(
      'コードは 6〜8 桁の数字で、空白を入れずに入力してください。',
    );
    expect(calls).toEqual([]);
  });

  it('has a schema for exactly the contract methods', async () => {
    const { argumentSchemas } = await import('../../../src/main/ipc/argumentSchemas');
    expect(Object.keys(argumentSchemas).sort()).toEqual([...KURA_API_METHODS].sort());
  });
});

/**
 * What the window asks of main beyond reading S3 (issue #11 items 3 and 10): calls it can
 * cancel by name — the S3 request itself stops — and its remembered settings, the user's part
 * kept per profile and user. Through the dispatcher (schemas) against local-aws.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../local-aws/server';
import { createKuraApp } from '../../../src/main/compose/kuraApp';
import { recordingDesktop } from '../../../src/main/browserTransport/desktop';
import { createDispatcher, type Dispatch } from '../../../src/main/ipc/dispatcher';
import { MemorySecretStore } from '../../../src/main/services/secretStore';
import { UiSettingsStore } from '../../../src/main/services/uiSettingsStore';
import { DEFAULT_UI_SETTINGS, type UiSettings } from '../../../src/shared/uiSettings';
import { createConfirmedUser, startTestAws } from '../../helpers/localAws';
import { tempDir } from '../../helpers/kura';

const ORIGIN = 'app://kura';
const sender = { frameUrl: 'app://kura/index.html', isMainFrame: true, isAppWindow: true };
let aws: LocalAws;
let dispatch: Dispatch;
let dataDir: string;
const call = (method: string, ...args: unknown[]) => dispatch(method, sender, args);

beforeAll(async () => {
  aws = await startTestAws({ bucket: 'kura-demo' });
  createConfirmedUser(aws, 'w1@example.com', 'Correct-Horse-9');
  createConfirmedUser(aws, 'w2@example.com', 'Correct-Horse-9');
  await aws.store.put('kura-demo', 'docs/a.txt', Readable.from([Buffer.from('a')]));
  dataDir = tempDir('kura-data-');
  const kura = await createKuraApp({
    dataDir,
    downloadsDir: tempDir('kura-downloads-'),
    secrets: new MemorySecretStore(),
    desktop: recordingDesktop(tempDir('kura-downloads-')),
  });
  kura.core.profiles.add(aws.profile);
  dispatch = createDispatcher(kura.api, ORIGIN);
  expect(await call('signIn', 'w1@example.com', 'Correct-Horse-9')).toMatchObject({ ok: true });
});
afterAll(() => aws.stop());

describe('cancellable calls', () => {
  it('a cancelled listing stops its S3 request and answers CANCELLED', async () => {
    // Two minutes of latency: only an aborted request can answer within the test's time.
    aws.faults.clear();
    aws.faults.add({ operation: 'ListObjectsV2', latencyMs: 120_000, times: 1 });
    const slow = call('listFolder', 'kura-demo', 'docs/', null, 'photos-1');
    await expect.poll(() => aws.faults.matched).toBe(1);
    expect(await call('cancelRequest', 'photos-1')).toEqual({ ok: true, value: undefined });
    expect(await slow).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    // The next listing is not affected.
    expect(await call('listFolder', 'kura-demo', 'docs/', null, 'docs-1')).toMatchObject({
      ok: true,
      value: { files: [{ key: 'docs/a.txt' }] },
    });
  });

  it('a cancel that overtakes its call still stops it', async () => {
    expect(await call('cancelRequest', 'early-1')).toMatchObject({ ok: true });
    expect(await call('listFolder', 'kura-demo', 'docs/', null, 'early-1')).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
  });

  it('cancels a search step and a preview the same way', async () => {
    aws.faults.clear();
    aws.faults.add({ operation: 'ListObjectsV2', latencyMs: 120_000, times: 1 });
    const search = call('search', 'kura-demo', '', 'a', null, 'search-1');
    await expect.poll(() => aws.faults.matched).toBe(1);
    await call('cancelRequest', 'search-1');
    expect(await search).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });

    aws.faults.clear();
    aws.faults.add({ operation: 'HeadObject', latencyMs: 120_000, times: 1 });
    const preview = call('preview', 'kura-demo', 'docs/a.txt', 'preview-1');
    await expect.poll(() => aws.faults.matched).toBe(1);
    await call('cancelRequest', 'preview-1');
    expect(await preview).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('refuses request ids that are not short plain names', async () => {
    for (const bad of ['', 'a b', '../x', 'x'.repeat(65), 42]) {
      expect(await call('cancelRequest', bad)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT' },
      });
      expect(await call('listFolder', 'kura-demo', '', null, bad)).toMatchObject({ ok: false });
    }
  });
});

const mine = (over: Partial<UiSettings> = {}): UiSettings => ({
  ...DEFAULT_UI_SETTINGS,
  language: 'ja',
  density: 'comfortable',
  sort: { column: 'size', direction: 'desc' },
  place: { bucket: 'kura-demo', prefix: 'docs/' },
  recent: [{ bucket: 'kura-demo', prefix: 'docs/' }],
  ...over,
});

describe('remembered window settings', () => {
  it('keeps the app part for everyone and the folders per user', async () => {
    expect(await call('saveUiSettings', mine())).toEqual({ ok: true, value: undefined });
    expect(await call('uiSettings')).toEqual({ ok: true, value: mine() });
    // Another user: the app part carries over, the first user's folders do not.
    await call('signOut', false);
    expect(await call('uiSettings')).toEqual({
      ok: true,
      value: { ...mine(), place: undefined, recent: [] },
    });
    expect(await call('signIn', 'w2@example.com', 'Correct-Horse-9')).toMatchObject({ ok: true });
    const theirs = (await call('uiSettings')) as { ok: true; value: UiSettings };
    expect(theirs.value.place).toBeUndefined();
    expect(theirs.value.language).toBe('ja');
    await call('saveUiSettings', mine({ place: { bucket: 'kura-demo', prefix: 'logs/' } }));
    await call('signOut', false);
    expect(await call('signIn', 'w1@example.com', 'Correct-Horse-9')).toMatchObject({ ok: true });
    expect(await call('uiSettings')).toMatchObject({
      ok: true,
      value: { place: { prefix: 'docs/' } },
    });
    // A new process reads the same file.
    const again = new UiSettingsStore(join(dataDir, 'ui-settings.json'));
    expect(again.get(undefined)).toMatchObject({ language: 'ja', density: 'comfortable' });
  });

  it('refuses settings outside their bounds, unknown fields and hostile places', async () => {
    const bad: unknown[] = [
      { ...mine(), extra: 1 },
      { ...mine(), sidebar: { width: 5000, collapsed: false } },
      {
        ...mine(),
        recent: Array.from({ length: 50 }, () => ({ bucket: 'kura-demo', prefix: '' })),
      },
      { ...mine(), place: { bucket: 'Not A Bucket', prefix: '' } },
      { ...mine(), place: { bucket: 'kura-demo', prefix: 'x'.repeat(2000) } },
      {
        ...mine(),
        columns: { ...DEFAULT_UI_SETTINGS.columns, order: ['name', 'name', 'size', 'type'] },
      },
      { ...mine(), language: 'fr' },
    ];
    for (const s of bad)
      expect(await call('saveUiSettings', s)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT' },
      });
  });

  it('a settings file that cannot be read gives the defaults', () => {
    const path = join(tempDir('kura-settings-'), 'ui-settings.json');
    writeFileSync(path, '{ not json');
    expect(new UiSettingsStore(path).get('p/u')).toEqual(DEFAULT_UI_SETTINGS);
    new UiSettingsStore(path).save(mine(), 'p/u');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 1 });
  });
});

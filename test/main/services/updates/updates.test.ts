/**
 * In-app updates against a feed in local-aws's S3, with the real electron-updater (hosted by
 * Node: the .deb flavour, Node's http) and the app composed as for the desktop: a newer version
 * is found, downloaded, verified and offered; a running download holds the restart back; a
 * corrupted download is refused; an unreachable bucket is retried later, quietly; checks can be
 * turned off; and a user of the OwnPrefix policy may read the release folder.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../../local-aws/server';
import { createKuraApp } from '../../../../src/main/compose/kuraApp';
import { recordingDesktop } from '../../../../src/main/browserTransport/desktop';
import { nodeUpdater } from '../../../../src/main/browserTransport/nodeUpdater';
import { MemorySecretStore } from '../../../../src/main/services/secretStore';
import type { UpdateView } from '../../../../src/shared/ipc';
import { publishRelease } from '../../../../src/cli/publishRelease';
import { adminCall, adminS3, createConfirmedUser, startTestAws } from '../../../helpers/localAws';
import { tempDir } from '../../../helpers/kura';
import { makeRelease } from '../../../helpers/release';

const PASSWORD = 'Correct-Horse-9';
const USER = 'u@example.com';
const stacks: LocalAws[] = [];
afterEach(async () => {
  for (const a of stacks.splice(0)) await a.stop();
});

async function stack(policy?: 'own-prefix') {
  const aws = await startTestAws({ bucket: 'kura-files', ...(policy ? { policy } : {}) });
  stacks.push(aws);
  createConfirmedUser(aws, USER, PASSWORD);
  return aws;
}

const publish = (aws: LocalAws, version: string, bytes?: Buffer) =>
  publishRelease(
    makeRelease(tempDir('kura-rel-'), version, { bytes }).dir,
    { bucket: 'kura-files', prefix: 'kura-releases/' },
    adminS3(aws),
  );

/** The app as the shell composes it, with a scheduler the test fires by hand. */
async function app(
  aws: LocalAws,
  o: { dataDir?: string; updates?: string | null; secrets?: MemorySecretStore } = {},
) {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'kura-upd-'));
  const downloadsDir = tempDir('kura-upd-dl-');
  const restarts: (() => void)[] = [];
  const scheduled: { ms: number; run: () => void; cancelled: boolean }[] = [];
  const kura = await createKuraApp({
    dataDir,
    downloadsDir,
    secrets: o.secrets ?? new MemorySecretStore(),
    desktop: recordingDesktop(downloadsDir),
    updater: nodeUpdater({ version: '0.1.0', dir: join(dataDir, 'updater') }),
    restart: (install) => restarts.push(install),
    updateTiming: {
      intervalMs: 4 * 3600_000,
      retryMs: 60_000,
      schedule: (ms, run) => {
        const entry = { ms, run, cancelled: false };
        scheduled.push(entry);
        return () => (entry.cancelled = true);
      },
    },
  });
  const updates = o.updates === undefined ? 's3://kura-files/kura-releases/' : o.updates;
  kura.core.profiles.add({ ...aws.profile, ...(updates ? { updates } : {}) });
  const views: UpdateView[] = [];
  kura.updates.onChange((v) => views.push(v));
  const settled = (status: UpdateView['status']) =>
    new Promise<UpdateView>((resolve) => {
      const off = kura.updates.onChange((v) => {
        if (v.status === status) {
          off();
          resolve(v);
        }
      });
    });
  const pending = () => scheduled.filter((s) => !s.cancelled);
  return { kura, dataDir, downloadsDir, restarts, views, settled, pending };
}

describe('in-app updates (against local-aws)', () => {
  it('finds a newer version when the user signs in, downloads and verifies it, and restarts into it', async () => {
    const aws = await stack();
    const release = randomBytes(300 * 1024);
    await publish(aws, '0.2.0', release);
    const a = await app(aws);
    expect((await a.kura.api.updateStatus()).status).toBe('unavailable'); // signed out
    const ready = a.settled('ready');
    await a.kura.core.active().session.signIn(USER, PASSWORD);
    expect(await ready).toMatchObject({
      status: 'ready',
      version: '0.2.0',
      currentVersion: '0.1.0',
      checks: true,
    });
    expect(a.views.map((v) => v.status)).toEqual(
      expect.arrayContaining(['checking', 'downloading', 'ready']),
    );
    // electron-updater kept the verified installer in its cache.
    const cache = join(a.dataDir, 'updater/cache/kura-updater/pending');
    const installer = readdirSync(cache).find((f) => f.endsWith('.deb'))!;
    expect(readFileSync(join(cache, installer)).equals(release)).toBe(true);

    await a.kura.api.restartToUpdate();
    expect(a.restarts).toHaveLength(1);
    await a.kura.shutdown();
  });

  it('says it is up to date when the bucket holds this version, and looks again in 4 hours', async () => {
    const aws = await stack();
    await publish(aws, '0.1.0');
    const a = await app(aws);
    const upToDate = a.settled('upToDate');
    await a.kura.core.active().session.signIn(USER, PASSWORD);
    expect((await upToDate).checkedAt).toBeGreaterThan(0);
    expect(a.pending().map((s) => s.ms)).toEqual([4 * 3600_000]);
    expect(a.restarts).toEqual([]);
    await a.kura.shutdown();
  });

  it('holds "Restart to update" back while a download runs, and restarts when it finishes', async () => {
    const aws = await stack();
    await publish(aws, '0.2.0');
    await aws.store.put('kura-files', 'big/file.bin', Readable.from([randomBytes(1024 * 1024)]));
    const a = await app(aws);
    const ready = a.settled('ready');
    await a.kura.core.active().session.signIn(USER, PASSWORD);
    await ready;

    await adminCall(aws, 'PUT', 'faults', [
      { operation: 'GetObject', keyPrefix: 'big/', bytesPerSecond: 512 * 1024 },
    ]);
    const transfer = await a.kura.api.download('kura-files', 'big/file.bin');
    await new Promise<void>((resolve) => {
      const off = a.kura.transfers.onChange((v) => {
        if (v.id === transfer.id && v.state === 'running' && v.bytesDone > 0) {
          off();
          resolve();
        }
      });
    });
    const asked = await a.kura.api.restartToUpdate();
    expect(asked).toMatchObject({ status: 'ready', restartPending: true });
    expect(a.restarts).toEqual([]);

    const done = new Promise<void>((resolve) => {
      const off = a.kura.transfers.onChange((v) => {
        if (v.id === transfer.id && v.state === 'done') {
          off();
          resolve();
        }
      });
    });
    await adminCall(aws, 'DELETE', 'faults');
    await done;
    expect(a.restarts).toHaveLength(1);
    expect(existsSync(join(a.downloadsDir, 'file.bin'))).toBe(true);
    await a.kura.shutdown();
  });

  it('refuses an installer whose bytes do not match the feed (electron-updater checks SHA-512)', async () => {
    const aws = await stack();
    const { keys } = await publish(aws, '0.2.0');
    const installerKey = keys.find((k) => k.endsWith('.deb'))!;
    // The bytes are changed on the way (a proxy, a broken mirror): one byte flipped.
    await adminCall(aws, 'PUT', 'faults', [
      { operation: 'GetObject', keyPrefix: installerKey, flipByteAt: 1000 },
    ]);
    const a = await app(aws);
    const failed = a.settled('failed');
    await a.kura.core.active().session.signIn(USER, PASSWORD);
    expect(await failed).toMatchObject({ status: 'failed', error: { code: 'INTEGRITY' } });
    expect(a.views.some((v) => v.status === 'ready')).toBe(false);
    expect((await a.kura.api.restartToUpdate()).status).toBe('failed');
    expect(a.restarts).toEqual([]);
    const pending = join(a.dataDir, 'updater/cache/kura-updater/pending');
    expect(
      existsSync(pending) ? readdirSync(pending).filter((f) => f.endsWith('.deb')) : [],
    ).toEqual([]);
    await a.kura.shutdown();
  });

  it('retries quietly, sooner at first, when the bucket cannot be reached, and goes on once it can', async () => {
    const aws = await stack();
    await publish(aws, '0.2.0');
    // Every connection to the release folder is cut before a byte arrives.
    await adminCall(aws, 'PUT', 'faults', [
      { operation: 'GetObject', keyPrefix: 'kura-releases/', cutAfterBytes: 0 },
    ]);
    const a = await app(aws);
    const failed = a.settled('failed');
    await a.kura.core.active().session.signIn(USER, PASSWORD);
    expect(await failed).toMatchObject({ error: { code: 'NETWORK' } });
    expect(a.pending().map((s) => s.ms)).toEqual([60_000]);
    const again = a.settled('failed');
    a.pending()[0]!.run();
    await again;
    expect(a.pending().map((s) => s.ms)).toEqual([120_000]);

    await adminCall(aws, 'DELETE', 'faults');
    const ready = a.settled('ready');
    a.pending()[0]!.run();
    expect(await ready).toMatchObject({ version: '0.2.0' });
    expect((await a.kura.api.updateStatus()).error).toBeUndefined();
    await a.kura.shutdown();
  });

  it('does not look when checks are turned off, remembers that, and looks again when turned on', async () => {
    const aws = await stack();
    await publish(aws, '0.2.0');
    const secrets = new MemorySecretStore();
    const a = await app(aws, { secrets });
    expect(await a.kura.api.setUpdateChecks(false)).toMatchObject({ checks: false });
    await a.kura.core.active().session.signIn(USER, PASSWORD);
    expect(await a.kura.api.checkForUpdates()).toMatchObject({ checks: false, status: 'idle' });
    expect(a.views.some((v) => v.status === 'checking')).toBe(false);
    expect(a.pending()).toEqual([]);
    await a.kura.shutdown();

    const b = await app(aws, { dataDir: a.dataDir, secrets });
    expect((await b.kura.api.updateStatus()).checks).toBe(false);
    await b.kura.core.active().session.restore();
    const ready = b.settled('ready');
    await b.kura.api.setUpdateChecks(true);
    expect(await ready).toMatchObject({ checks: true, version: '0.2.0' });
    await b.kura.shutdown();
  });

  it('says quietly that nothing is published yet, and looks again later', async () => {
    const aws = await stack();
    const a = await app(aws);
    const failed = a.settled('failed');
    await a.kura.core.active().session.signIn(USER, PASSWORD);
    const view = await failed;
    expect(view.error?.code).toBe('UPDATE_NOT_PUBLISHED');
    expect(view.error?.detail).toMatch(/^latest.*\.yml$/);
    expect(a.pending()).toHaveLength(1);
    await a.kura.shutdown();
  });

  it('is unavailable without a release folder in the profile', async () => {
    const aws = await stack();
    const a = await app(aws, { updates: null });
    await a.kura.core.active().session.signIn(USER, PASSWORD);
    expect(await a.kura.api.checkForUpdates()).toMatchObject({ status: 'unavailable' });
    await a.kura.shutdown();
  });

  it('lets a user of the OwnPrefix policy read the release folder (infra/policies)', async () => {
    const aws = await stack('own-prefix');
    await publish(aws, '0.2.0');
    const a = await app(aws);
    const ready = a.settled('ready');
    await a.kura.core.active().session.signIn(USER, PASSWORD);
    expect(await ready).toMatchObject({ version: '0.2.0' });
    await a.kura.shutdown();
  });
});

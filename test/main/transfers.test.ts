/**
 * The transfer queue as the app composes it (createKuraApp), against local-aws: concurrency and
 * priorities, pause and resume, resuming after a relaunch from the persisted queue, sign-out
 * discarding everything, the download log, "Show in folder" and notifications.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { createKuraApp } from '../../src/main/app/kuraApp';
import { recordingDesktop } from '../../src/main/browserTransport/desktop';
import { MemorySecretStore } from '../../src/main/services/secretStore';
import type { TransferView } from '../../src/shared/ipc';
import { adminCall, createConfirmedUser, startTestAws } from '../helpers/localAws';
import { tempDir } from '../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';
const MiB = 1024 * 1024;
let aws: LocalAws;

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  createConfirmedUser(aws, 'q@example.com', PASSWORD);
});
afterEach(() => adminCall(aws, 'DELETE', 'faults'));
afterAll(() => aws.stop());

const put = async (key: string, body: Buffer) => {
  await aws.store.put(bucket, key, Readable.from([body]));
  return body;
};
const slow = (keyPrefix: string, bytesPerSecond: number) =>
  adminCall(aws, 'PUT', 'faults', [{ operation: 'GetObject', keyPrefix, bytesPerSecond }]);

async function app(
  o: { dataDir?: string; downloadsDir?: string; secrets?: MemorySecretStore } = {},
) {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'kura-q-data-'));
  const downloadsDir = o.downloadsDir ?? tempDir('kura-q-dl-');
  const secrets = o.secrets ?? new MemorySecretStore();
  const desktop = recordingDesktop(downloadsDir);
  const kura = await createKuraApp({
    dataDir,
    downloadsDir,
    secrets,
    desktop,
    notifyAfterMs: 0,
    engine: { partSize: MiB, backoffMs: 20 },
  });
  if (!kura.core.hasProfile) kura.core.profiles.add(aws.profile);
  const events: TransferView[] = [];
  kura.transfers.onChange((v) => events.push(v));
  return { kura, desktop, events, dataDir, downloadsDir, secrets };
}

const stateOf = (events: TransferView[], id: string) => events.filter((e) => e.id === id).at(-1);

describe('transfer queue', () => {
  it('runs four at once in queue order, and a waiting one can be moved to the front', async () => {
    for (let i = 0; i < 6; i++) await put(`q/${i}.bin`, randomBytes(256 * 1024));
    await slow('q/', 512 * 1024);
    const { kura, events } = await app();
    await kura.api.signIn('q@example.com', PASSWORD);
    await expect.poll(() => kura.transfers.list().length, { timeout: 1 }).toBe(0);
    const views = await kura.api.downloadItems(
      bucket,
      [0, 1, 2, 3, 4, 5].map((i) => ({ key: `q/${i}.bin`, kind: 'file' as const })),
      false,
    );
    expect(views.map((v) => v.state)).toEqual([
      'running',
      'running',
      'running',
      'running',
      'queued',
      'queued',
    ]);
    await kura.api.prioritizeTransfer(views[5]!.id);
    await expect
      .poll(() => kura.transfers.list().every((t) => t.state === 'done'), { timeout: 15_000 })
      .toBe(true);
    const startedAt = (id: string) => events.findIndex((e) => e.id === id && e.state === 'running');
    expect(startedAt(views[5]!.id)).toBeLessThan(startedAt(views[4]!.id));
    expect(startedAt(views[4]!.id)).toBeGreaterThan(startedAt(views[3]!.id));
    await expect
      .poll(() => kura.transfers.list().every((t) => t.state === 'done'), { timeout: 15_000 })
      .toBe(true);
  });

  it('pauses (keeping the partial), resumes, and finishes with the right bytes', async () => {
    const body = await put('p/pause.bin', randomBytes(8 * MiB));
    await slow('p/', 2 * MiB);
    const { kura, events, downloadsDir } = await app();
    await kura.api.signIn('q@example.com', PASSWORD);
    const v = await kura.api.download(bucket, 'p/pause.bin');
    // Running, it shows a speed and the time left (measured over a second or more).
    await expect
      .poll(() => stateOf(events, v.id)?.secondsLeft, { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(stateOf(events, v.id)!.speed).toBeGreaterThan(0);
    await kura.api.pauseTransfer(v.id);
    await expect.poll(() => stateOf(events, v.id)?.state).toBe('paused');
    const partials = readdirSync(downloadsDir).filter((f) => f.endsWith('.partial'));
    expect(partials).toHaveLength(1);
    const kept = statSync(join(downloadsDir, partials[0]!)).size;
    expect(kept).toBeGreaterThan(0);
    await adminCall(aws, 'DELETE', 'faults');
    await kura.api.resumeTransfer(v.id);
    await expect.poll(() => stateOf(events, v.id)?.state, { timeout: 15_000 }).toBe('done');
    expect(readFileSync(join(downloadsDir, 'pause.bin')).equals(body)).toBe(true);
    expect(readdirSync(downloadsDir)).toEqual(['pause.bin']);
  });

  it('goes on after a relaunch from the ranges already on disk', async () => {
    const body = await put('r/relaunch.bin', randomBytes(8 * MiB));
    await slow('r/', 2 * MiB);
    const first = await app();
    await first.kura.api.signIn('q@example.com', PASSWORD);
    const v = await first.kura.api.download(bucket, 'r/relaunch.bin');
    await expect
      .poll(() => stateOf(first.events, v.id)?.bytesDone ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(2 * MiB);
    // Quit: the transfer stops but stays in the persisted queue.
    await first.kura.shutdown();
    expect(readdirSync(first.downloadsDir).filter((f) => f.endsWith('.partial'))).toHaveLength(1);
    await adminCall(aws, 'DELETE', 'faults');

    const second = await app({
      dataDir: first.dataDir,
      downloadsDir: first.downloadsDir,
      secrets: first.secrets,
    });
    await second.kura.restore();
    await expect.poll(() => stateOf(second.events, v.id)?.state, { timeout: 15_000 }).toBe('done');
    expect(stateOf(first.events, v.id)?.state).toBe('queued');
    const firstRunning = second.events.find((e) => e.id === v.id && e.bytesDone > 0);
    expect(firstRunning!.bytesDone).toBeGreaterThan(2 * MiB);
    expect(readFileSync(join(first.downloadsDir, 'relaunch.bin')).equals(body)).toBe(true);
    expect(readdirSync(first.downloadsDir)).toEqual(['relaunch.bin']);
  });

  it('signing out stops everything and leaves no partial file and no persisted queue', async () => {
    await put('s/out.bin', randomBytes(8 * MiB));
    await slow('s/', MiB);
    const { kura, events, downloadsDir, dataDir } = await app();
    await kura.api.signIn('q@example.com', PASSWORD);
    const v = await kura.api.download(bucket, 's/out.bin');
    await expect
      .poll(() => stateOf(events, v.id)?.bytesDone ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(() => existsSync(join(dataDir, 'transfers', `${kura.core.active().profileId}.json`)))
      .toBe(true);
    await kura.api.signOut(false);
    expect(stateOf(events, v.id)?.state).toBe('cancelled');
    expect(readdirSync(downloadsDir)).toEqual([]);
    await expect
      .poll(() => existsSync(join(dataDir, 'transfers', `${kura.core.active().profileId}.json`)))
      .toBe(false);
  });

  it('a session revoked mid-transfer stops everything cleanly and leaves no partial file', async () => {
    await put('rv/a.bin', randomBytes(8 * MiB));
    await put('rv/b.bin', randomBytes(24 * MiB));
    await slow('rv/', MiB);
    const { kura, events, downloadsDir, dataDir } = await app();
    await kura.api.signIn('q@example.com', PASSWORD);
    const [a, b] = await kura.api.downloadItems(
      bucket,
      [
        { key: 'rv/a.bin', kind: 'file' },
        { key: 'rv/b.bin', kind: 'file' },
      ],
      false,
    );
    await expect
      .poll(() => readdirSync(downloadsDir).filter((f) => f.endsWith('.partial')).length, {
        timeout: 10_000,
      })
      .toBe(2);
    // The administrator signs the user out everywhere and the credentials run out: the next
    // request needs new ones, the identity pool refuses the revoked session.
    await adminCall(aws, 'POST', 'sign-out', { username: 'q@example.com' });
    await adminCall(aws, 'POST', 'credentials/expire');
    await expect
      .poll(() => kura.core.active().session.view(), { timeout: 15_000 })
      .toMatchObject({ status: 'signedOut', reason: 'expired' });
    await expect
      .poll(() => [stateOf(events, a!.id)?.state, stateOf(events, b!.id)?.state], {
        timeout: 15_000,
      })
      .not.toContain('running');
    await expect.poll(() => readdirSync(downloadsDir), { timeout: 10_000 }).toEqual([]);
    await expect
      .poll(() => existsSync(join(dataDir, 'transfers', `${kura.core.active().profileId}.json`)))
      .toBe(false);
  });

  it('logs verified receipts, exports them, shows files in the folder, and notifies', async () => {
    const body = await put('=cmd.txt', Buffer.from('receipt me'));
    const { kura, events, desktop } = await app();
    await kura.api.signIn('q@example.com', PASSWORD);
    const v = await kura.api.download(bucket, '=cmd.txt');
    await expect.poll(() => stateOf(events, v.id)?.state).toBe('done');
    await expect.poll(async () => (await kura.api.receipts()).length).toBe(1);
    const [r] = await kura.api.receipts();
    expect(r).toMatchObject({ key: '=cmd.txt', name: '=cmd.txt', size: body.length });
    expect(r!.checksum).toMatch(/^CRC64NVME /);
    expect(JSON.stringify(r)).not.toContain(desktop.saved[0] ?? '/tmp/');

    await kura.api.showTransfer(v.id);
    await kura.api.showReceipt(r!.id);
    expect(desktop.revealed).toHaveLength(2);
    expect(desktop.revealed[0]).toBe(desktop.revealed[1]);
    expect(readFileSync(desktop.revealed[0]!).equals(body)).toBe(true);

    expect(await kura.api.exportReceipts('csv')).toBe(true);
    const csv = readFileSync(desktop.saved[0]!, 'utf8');
    // A key a spreadsheet would run as a formula stays text.
    expect(csv).toContain(`,"'=cmd.txt",`);
    expect(await kura.api.exportReceipts('json')).toBe(true);
    expect(JSON.parse(readFileSync(desktop.saved[1]!, 'utf8'))).toHaveLength(1);

    await kura.api.copyS3Uri(bucket, '=cmd.txt');
    expect(desktop.copied).toEqual(['s3://kura-demo/=cmd.txt']);
    expect(desktop.notices).toEqual([{ title: 'Download finished', body: '=cmd.txt' }]);
  });

  it('downloads to a folder the user chooses, and nothing when they cancel the choice', async () => {
    await put('to/x.txt', Buffer.from('chosen'));
    const { kura, events, desktop, downloadsDir } = await app();
    await kura.api.signIn('q@example.com', PASSWORD);
    expect(await kura.api.downloadItems(bucket, [{ key: 'to/x.txt', kind: 'file' }], true)).toEqual(
      [],
    );
    desktop.nextFolder = join(tempDir('kura-chosen-'), 'here');
    const [v] = await kura.api.downloadItems(bucket, [{ key: 'to/', kind: 'folder' }], true);
    await expect.poll(() => stateOf(events, v!.id)?.state).toBe('done');
    expect(readFileSync(join(desktop.nextFolder, 'to', 'x.txt'), 'utf8')).toBe('chosen');
    expect(readdirSync(downloadsDir)).toEqual([]);
  });
});

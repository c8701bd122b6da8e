/**
 * The transfer queue as the app composes it (createKuraApp), against local-aws: concurrency and
 * priorities, pause and resume, resuming after a relaunch from the persisted queue, sign-out
 * discarding everything, the download log, "Show in folder" and notifications.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../../local-aws/server';
import { createKuraApp } from '../../../../src/main/compose/kuraApp';
import { recordingDesktop } from '../../../../src/main/browserTransport/desktop';
import { MemorySecretStore } from '../../../../src/main/services/secretStore';
import type { EngineOptions } from '../../../../src/main/services/download/objectDownload';
import { errorMessage } from '../../../../src/shared/errors';
import type { TransferView } from '../../../../src/shared/ipc';
import { adminCall, createConfirmedUser, startTestAws } from '../../../helpers/localAws';
import { tempDir } from '../../../helpers/kura';

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
  o: {
    dataDir?: string;
    downloadsDir?: string;
    secrets?: MemorySecretStore;
    engine?: Partial<EngineOptions>;
  } = {},
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
    engine: { partSize: MiB, backoffMs: 20, ...o.engine },
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

describe('transfer views that tell the truth (#11)', () => {
  const signedIn = async (o: Parameters<typeof app>[0] = {}) => {
    const a = await app(o);
    await a.kura.api.signIn('q@example.com', PASSWORD);
    return a;
  };
  const faults = (rules: object[]) => adminCall(aws, 'PUT', 'faults', rules);

  it('a file saved under a new name shows that name, in Downloads and in History', async () => {
    const body = await put('n/README.txt', Buffer.from('the new one'));
    const { kura, events, downloadsDir } = await signedIn();
    writeFileSync(join(downloadsDir, 'README.txt'), 'already here');
    const v = await kura.api.download(bucket, 'n/README.txt');
    await expect.poll(() => stateOf(events, v.id)?.state).toBe('done');
    expect(stateOf(events, v.id)).toMatchObject({
      name: 'README.txt',
      savedAs: 'README (1).txt',
      savedIn: basename(downloadsDir),
    });
    expect(readFileSync(join(downloadsDir, 'README (1).txt')).equals(body)).toBe(true);
    expect(readFileSync(join(downloadsDir, 'README.txt'), 'utf8')).toBe('already here');
    await expect.poll(async () => (await kura.api.receipts())[0]?.savedAs).toBe('README (1).txt');
  });

  it('Cancel then Retry on a folder goes on in the same folder; a cancelled folder is not listing', async () => {
    // One small file lands at once; the others come slowly, so the cancel finds them on the way.
    const files = ['cr/logs/a-first.bin'];
    await put(files[0]!, randomBytes(1024));
    for (let i = 0; i < 6; i++) {
      files.push(`cr/logs/f${i}.bin`);
      await put(files[i + 1]!, randomBytes(512 * 1024));
    }
    await slow('cr/logs/f', 128 * 1024);
    const { kura, events, downloadsDir } = await signedIn();
    const v = await kura.api.downloadFolder(bucket, 'cr/logs/');
    await expect
      .poll(() => stateOf(events, v.id)?.filesDone ?? 0, { timeout: 15_000 })
      .toBeGreaterThan(0);
    await kura.api.cancelTransfer(v.id);
    await expect.poll(() => stateOf(events, v.id)?.state).toBe('cancelled');
    expect(stateOf(events, v.id)!.listing).toBeUndefined();
    expect((await kura.api.transfers()).find((x) => x.id === v.id)!.listing).toBeUndefined();
    const landed = readdirSync(join(downloadsDir, 'logs')).filter((f) => !f.endsWith('.partial'));
    expect(landed.length).toBeGreaterThan(0);

    await adminCall(aws, 'DELETE', 'faults');
    await kura.api.retryTransfer(v.id);
    await expect.poll(() => stateOf(events, v.id)?.state, { timeout: 15_000 }).toBe('done');
    // One folder, every file once, none numbered as a second copy.
    expect(readdirSync(downloadsDir)).toEqual(['logs']);
    expect(readdirSync(join(downloadsDir, 'logs')).sort()).toEqual(
      files.map((k) => k.split('/').pop()).sort(),
    );
    expect(stateOf(events, v.id)).toMatchObject({ savedAs: 'logs', filesDone: 7, filesTotal: 7 });
  });

  it('a folder cancelled while it is still being listed no longer says it is listing', async () => {
    for (let i = 0; i <= 1000; i++)
      await put(`cl/${String(i).padStart(4, '0')}.txt`, Buffer.from('x'));
    await faults([{ operation: 'ListObjectsV2', latencyMs: 1_500 }]);
    const { kura, events } = await signedIn();
    const v = await kura.api.downloadFolder(bucket, 'cl/');
    // The second page is on its way while the first page's files download.
    await expect
      .poll(
        () => {
          const now = stateOf(events, v.id);
          return Boolean(now?.listing && (now.filesDone ?? 0) > 0);
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await kura.api.cancelTransfer(v.id);
    await expect.poll(() => stateOf(events, v.id)?.state).toBe('cancelled');
    expect(stateOf(events, v.id)!.listing).toBeUndefined();
    expect((await kura.api.transfers())[0]!.listing).toBeUndefined();
  });

  it('while S3 answers 503, the row says it is retrying, why and when, and shows no speed', async () => {
    const body = await put('t/busy.bin', randomBytes(256 * 1024));
    await faults([{ operation: 'GetObject', keyPrefix: 't/busy', status: 503 }]);
    const { kura, events } = await signedIn({ engine: { backoffMs: 400 } });
    const v = await kura.api.download(bucket, 't/busy.bin');
    await expect
      .poll(() => stateOf(events, v.id)?.retry?.attempt ?? 0, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(3);
    const retrying = events.filter((e) => e.id === v.id && e.retry);
    for (const e of retrying) {
      expect(e.state).toBe('running');
      expect(['THROTTLED', 'UNAVAILABLE']).toContain(e.retry!.reason.code);
      expect(e.retry!.nextAttemptAt).toBeGreaterThanOrEqual(e.startedAt!);
      expect(e.speed).toBeUndefined();
      expect(e.secondsLeft).toBeUndefined();
    }
    await adminCall(aws, 'DELETE', 'faults');
    await expect.poll(() => stateOf(events, v.id)?.state, { timeout: 15_000 }).toBe('done');
    expect(stateOf(events, v.id)!.retry).toBeUndefined();
    expect(readFileSync(join(kura.transfers.pathOf(v.id)!)).equals(body)).toBe(true);
  });

  it('a HEAD answered 503 is retried with its reason, then fails in words, not "Unknown"', async () => {
    await put('t/head.bin', randomBytes(1024));
    await faults([{ operation: 'HeadObject', keyPrefix: 't/head', status: 503 }]);
    const { kura, events } = await signedIn({ engine: { retries: 1 } });
    const v = await kura.api.download(bucket, 't/head.bin');
    await expect.poll(() => stateOf(events, v.id)?.state, { timeout: 30_000 }).toBe('failed');
    expect(events.some((e) => e.id === v.id && e.retry?.reason.code === 'UNAVAILABLE')).toBe(true);
    const error = stateOf(events, v.id)!.error!;
    expect(error.code).toBe('UNAVAILABLE');
    expect(errorMessage(error, 'en')).toBe(
      'The storage service is busy or not answering properly right now. Try again in a few minutes.',
    );
    expect(errorMessage(error, 'ja')).not.toMatch(/[A-Za-z]/);
  });

  it('a body that stops arriving shows no speed: quiet since the last byte, then a retry', async () => {
    const body = await put('t/stall.bin', randomBytes(512 * 1024));
    await faults([
      { operation: 'GetObject', keyPrefix: 't/stall', times: 1, stallAfterBytes: 128 * 1024 },
    ]);
    const { kura, events } = await signedIn({ engine: { idleTimeoutMs: 5_000 } });
    const v = await kura.api.download(bucket, 't/stall.bin');
    await expect
      .poll(() => stateOf(events, v.id)?.quietSince, { timeout: 15_000 })
      .toBeGreaterThan(0);
    const quiet = stateOf(events, v.id)!;
    expect(quiet).toMatchObject({ state: 'running' });
    expect(quiet.speed).toBeUndefined();
    expect(quiet.secondsLeft).toBeUndefined();
    // The watchdog gives up on the silent body: the row says it retries, and why.
    await expect
      .poll(() => events.some((e) => e.id === v.id && e.retry?.reason.code === 'NETWORK'), {
        timeout: 15_000,
      })
      .toBe(true);
    await expect.poll(() => stateOf(events, v.id)?.state, { timeout: 15_000 }).toBe('done');
    expect(readFileSync(kura.transfers.pathOf(v.id)!).equals(body)).toBe(true);
  });

  it('a folder row lists its files in flight, and the files it skipped or failed with why', async () => {
    for (let i = 0; i < 3; i++) await put(`fx/slow-${i}.bin`, randomBytes(256 * 1024));
    await put('fx/../escape.txt', Buffer.from('climbs out'));
    await put('fx/bad.bin', randomBytes(4096));
    await faults([
      { operation: 'GetObject', keyPrefix: 'fx/slow-', bytesPerSecond: 256 * 1024 },
      { operation: 'GetObject', keyPrefix: 'fx/bad', flipByteAt: 10 },
    ]);
    const { kura, events } = await signedIn();
    const v = await kura.api.downloadFolder(bucket, 'fx/');
    await expect
      .poll(
        () =>
          stateOf(events, v.id)
            ?.active?.map((f) => f.path)
            .sort(),
        { timeout: 15_000 },
      )
      .toEqual(['slow-0.bin', 'slow-1.bin', 'slow-2.bin']);
    expect(stateOf(events, v.id)!.active![0]).toMatchObject({ bytesTotal: 256 * 1024 });
    await expect.poll(() => stateOf(events, v.id)?.state, { timeout: 15_000 }).toBe('done');
    const done = stateOf(events, v.id)!;
    expect(done.active).toBeUndefined();
    expect(done.skipped.map((s) => [s.key, s.reason.code]).sort()).toEqual([
      ['fx/../escape.txt', 'UNSAFE_NAME'],
      ['fx/bad.bin', 'INTEGRITY'],
    ]);
    expect(done).toMatchObject({ filesDone: 3, filesTotal: 3 });
  });

  it('Clear finished removes what is done, cancelled or failed, with its partial files', async () => {
    await put('c/done.txt', Buffer.from('done'));
    await put('c/fail.bin', randomBytes(2 * MiB));
    await put('c/slow.bin', randomBytes(4 * MiB));
    await faults([
      { operation: 'GetObject', keyPrefix: 'c/fail', cutAfterBytes: MiB / 2 },
      { operation: 'GetObject', keyPrefix: 'c/slow', bytesPerSecond: 256 * 1024 },
    ]);
    const { kura, events, downloadsDir } = await signedIn({ engine: { retries: 0 } });
    const done = await kura.api.download(bucket, 'c/done.txt');
    const failed = await kura.api.download(bucket, 'c/fail.bin');
    const running = await kura.api.download(bucket, 'c/slow.bin');
    await expect.poll(() => stateOf(events, done.id)?.state).toBe('done');
    await expect.poll(() => stateOf(events, failed.id)?.state, { timeout: 15_000 }).toBe('failed');
    // A failed download keeps its partial file, to go on from it on Retry.
    expect(readdirSync(downloadsDir).filter((f) => f.endsWith('.partial')).length).toBe(2);
    await kura.api.clearFinishedTransfers();
    expect((await kura.api.transfers()).map((t) => t.id)).toEqual([running.id]);
    expect(
      events
        .filter((e) => e.removed)
        .map((e) => e.id)
        .sort(),
    ).toEqual([done.id, failed.id].sort());
    // The running one's partial stays; the failed one's is gone; the finished file stays.
    expect(readdirSync(downloadsDir).filter((f) => f.endsWith('.partial')).length).toBe(1);
    expect(readdirSync(downloadsDir)).toContain('done.txt');
    await kura.api.cancelTransfer(running.id);
  });

  it('Open opens only a verified, finished file of an allowed type, still as it was', async () => {
    await put('o/report.pdf', Buffer.from('%PDF-1.4 report'));
    await put('o/invoice.pdf.exe', Buffer.from('MZ program'));
    await put('o/setup.sh', Buffer.from('#!/bin/sh\nrm -rf ~'));
    const { kura, events, desktop } = await signedIn();
    const [pdf, exe, sh] = await kura.api.downloadItems(
      bucket,
      ['o/report.pdf', 'o/invoice.pdf.exe', 'o/setup.sh'].map((key) => ({
        key,
        kind: 'file' as const,
      })),
      false,
    );
    for (const t of [pdf, exe, sh])
      await expect.poll(() => stateOf(events, t!.id)?.state).toBe('done');
    expect(stateOf(events, pdf!.id)!.openable).toBe(true);
    expect(stateOf(events, exe!.id)!.openable).toBeUndefined();

    await kura.api.openTransfer(pdf!.id);
    expect(desktop.opened).toEqual([kura.transfers.pathOf(pdf!.id)]);
    // Programs and scripts are refused, whatever the renderer asks.
    await expect(kura.api.openTransfer(exe!.id)).rejects.toMatchObject({
      code: 'OPEN_REFUSED',
      detail: '.exe',
    });
    await expect(kura.api.openTransfer(sh!.id)).rejects.toMatchObject({ code: 'OPEN_REFUSED' });
    // A file changed after it was verified is not opened.
    writeFileSync(kura.transfers.pathOf(pdf!.id)!, 'something else entirely');
    await expect(kura.api.openTransfer(pdf!.id)).rejects.toMatchObject({ code: 'FILE_CHANGED' });
    // Neither is an id that is not a finished file download.
    await expect(kura.api.openTransfer(randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(desktop.opened).toHaveLength(1);
  });

  it('History shows a folder download as one entry, with its files and the folder it made', async () => {
    for (let i = 0; i < 5; i++) await put(`h/pics/p${i}.png`, randomBytes(1000));
    await put('h/single.txt', Buffer.from('one'));
    const { kura, events, desktop, downloadsDir } = await signedIn();
    mkdirSync(join(downloadsDir, 'pics'));
    const folder = await kura.api.downloadFolder(bucket, 'h/pics/');
    await expect.poll(() => stateOf(events, folder.id)?.state).toBe('done');
    const file = await kura.api.download(bucket, 'h/single.txt');
    await expect.poll(() => stateOf(events, file.id)?.state).toBe('done');
    await expect.poll(async () => (await kura.api.receipts()).length).toBe(2);
    const [single, pics] = await kura.api.receipts();
    expect(single).toMatchObject({ kind: 'file', name: 'single.txt', savedAs: 'single.txt' });
    expect(pics).toMatchObject({
      kind: 'folder',
      name: 'pics',
      savedAs: 'pics (1)',
      files: 5,
      size: 5000,
      key: 'h/pics/',
    });
    await kura.api.showReceipt(pics!.id);
    expect(desktop.revealed).toEqual([join(downloadsDir, 'pics (1)')]);
    // The exported log keeps one line per verified file.
    expect(await kura.api.exportReceipts('json')).toBe(true);
    expect(JSON.parse(readFileSync(desktop.saved[0]!, 'utf8'))).toHaveLength(6);
  });
});

/**
 * One object through the download engine (src/main/services/download/objectDownload.ts) against
 * local-aws: bytes equal to the object and a second copy numbered, never written through a link
 * planted in the destination, nothing left by a cancel or a corrupted body; and partial files
 * against the security review — a resume writes only into the file the job created (#3: a link
 * or another file planted at the partial's name is never followed or written), a run stopped
 * just after a file got its name finds it, and a resumed transfer whose saved state predates the
 * partial takes a matching file of its name as its own. (Many ranges, faults and expiring
 * credentials: downloadEngine.test.ts; which partials the sweep deletes: partialLedger.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  linkSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../../local-aws/server';
import {
  downloadObject,
  type FileJob,
} from '../../../../src/main/services/download/objectDownload';
import { fileIdentity } from '../../../../src/main/services/download/partialLedger';
import type { KuraCore } from '../../../../src/main/services/kuraCore';
import { adminCall, startTestAws } from '../../../helpers/localAws';
import { downloadFile, signedInCore, stoppedHalfWay, tempDir } from '../../../helpers/kura';

const bucket = 'kura-demo';
const MiB = 1024 * 1024;
let aws: LocalAws;
let core: KuraCore;

const put = (key: string, body: string | Buffer) =>
  aws.store.put(bucket, key, Readable.from([Buffer.from(body)]));

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  core = await signedInCore(aws);
});
afterEach(() => adminCall(aws, 'DELETE', 'faults'));
afterAll(() => aws.stop());

/** A download of `key` stopped half-way, as a crash leaves it (test/helpers/kura.ts). */
const halfDone = (key: string, body: Buffer) =>
  stoppedHalfWay(aws, core.active().storage, bucket, key, body);

describe('a file download', () => {
  it('downloads bytes equal to the object, and a second copy as "name (1)"', async () => {
    const body = Buffer.alloc(300_000, 9);
    await put('docs/report.pdf', body);
    const dest = tempDir();
    const progress: number[] = [];
    const a = await downloadFile(core.active().storage, bucket, 'docs/report.pdf', dest, {
      onBytes: (n) => progress.push((progress.at(-1) ?? 0) + n),
    });
    const b = await downloadFile(core.active().storage, bucket, 'docs/report.pdf', dest);
    expect(readFileSync(a.path).equals(body)).toBe(true);
    expect(b.path).toBe(join(dest, 'report (1).pdf'));
    expect(progress.at(-1)).toBe(body.length);
    expect(readdirSync(dest).sort()).toEqual(['report (1).pdf', 'report.pdf']);
  });

  it('never writes through a link planted in the destination', async () => {
    await put('docs/planted.txt', 'safe bytes');
    const dest = tempDir();
    const outside = tempDir('kura-outside-');
    symlinkSync(join(outside, 'target.txt'), join(dest, 'planted.txt'));
    const r = await downloadFile(core.active().storage, bucket, 'docs/planted.txt', dest);
    expect(r.path).toBe(join(dest, 'planted (1).txt'));
    expect(existsSync(join(outside, 'target.txt'))).toBe(false);
  });

  it('cancels mid-download and, with the partial discarded, leaves nothing behind', async () => {
    await put('big.bin', Buffer.alloc(512 * 1024, 1));
    await adminCall(aws, 'PUT', 'faults', [{ operation: 'GetObject', stallAfterBytes: 100_000 }]);
    const dest = tempDir();
    const controller = new AbortController();
    let received = 0;
    const running = downloadFile(core.active().storage, bucket, 'big.bin', dest, {
      signal: controller.signal,
      onBytes: (n) => (received += n) >= 100_000 && controller.abort(),
      discardPartial: true,
    });
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(dest)).toEqual([]);
  });

  it('detects a corrupted body and keeps no file', async () => {
    await put('corrupt.bin', Buffer.alloc(200_000, 3));
    await adminCall(aws, 'PUT', 'faults', [{ operation: 'GetObject', flipByteAt: 5000 }]);
    const dest = tempDir();
    await expect(
      downloadFile(core.active().storage, bucket, 'corrupt.bin', dest),
    ).rejects.toMatchObject({ code: 'INTEGRITY' });
    expect(readdirSync(dest)).toEqual([]);
  });
});

describe('resuming writes only into the partial file the job created', () => {
  it('does not follow a symbolic link planted at the partial’s name', async () => {
    const body = randomBytes(6 * MiB);
    const { job, partialPath, dir } = await halfDone('planted/link.bin', body);
    const victim = join(tempDir('kura-victim-'), 'precious.txt');
    writeFileSync(victim, 'do not touch');
    rmSync(partialPath);
    symlinkSync(victim, partialPath);

    const r = await downloadObject(core.active().storage, job);
    expect(readFileSync(r.path).equals(body)).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('do not touch');
    expect(readdirSync(dir)).toEqual(['link.bin']);
  });

  it('does not write into another file put in its place (a hard link to someone else’s file)', async () => {
    const body = randomBytes(6 * MiB);
    const { job, partialPath, dir } = await halfDone('planted/hard.bin', body);
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'do not touch either');
    rmSync(partialPath);
    linkSync(victim, partialPath);
    expect(fileIdentity(statSync(partialPath, { bigint: true }))).not.toBe(job.partialId);

    const r = await downloadObject(core.active().storage, job);
    expect(readFileSync(r.path).equals(body)).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('do not touch either');
    expect(readdirSync(dir).sort()).toEqual(['hard.bin', 'victim.txt']);
  });

  it('goes on from its own bytes when nothing was planted', async () => {
    const body = randomBytes(6 * MiB);
    const { job } = await halfDone('planted/none.bin', body);
    const stats = { received: 0, requests: 0 };
    const r = await downloadObject(core.active().storage, job, { stats });
    expect(readFileSync(r.path).equals(body)).toBe(true);
    expect(stats.received).toBeLessThan(body.length - MiB);
  });
});

describe('a run that stopped just after a file got its name', () => {
  it('finds the finished file by its inode instead of downloading a numbered twin', async () => {
    const body = randomBytes(3 * MiB);
    await aws.store.put(bucket, 'finished/f.bin', Readable.from([body]));
    const dir = tempDir();
    const job: FileJob = { bucket, key: 'finished/f.bin', dir, name: 'f.bin' };
    // The last state a queue could have saved: the partial named, its bytes written.
    let saved = '';
    const first = await downloadObject(core.active().storage, job, {
      onCheckpoint: (j) => (saved = JSON.stringify(j)),
    });
    const stale = JSON.parse(saved) as FileJob;
    expect(stale.partial).toBeTruthy();

    const stats = { received: 0, requests: 0 };
    const again = await downloadObject(core.active().storage, stale, { stats });
    expect(again.path).toBe(first.path);
    expect(stats.requests).toBe(0);
    expect(readdirSync(dir)).toEqual(['f.bin']);
    expect(readFileSync(again.path).equals(body)).toBe(true);
  });

  it('still downloads when the file of that name is another one', async () => {
    const body = randomBytes(MiB);
    await aws.store.put(bucket, 'finished/g.bin', Readable.from([body]));
    const dir = tempDir();
    const job: FileJob = { bucket, key: 'finished/g.bin', dir, name: 'g.bin' };
    let saved = '';
    await downloadObject(core.active().storage, job, {
      onCheckpoint: (j) => (saved = JSON.stringify(j)),
    });
    // The user replaced the finished file with a file of their own.
    rmSync(join(dir, 'g.bin'));
    writeFileSync(join(dir, 'g.bin'), 'mine');
    const again = await downloadObject(core.active().storage, JSON.parse(saved) as FileJob);
    expect(again.path).toBe(join(dir, 'g (1).bin'));
    expect(readFileSync(join(dir, 'g.bin'), 'utf8')).toBe('mine');
    expect(readFileSync(again.path).equals(body)).toBe(true);
  });
});

describe('a resumed transfer whose saved state predates the partial', () => {
  it('takes a file of its name with the object’s size and checksum as its own', async () => {
    const body = randomBytes(2 * MiB);
    await aws.store.put(bucket, 'adopt/a.bin', Readable.from([body]));
    const dir = tempDir();
    const stale = (): FileJob => ({ bucket, key: 'adopt/a.bin', dir, name: 'a.bin', seed: 's' });
    await downloadObject(core.active().storage, stale());
    const stats = { received: 0, requests: 0 };
    const again = await downloadObject(core.active().storage, stale(), {
      stats,
      adoptFinished: true,
    });
    expect(again.path).toBe(join(dir, 'a.bin'));
    expect(stats.requests).toBe(0);
    expect(readdirSync(dir)).toEqual(['a.bin']);
  });

  it('downloads beside a file of its name that differs (numbered, nothing overwritten)', async () => {
    const body = randomBytes(MiB);
    await aws.store.put(bucket, 'adopt/b.bin', Readable.from([body]));
    const dir = tempDir();
    const other = Buffer.from(body);
    other[0] = other[0]! ^ 1; // same size, one bit apart
    writeFileSync(join(dir, 'b.bin'), other);
    const r = await downloadObject(
      core.active().storage,
      { bucket, key: 'adopt/b.bin', dir, name: 'b.bin', seed: 's' },
      { adoptFinished: true },
    );
    expect(r.path).toBe(join(dir, 'b (1).bin'));
    expect(readFileSync(join(dir, 'b.bin')).equals(other)).toBe(true);
    expect(readFileSync(r.path).equals(body)).toBe(true);
  });
});

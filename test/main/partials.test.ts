/**
 * Partial files against the security review: a resume writes only into the file the job
 * created (#3: a link or another file planted at the partial's name is never followed or
 * written), and the sweep after a crash deletes only partials Kura recorded (#4: an object
 * named `.kura-<hex>.partial` was downloaded, then deleted at the next start).
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  linkSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { createKuraApp } from '../../src/main/compose/kuraApp';
import { recordingDesktop } from '../../src/main/browserTransport/desktop';
import { downloadObject, type FileJob } from '../../src/main/services/download/objectDownload';
import { fileIdentity, PartialLedger } from '../../src/main/services/download/partialLedger';
import type { KuraCore } from '../../src/main/services/kuraCore';
import { MemorySecretStore } from '../../src/main/services/secretStore';
import { adminCall, createConfirmedUser, startTestAws } from '../helpers/localAws';
import { newCore, tempDir } from '../helpers/kura';
import { statSync } from 'node:fs';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';
const MiB = 1024 * 1024;
let aws: LocalAws;
let core: KuraCore;

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  createConfirmedUser(aws, 'p@example.com', PASSWORD);
  core = newCore(aws).core;
  await core.active().session.signIn('p@example.com', PASSWORD);
});
afterAll(() => aws.stop());

/** A job stopped half-way, as a crash leaves it: its state and its partial file on disk. */
async function halfDone(key: string, body: Buffer) {
  await aws.store.put(bucket, key, Readable.from([body]));
  await adminCall(aws, 'PUT', 'faults', [
    { operation: 'GetObject', keyPrefix: key, bytesPerSecond: 4 * MiB },
  ]);
  const dir = tempDir();
  const job: FileJob = { bucket, key, dir, name: key.split('/').pop()! };
  const controller = new AbortController();
  let saved = '';
  const stopped = downloadObject(core.active().storage, job, {
    engine: { partSize: MiB, maxStreams: 2 },
    signal: controller.signal,
    onCheckpoint: (j) => (saved = JSON.stringify(j)),
    onBytes: () => {
      if ((job.done ?? []).reduce((a, b) => a + b, 0) >= 2 * MiB) controller.abort();
    },
  });
  await expect(stopped).rejects.toMatchObject({ code: 'CANCELLED' });
  await adminCall(aws, 'DELETE', 'faults');
  const restored = JSON.parse(saved) as FileJob;
  expect(restored.partial).toBeTruthy();
  expect(restored.partialId).toBeTruthy();
  return { job: restored, partialPath: join(dir, restored.partial!), dir };
}

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

describe('the sweep after a crash deletes only partials Kura recorded', () => {
  it('keeps look-alikes, replaced files, partials to resume and those of a running process', async () => {
    const dataDir = tempDir('kura-ledger-');
    const dir = tempDir();
    const ledger = new PartialLedger(join(dataDir, 'partials.jsonl'));
    const make = (name: string, pid?: number) => {
      const path = join(dir, name);
      writeFileSync(path, 'partial bytes');
      const id = fileIdentity(statSync(path, { bigint: true }));
      if (pid === undefined) ledger.record(path, id);
      else
        writeFileSync(join(dataDir, 'partials.jsonl'), JSON.stringify({ path, id, pid }) + '\n', {
          flag: 'a',
        });
      return path;
    };
    const leftover = make('.kura-1111111111111111.partial');
    const resumable = make('.kura-2222222222222222.partial');
    const replaced = make('.kura-3333333333333333.partial');
    // Another file moved over it (made while the recorded one exists: not the same inode).
    writeFileSync(join(dir, 'other'), 'a file of the same name, not the one recorded');
    renameSync(join(dir, 'other'), replaced);
    const running = make('.kura-4444444444444444.partial', process.ppid);
    writeFileSync(join(dir, '.kura-5555555555555555.partial'), 'a download, never recorded');
    ledger.close();

    // A "next start" in another process: the leftover goes, everything else stays.
    const next = new PartialLedger(join(dataDir, 'partials.jsonl'));
    expect(await next.sweep(new Set([resumable]))).toBe(1);
    expect(existsSync(leftover)).toBe(false);
    for (const p of [resumable, replaced, running, join(dir, '.kura-5555555555555555.partial')])
      expect(existsSync(p), p).toBe(true);
    // The ledger forgets what is gone or not its own, and keeps what may still be swept.
    const kept = readFileSync(join(dataDir, 'partials.jsonl'), 'utf8');
    expect(kept).toContain(resumable);
    expect(kept).toContain(running);
    expect(kept).not.toContain(leftover);
    expect(kept).not.toContain(replaced);
  });

  it('an object named like a partial is saved under a mapped name and survives the next start', async () => {
    const key = 'odd/.kura-0123456789abcdef.partial';
    await aws.store.put(bucket, key, Readable.from([Buffer.from('real content')]));
    const dataDir = tempDir('kura-data-');
    const downloadsDir = tempDir('kura-downloads-');
    const secrets = new MemorySecretStore();
    const launch = () =>
      createKuraApp({ dataDir, downloadsDir, secrets, desktop: recordingDesktop(downloadsDir) });
    const first = await launch();
    first.core.profiles.add(aws.profile);
    await first.api.signIn('p@example.com', PASSWORD);
    const v = await first.api.download(bucket, key);
    await expect.poll(() => first.transfers.get(v.id)?.state, { timeout: 10_000 }).toBe('done');
    await first.shutdown();
    expect(readdirSync(downloadsDir)).toEqual(['_.kura-0123456789abcdef.partial']);

    const second = await launch();
    expect(readdirSync(downloadsDir)).toEqual(['_.kura-0123456789abcdef.partial']);
    expect(readFileSync(join(downloadsDir, '_.kura-0123456789abcdef.partial'), 'utf8')).toBe(
      'real content',
    );
    await second.shutdown();
  });

  it('a partial left by a crash in any folder is swept at the next start', async () => {
    const dataDir = tempDir('kura-data-');
    const downloadsDir = tempDir('kura-downloads-');
    const elsewhere = tempDir('kura-chosen-');
    const body = randomBytes(6 * MiB);
    const { partialPath } = await halfDone('crash/left.bin', body);
    // Recorded as made by a process that is gone (a crash), and resumed by nothing.
    const id = fileIdentity(statSync(partialPath, { bigint: true }));
    const moved = join(elsewhere, '.kura-abcdefabcdefabcd.partial');
    writeFileSync(moved, readFileSync(partialPath));
    const movedId = fileIdentity(statSync(moved, { bigint: true }));
    writeFileSync(
      join(dataDir, 'partials.jsonl'),
      [
        { path: partialPath, id, pid: 2 ** 22 + 1 },
        { path: moved, id: movedId, pid: 2 ** 22 + 1 },
      ]
        .map((e) => JSON.stringify(e) + '\n')
        .join(''),
    );
    const app = await createKuraApp({
      dataDir,
      downloadsDir,
      secrets: new MemorySecretStore(),
      desktop: recordingDesktop(downloadsDir),
    });
    expect(existsSync(partialPath)).toBe(false);
    expect(existsSync(moved)).toBe(false);
    await app.shutdown();
  });
});

/**
 * The folder download (src/main/services/download/folderDownload.ts) against local-aws: a
 * prefix lands as a folder named after it, bytes equal to the objects, progress adding up,
 * unsafe names skipped with their reason, a second download beside the first, and a cancelled
 * download going on in the folder it made with only what was left.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../../local-aws/server';
import {
  downloadFolder,
  FilesInFlight,
  newFolderJob,
  type FolderProgress,
} from '../../../../src/main/services/download/folderDownload';
import type { KuraCore } from '../../../../src/main/services/kuraCore';
import { startTestAws } from '../../../helpers/localAws';
import { signedInCore, tempDir } from '../../../helpers/kura';

const bucket = 'kura-demo';
const engine = { backoffMs: 20, idleTimeoutMs: 1000 };
let aws: LocalAws;
let core: KuraCore;
const bodies = new Map<string, Buffer>();

const put = async (key: string, body: Buffer) => {
  await aws.store.put(bucket, key, Readable.from([body]));
  bodies.set(key, body);
};
const storage = () => core.active().storage;

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  core = await signedInCore(aws);
  await put('reports/c.txt', Buffer.from('top level'));
  await put('reports/2024/a.txt', Buffer.from('alpha'));
  await put('reports/2024/deep/b.bin', randomBytes(300_000));
  await put('reports/2024/empty.txt', Buffer.alloc(0));
  // A key whose last segment is '..': never written, skipped with its reason.
  await aws.store.put(bucket, 'reports/2024/..', Readable.from([Buffer.from('escape')]));
});
afterAll(() => aws.stop());

const total = () => [...bodies.values()].reduce((n, b) => n + b.length, 0);
function expectAllFiles(folder: string) {
  for (const [key, body] of bodies)
    expect(readFileSync(join(folder, ...key.slice('reports/'.length).split('/'))), key).toEqual(
      body,
    );
}

describe('downloadFolder', () => {
  it('saves every file under the prefix in a folder named after it, with progress adding up', async () => {
    const dest = tempDir();
    const progress: FolderProgress[] = [];
    const landed: string[] = [];
    const job = await downloadFolder(storage(), newFolderJob(bucket, 'reports/', dest), {
      engine,
      onProgress: (p) => progress.push({ ...p }),
      onFile: (key, r) => {
        landed.push(key);
        expect(readFileSync(r.path)).toEqual(bodies.get(key));
      },
    });
    expect(job.folder).toBe(join(realpathSync(dest), 'reports'));
    expectAllFiles(job.folder!);
    expect(landed.sort()).toEqual([...bodies.keys()].sort());
    expect(job).toMatchObject({
      filesDone: bodies.size,
      filesTotal: bodies.size,
      bytesTotal: total(),
      bytesFinished: total(),
      nextToken: null,
      pending: [],
    });
    // Why, as an error each language words (no English made here).
    expect(job.skipped).toEqual([
      {
        key: 'reports/2024/..',
        reason: {
          code: 'UNSAFE_NAME',
          detail: 'reports/2024/..',
          problems: [{ problem: 'leavesFolder', field: '..' }],
        },
      },
    ]);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ bytesDone: total(), bytesTotal: total(), listing: false });
    expect(readdirSync(dest)).toEqual(['reports']);
  });

  it('puts a second download of the same prefix beside the first, as "reports (1)"', async () => {
    const dest = tempDir();
    const first = await downloadFolder(storage(), newFolderJob(bucket, 'reports/', dest), {
      engine,
    });
    const second = await downloadFolder(storage(), newFolderJob(bucket, 'reports/', dest), {
      engine,
    });
    expect(second.folder).toBe(join(realpathSync(dest), 'reports (1)'));
    expect(first.folder).not.toBe(second.folder);
    expectAllFiles(second.folder!);
    expect(readdirSync(dest).sort()).toEqual(['reports', 'reports (1)']);
  });

  it('goes on after a cancel in the folder it made, fetching only what was left', async () => {
    const dest = tempDir();
    const job = newFolderJob(bucket, 'reports/', dest);
    const stop = new AbortController();
    const before: string[] = [];
    const cancelled = downloadFolder(storage(), job, {
      engine,
      filesAtOnce: 1,
      filesCeiling: 1,
      signal: stop.signal,
      onFile: (key) => {
        before.push(key);
        stop.abort();
      },
    });
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(job.filesDone).toBeLessThan(bodies.size);

    const after: string[] = [];
    const stats = { received: 0, requests: 0 };
    const done = await downloadFolder(storage(), job, {
      engine,
      stats,
      onFile: (key) => after.push(key),
    });
    expect(done.folder).toBe(join(realpathSync(dest), 'reports'));
    expect(readdirSync(dest)).toEqual(['reports']);
    expectAllFiles(done.folder!);
    expect(done.filesDone).toBe(bodies.size);
    // What landed before the cancel is not fetched again.
    for (const key of before) expect(after).not.toContain(key);
    expect([...before, ...after].sort()).toEqual([...bodies.keys()].sort());
    expect(stats.received).toBeLessThanOrEqual(
      total() - before.reduce((n, k) => n + bodies.get(k)!.length, 0),
    );
  });
});

describe('FilesInFlight', () => {
  it('keeps the base while work dominates, and grows toward the ceiling while waits do', () => {
    const f = new FilesInFlight(4, 16);
    for (let i = 0; i < 15; i++) f.record(100, 10);
    expect(f.limit).toBe(4); // judged every 16 files
    f.record(100, 10);
    expect(f.limit).toBe(10); // 4 × 100 ÷ (4 × 10)
    for (let i = 0; i < 64; i++) f.record(10_000, 1);
    expect(f.limit).toBe(16);
    for (let i = 0; i < 64; i++) f.record(1, 100);
    expect(f.limit).toBe(4);
  });
});

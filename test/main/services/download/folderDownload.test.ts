/**
 * The folder download (src/main/services/download/folderDownload.ts) against local-aws: a
 * prefix lands as a folder named after it, bytes equal to the objects, progress adding up,
 * unsafe names skipped with their reason, a second download beside the first, a cancelled
 * download going on in the folder it made with only what was left, and hostile keys never
 * written outside the destination.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
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
import { downloadFolderInto, signedInCore, tempDir } from '../../../helpers/kura';

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

/** Every file under `dir`, as paths relative to it. */
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)).map((p) => `${e.name}/${p}`) : [e.name],
  );

describe('a folder of hostile keys', () => {
  it('downloads hostile keys without writing outside the destination, reporting every skipped item', async () => {
    const keys = [
      'hostile/../x',
      'hostile/a/../../x',
      'hostile/..',
      'hostile//abs',
      'hostile/C:\\x',
      'hostile/..\\x',
      'hostile/CON',
      'hostile/con.txt',
      'hostile/NUL',
      'hostile/COM1',
      'hostile/LPT1.log',
      'hostile/CONIN$',
      'hostile/dot.',
      'hostile/space ',
      'hostile/a:b',
      'hostile/<>|?*"',
      'hostile/ctl\u0001.txt',
      `hostile/${'長'.repeat(120)}.txt`,
      'hostile/Cafe\u0301.txt',
      'hostile/Caf\u00e9.txt',
      'hostile/Case.txt',
      'hostile/case.txt',
      'hostile/dir/',
      'hostile/a//b',
      'hostile/a/b',
    ];
    for (const k of keys)
      await aws.store.put(
        bucket,
        k,
        Readable.from([Buffer.from(k.endsWith('/') ? '' : `content of ${k}`)]),
      );
    const outer = tempDir();
    const dest = join(outer, 'dest');
    mkdirSync(dest);
    const r = await downloadFolderInto(storage(), bucket, 'hostile/', dest);
    // Nothing outside dest.
    expect(readdirSync(outer)).toEqual(['dest']);
    for (const f of r.files) expect(relative(dest, f.path).startsWith('..')).toBe(false);
    expect(r.skipped.map((s) => s.key).sort()).toEqual(
      ['hostile/..', 'hostile/../x', 'hostile/a/../../x'].sort(),
    );
    const written = walk(r.folder).sort();
    expect(written).toContain('_CON');
    expect(written).toContain('C__x');
    expect(written).toContain('abs');
    // Twins (NFC/NFD, case, a//b vs a/b) all kept, numbered rather than overwritten.
    expect(written.filter((w) => w.startsWith('Café')).length).toBe(2);
    expect(written.filter((w) => w.toLowerCase().startsWith('case')).length).toBe(2);
    expect(written.filter((w) => w.startsWith('a/b')).length).toBe(2);
    expect(existsSync(join(r.folder, 'dir'))).toBe(true);
    expect(r.files.length + r.skipped.length).toBe(keys.length - 1); // the folder marker is a folder
    for (const f of r.files) expect(readFileSync(f.path, 'utf8')).toBe(`content of ${f.key}`);
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

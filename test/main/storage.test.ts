import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import type { KuraCore } from '../../src/main/services/kuraCore';
import { adminCall, createConfirmedUser, startTestAws } from '../helpers/localAws';
import { downloadFile, downloadFolderInto, newCore, tempDir } from '../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';
let aws: LocalAws;
let core: KuraCore;

const put = (key: string, body: string | Buffer) =>
  aws.store.put(bucket, key, Readable.from([Buffer.from(body)]));
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)).map((p) => `${e.name}/${p}`) : [e.name],
  );

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  createConfirmedUser(aws, 'alice@example.com', PASSWORD);
  core = newCore(aws).core;
  await core.active().session.signIn('alice@example.com', PASSWORD);
});
afterEach(() => adminCall(aws, 'DELETE', 'faults'));
afterAll(() => aws.stop());

describe('read-only storage', () => {
  it("falls back to the profile's bucket list when the role may not list buckets", async () => {
    expect(await core.active().storage.listBuckets()).toEqual([
      { name: bucket, source: 'profile' },
    ]);
  });

  it('lists a folder page by page with folders and files apart', async () => {
    for (let i = 0; i < 5; i++) await put(`paged/f${i}.txt`, 'x');
    await put('paged/sub/a.txt', 'x');
    await put('paged/', '');
    const s = core.active().storage;
    const first = await s.listFolder(bucket, 'paged/', undefined, 4);
    // The folder's own marker counts toward MaxKeys but is not shown as a file.
    expect(first.files.map((f) => f.name)).toEqual(['f0.txt', 'f1.txt', 'f2.txt']);
    expect(first.folders).toEqual([]);
    const second = await s.listFolder(bucket, 'paged/', first.continuationToken, 4);
    expect(second.files.map((f) => f.name)).toEqual(['f3.txt', 'f4.txt']);
    expect(second.folders).toEqual([{ prefix: 'paged/sub/', name: 'sub' }]);
    expect(second.continuationToken).toBeUndefined();
  });

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

  it('renews credentials that AWS expired early and goes on', async () => {
    await put('renew.txt', 'fresh');
    await core.active().access.get();
    await adminCall(aws, 'POST', 'credentials/expire');
    const r = await downloadFile(core.active().storage, bucket, 'renew.txt', tempDir());
    expect(readFileSync(r.path, 'utf8')).toBe('fresh');
  });

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
    for (const k of keys) await put(k, k.endsWith('/') ? '' : `content of ${k}`);
    const outer = tempDir();
    const dest = join(outer, 'dest');
    mkdirSync(dest);
    const r = await downloadFolderInto(core.active().storage, bucket, 'hostile/', dest);
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

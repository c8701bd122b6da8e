/**
 * The engine's running check (download/downloadHash.ts) and its CRCs by pieces: joined pieces
 * equal the whole object's checksum as local-aws computes it, parallel parts written in any
 * order are hashed from memory without reading the file back, and gaps are read back. Also the
 * folder download's files-in-flight rule.
 */
import { randomBytes } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../../../local-aws/s3/objectStore';
import { combineCrc, createPieceHasher } from '../../../../src/main/services/download/checksums';
import { DownloadHash } from '../../../../src/main/services/download/downloadHash';
import { FilesInFlight } from '../../../../src/main/services/download/folderDownload';
import { tempDir } from '../../../helpers/kura';

const MiB = 1024 * 1024;

/** What local-aws (the S3 stand-in) says the object's checksum is. */
async function s3Checksum(body: Buffer, algorithm: 'CRC64NVME' | 'CRC32' | 'CRC32C') {
  const store = new ObjectStore(tempDir());
  store.createBucket('bucket');
  const meta = await store.put('bucket', 'k', Readable.from([body]), {
    checksumAlgorithm: algorithm,
  });
  return meta.checksum.value;
}

describe('CRCs by pieces', () => {
  for (const algorithm of ['CRC64NVME', 'CRC32', 'CRC32C'] as const) {
    for (const native of [true, false]) {
      it(`joins ${algorithm} pieces into the whole object's value (${native ? 'native' : 'JavaScript'})`, async () => {
        const body = randomBytes(3 * MiB + 4321);
        const ph = createPieceHasher(algorithm, native)!;
        const cuts = [0, 1, 4096, 65537, MiB, 2 * MiB + 3, body.length];
        const pieces = [];
        for (let i = 0; i + 1 < cuts.length; i++) {
          const p = ph.piece();
          p.update(body.subarray(cuts[i], cuts[i + 1]));
          pieces.push({ crc: await p.value(), length: cuts[i + 1]! - cuts[i]! });
        }
        expect(ph.join(pieces)).toBe(await s3Checksum(body, algorithm));
      });
    }
  }

  it('has the catalogue check values, and joining with an empty piece changes nothing', async () => {
    const check = Buffer.from('123456789');
    const ph = createPieceHasher('CRC64NVME')!;
    const a = ph.piece();
    a.update(check.subarray(0, 4));
    const b = ph.piece();
    b.update(check.subarray(4));
    const joined = combineCrc('CRC64NVME', await a.value(), await b.value(), 5);
    expect(joined.toString(16)).toBe('ae8b14860a799888'); // CRC-64/NVME of "123456789"
    expect(combineCrc('CRC64NVME', joined, 0n, 0)).toBe(joined);
    expect(createPieceHasher('MD5')).toBeNull();
  });
});

describe('the running check of a download', () => {
  const size = 5 * MiB + 77;
  const partSize = MiB;
  const body = randomBytes(size);
  const parts = Math.ceil(size / partSize);

  async function fileWith(content: Buffer) {
    const path = join(tempDir(), 'partial');
    await writeFile(path, content);
    return open(path, 'r+');
  }

  it('hashes parallel parts from memory, in any order, without reading the file back', async () => {
    const fh = await fileWith(body);
    const reads: unknown[] = [];
    const spy = new Proxy(fh, {
      get: (t, k): unknown =>
        k === 'read'
          ? (...args: unknown[]) => {
              reads.push(args);
              throw new Error('read back');
            }
          : Reflect.get(t, k),
    });
    const expected = {
      algorithm: 'CRC64NVME' as const,
      value: await s3Checksum(body, 'CRC64NVME'),
    };
    const h = await DownloadHash.create(spy, expected, size, partSize, () => 0);
    // Parts interleaved, each in order within itself, in uneven batches.
    const cursors = Array.from({ length: parts }, (_, i) => i * partSize);
    for (let step = 0; cursors.some((c, i) => c < Math.min(size, (i + 1) * partSize)); step++) {
      for (let i = parts - 1; i >= 0; i--) {
        const end = Math.min(size, (i + 1) * partSize);
        const at = cursors[i]!;
        if (at >= end) continue;
        const n = Math.min(end - at, 65536 + step * 1000);
        h.written(
          i,
          at,
          [body.subarray(at, at + (n >> 1)), body.subarray(at + (n >> 1), at + n)],
          n,
        );
        cursors[i] = at + n;
      }
    }
    expect(await h.digest()).toBe(expected.value);
    expect(reads).toHaveLength(0);
    await fh.close();
  });

  it('reads back what memory did not cover: bytes from an earlier run, and a gap', async () => {
    const fh = await fileWith(body);
    const expected = { algorithm: 'CRC32C' as const, value: await s3Checksum(body, 'CRC32C') };
    const h = await DownloadHash.create(fh, expected, size, partSize, () => 0);
    // An earlier run left 1000 bytes of part 0 and all of part 2.
    const done = Array.from({ length: parts }, (_, i) => (i === 0 ? 1000 : i === 2 ? partSize : 0));
    await h.resume(done);
    h.written(0, 1000, [body.subarray(1000, partSize)], partSize - 1000);
    // Part 1 reports a write past a gap (never hashed from memory); parts 3 and 4: nothing.
    h.written(1, partSize + 10, [body.subarray(partSize + 10, partSize + 20)], 10);
    expect(await h.digest()).toBe(expected.value);
    await fh.close();
  });

  it('keeps MD5 in order: from memory at the front, read back behind it', async () => {
    const fh = await fileWith(body);
    const { createHash } = await import('node:crypto');
    const md5 = createHash('md5').update(body).digest('hex');
    let frontier = 0;
    const h = await DownloadHash.create(
      fh,
      { algorithm: 'MD5', value: md5 },
      size,
      partSize,
      () => frontier,
    );
    // Part 1 lands first (cannot be hashed yet), then part 0 at the front, then the rest.
    h.written(1, partSize, [body.subarray(partSize, 2 * partSize)], partSize);
    h.written(0, 0, [body.subarray(0, partSize)], partSize);
    frontier = size;
    for (let i = 2; i < parts; i++) {
      const at = i * partSize;
      const end = Math.min(size, at + partSize);
      h.written(i, at, [body.subarray(at, end)], end - at);
    }
    expect(await h.digest()).toBe(md5);
    await fh.close();
  });
});

describe('files in flight', () => {
  it('keeps the base while the work on each file takes the time (loopback)', () => {
    const f = new FilesInFlight(32, 128);
    for (let i = 0; i < 64; i++) f.record(1, 3);
    expect(f.limit).toBe(32);
  });

  it('raises it up to the ceiling while the first byte is slow, and comes back', () => {
    const f = new FilesInFlight(32, 128);
    for (let i = 0; i < 64; i++) f.record(30, 2); // office: 32 × 30 / (4 × 2) = 120
    expect(f.limit).toBe(120);
    for (let i = 0; i < 64; i++) f.record(60, 1); // home: capped
    expect(f.limit).toBe(128);
    for (let i = 0; i < 64; i++) f.record(1, 2);
    expect(f.limit).toBe(32);
  });
});

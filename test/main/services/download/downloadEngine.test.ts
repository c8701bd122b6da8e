/**
 * The download engine against local-aws with injected faults: parallel ranges, resume from a
 * persisted job, cuts, stalls, 503s, a flipped byte, an object replaced mid-transfer, composite
 * checksums and credentials expiring during a long transfer. Bytes are always compared with the
 * object; "received" counts what came off the wire, thrown-away bytes included.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../../local-aws/server';
import { createHasher, expectedChecksum } from '../../../../src/main/services/download/checksums';
import {
  downloadObject,
  type FileJob,
  type EngineOptions,
  type ObjectReader,
} from '../../../../src/main/services/download/objectDownload';
import type { KuraCore } from '../../../../src/main/services/kuraCore';
import { adminCall, createConfirmedUser, startTestAws } from '../../../helpers/localAws';
import { newCore, tempDir } from '../../../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';
const MiB = 1024 * 1024;
let aws: LocalAws;
let core: KuraCore;

const put = async (key: string, body: Buffer) => {
  await aws.store.put(bucket, key, Readable.from([body]));
  return body;
};
const faults = (rules: object[]) => adminCall(aws, 'PUT', 'faults', rules);
const fast: Partial<EngineOptions> = { backoffMs: 20, idleTimeoutMs: 1000 };

function newJob(key: string, dir = tempDir()): FileJob {
  return { bucket, key, dir, name: key.split('/').pop()! };
}

async function run(job: FileJob, engine: Partial<EngineOptions> = {}, signal?: AbortSignal) {
  const stats = { received: 0, requests: 0 };
  const r = await downloadObject(core.active().storage, job, {
    engine: { ...fast, ...engine },
    stats,
    signal,
  });
  return { ...r, stats };
}

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  createConfirmedUser(aws, 'alice@example.com', PASSWORD);
  core = newCore(aws).core;
  await core.active().session.signIn('alice@example.com', PASSWORD);
});
afterEach(() => faults([]));
afterAll(() => aws.stop());

describe('checksums', () => {
  it('computes each algorithm as S3 states it (native and JavaScript agree with local-aws)', async () => {
    const body = randomBytes(3 * MiB + 17);
    for (const algorithm of ['CRC64NVME', 'CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const) {
      const meta = await aws.store.put(bucket, `sums/${algorithm}`, Readable.from([body]), {
        checksumAlgorithm: algorithm,
      });
      const h = await createHasher(algorithm);
      h.update(body.subarray(0, 1000));
      h.update(body.subarray(1000));
      expect(await h.digest()).toBe(meta.checksum.value);
    }
    const empty = await createHasher('CRC64NVME');
    const meta = await aws.store.put(bucket, 'sums/empty', Readable.from([]));
    expect(await empty.digest()).toBe(meta.checksum.value);
  });

  it('ignores composite values and multipart ETags, and uses a plain ETag as MD5', () => {
    expect(expectedChecksum({ ChecksumCRC32: 'AAAAAA==-3', ETag: '"abc-3"' })).toBeUndefined();
    expect(
      expectedChecksum({ ChecksumCRC32C: 'AAAAAA==', ChecksumType: 'COMPOSITE' }),
    ).toBeUndefined();
    expect(expectedChecksum({ ETag: '"0123456789abcdef0123456789abcdef"' })).toEqual({
      algorithm: 'MD5',
      value: '0123456789abcdef0123456789abcdef',
    });
  });
});

describe('download engine', () => {
  it('reads a large object as parallel ranges pinned by ETag and checks its CRC64NVME', async () => {
    const body = await put('big/a.bin', randomBytes(40 * MiB + 123));
    const r = await run(newJob('big/a.bin'));
    expect(readFileSync(r.path).equals(body)).toBe(true);
    expect(r.checksum?.algorithm).toBe('CRC64NVME');
    expect(r.stats.requests).toBeGreaterThan(8);
    expect(r.stats.received).toBe(body.length);
    expect(readdirSync(join(r.path, '..'))).toEqual(['a.bin']);
  });

  it('adds streams beyond the first 8 while each keeps its speed (a per-connection limit)', async () => {
    const body = await put('adapt/a.bin', randomBytes(48 * MiB));
    await faults([{ operation: 'GetObject', keyPrefix: 'adapt/', bytesPerSecond: 8 * MiB }]);
    const storage = core.active().storage;
    let inFlight = 0;
    let peak = 0;
    const counting: ObjectReader = {
      headObject: (b, k) => storage.headObject(b, k),
      getObject: async (input, signal) => {
        const got = await storage.getObject(input, signal);
        inFlight++;
        peak = Math.max(peak, inFlight);
        (got.Body as Readable).once('close', () => inFlight--);
        return got;
      },
    };
    const r = await downloadObject(counting, newJob('adapt/a.bin'), {
      engine: { ...fast, partSize: MiB },
    });
    expect(readFileSync(r.path).equals(body)).toBe(true);
    expect(peak).toBeGreaterThan(8);
    expect(peak).toBeLessThanOrEqual(16);
  });

  for (const at of [0.1, 0.5, 0.9]) {
    it(`resumes after the connection is cut at ${at * 100}% and fetches ≤ 1.1× the object`, async () => {
      const body = await put(`cut/${at}.bin`, randomBytes(8 * MiB));
      await faults([
        {
          operation: 'GetObject',
          keyPrefix: 'cut/',
          times: 1,
          cutAfterBytes: Math.floor(at * body.length),
        },
      ]);
      const r = await run(newJob(`cut/${at}.bin`));
      expect(readFileSync(r.path).equals(body)).toBe(true);
      expect(r.stats.requests).toBe(2);
      expect(r.stats.received).toBeLessThanOrEqual(1.1 * body.length);
    });
  }

  it('resumes ranged parts cut half-way, within 1.1× the object', async () => {
    const body = await put('cut/ranged.bin', randomBytes(32 * MiB));
    await faults([
      { operation: 'GetObject', keyPrefix: 'cut/', times: 6, cutAfterBytes: 512 * 1024 },
    ]);
    const r = await run(newJob('cut/ranged.bin'), { partSize: 2 * MiB });
    expect(readFileSync(r.path).equals(body)).toBe(true);
    expect(r.stats.received).toBeLessThanOrEqual(1.1 * body.length);
  });

  it('recovers from a stalled body through the idle watchdog', async () => {
    const body = await put('stall/s.bin', randomBytes(4 * MiB));
    await faults([
      { operation: 'GetObject', keyPrefix: 'stall/', times: 1, stallAfterBytes: 2 * MiB },
    ]);
    const r = await run(newJob('stall/s.bin'), { idleTimeoutMs: 400 });
    expect(readFileSync(r.path).equals(body)).toBe(true);
    // The stalled request was given up and the part asked for again from where it stopped.
    expect(r.stats.requests).toBe(2);
    expect(r.stats.received).toBe(body.length);
  });

  it('succeeds after S3 answers 503 SlowDown to the first requests', async () => {
    const body = await put('busy/b.bin', randomBytes(20 * MiB));
    await faults([{ operation: 'GetObject', keyPrefix: 'busy/', times: 12, status: 503 }]);
    const r = await run(newJob('busy/b.bin'), { partSize: 4 * MiB });
    expect(readFileSync(r.path).equals(body)).toBe(true);
  });

  it('detects a flipped byte in ranged reads: retries, then fails, leaving no file', async () => {
    await put('flip/f.bin', randomBytes(20 * MiB));
    await faults([{ operation: 'GetObject', keyPrefix: 'flip/', flipByteAt: 1000 }]);
    const job = newJob('flip/f.bin');
    await expect(run(job, { partSize: 4 * MiB })).rejects.toMatchObject({ code: 'INTEGRITY' });
    expect(readdirSync(job.dir)).toEqual([]);
  });

  it('detects a flipped byte in a whole read, and succeeds when the retry is clean', async () => {
    const body = await put('flip/small.bin', randomBytes(300_000));
    await faults([{ operation: 'GetObject', keyPrefix: 'flip/', flipByteAt: 5, times: 1 }]);
    const r = await run(newJob('flip/small.bin'));
    expect(readFileSync(r.path).equals(body)).toBe(true);
    expect(r.stats.requests).toBeGreaterThan(1);
    await faults([{ operation: 'GetObject', keyPrefix: 'flip/', flipByteAt: 5 }]);
    const job = newJob('flip/small.bin');
    await expect(run(job)).rejects.toMatchObject({ code: 'INTEGRITY' });
    expect(readdirSync(job.dir)).toEqual([]);
  });

  it('restarts from zero when the object is replaced mid-transfer, never splicing', async () => {
    await put('swap/s.bin', randomBytes(24 * MiB));
    // Two streams of 3 MiB parts at 6 MiB/s: the replacement lands while later parts are still
    // to be asked for (those in flight finish reading the old object, as on S3).
    await faults([
      { operation: 'GetObject', keyPrefix: 'swap/', bytesPerSecond: 6 * MiB, times: 2 },
    ]);
    const replacement = randomBytes(24 * MiB);
    const job = newJob('swap/s.bin');
    // The object is replaced once the first bytes of the old one are on their way.
    let replaced: Promise<unknown> | undefined;
    const running = downloadObject(core.active().storage, job, {
      engine: { ...fast, partSize: 3 * MiB, maxStreams: 2 },
      onBytes: () => {
        replaced ??= put('swap/s.bin', replacement);
      },
    });
    const r = await running;
    await replaced;
    expect(readFileSync(r.path).equals(replacement)).toBe(true);
  });

  it('goes on from a persisted job after the process stopped half-way', async () => {
    const body = await put('resume/r.bin', randomBytes(24 * MiB));
    await faults([{ operation: 'GetObject', keyPrefix: 'resume/', bytesPerSecond: 8 * MiB }]);
    const job = newJob('resume/r.bin');
    let saved = '';
    const controller = new AbortController();
    const first = { received: 0, requests: 0 };
    const stopped = downloadObject(core.active().storage, job, {
      engine: { ...fast, partSize: 2 * MiB },
      stats: first,
      signal: controller.signal,
      onCheckpoint: (j) => (saved = JSON.stringify(j)),
      onBytes: () => {
        if (first.received > body.length / 2) controller.abort();
      },
    });
    await expect(stopped).rejects.toMatchObject({ code: 'CANCELLED' });
    await faults([]);
    const restored = JSON.parse(saved) as FileJob;
    expect(restored.partial).toBeTruthy();
    const second = await run(restored, { partSize: 2 * MiB });
    expect(readFileSync(second.path).equals(body)).toBe(true);
    expect(first.received + second.stats.received).toBeLessThanOrEqual(1.1 * body.length);
    expect(readdirSync(job.dir)).toEqual(['r.bin']);
  });

  it('downloads a multipart object with a composite checksum without a false failure', async () => {
    const store = aws.store;
    const id = store.createUpload(bucket, 'multi/m.bin', {
      checksumAlgorithm: 'CRC32',
      checksumType: 'COMPOSITE',
    });
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(MiB)];
    const done = [];
    for (const [n, p] of parts.entries())
      done.push({
        partNumber: n + 1,
        etag: (await store.putPart(bucket, 'multi/m.bin', id, n + 1, Readable.from([p]), undefined))
          .etag,
      });
    await store.completeUpload(bucket, 'multi/m.bin', id, done);
    const r = await run(newJob('multi/m.bin'), { rangeThreshold: 4 * MiB });
    expect(readFileSync(r.path).equals(Buffer.concat(parts))).toBe(true);
    expect(r.checksum).toBeUndefined();
  });
});

describe('download engine with short-lived credentials', () => {
  it('completes a long ranged download while credentials and tokens keep expiring', async () => {
    const short = await startTestAws({
      bucket,
      credentialTtlSeconds: 2,
      idTokenTtlSeconds: 3,
      accessTokenTtlSeconds: 3,
    });
    try {
      createConfirmedUser(short, 'bob@example.com', PASSWORD);
      const body = randomBytes(24 * MiB);
      await short.store.put(bucket, 'long.bin', Readable.from([body]));
      // Six seconds at 4 MiB/s with 2 MiB parts: every part is a fresh, signed request.
      await adminCall(short, 'PUT', 'faults', [
        { operation: 'GetObject', bytesPerSecond: 512 * 1024 },
      ]);
      const { core: c } = newCore(short);
      await c.active().session.signIn('bob@example.com', PASSWORD);
      const before = Object.keys(short.state.data.credentials).length;
      const r = await downloadObject(c.active().storage, newJob('long.bin'), {
        engine: { ...fast, partSize: 2 * MiB, rangeThreshold: MiB },
      });
      expect(readFileSync(r.path).equals(body)).toBe(true);
      expect(Object.keys(short.state.data.credentials).length - before).toBeGreaterThan(1);
    } finally {
      await short.stop();
    }
  });
});

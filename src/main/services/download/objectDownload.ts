/**
 * Downloads one object into a hidden partial file and then, verified, under its final name.
 *
 * - Objects from `rangeThreshold` (16 MiB) up are read as parallel Range requests, each written
 *   at its offset: 8 streams at first, one more (up to 16) while finished parts keep the speed
 *   of the first round, back towards 8 when they slow down, half when S3 says SlowDown. Smaller
 *   ones are one GET of the whole object. Every request after the first is pinned to the object
 *   first seen: `If-Match: <ETag>`, or its VersionId.
 * - The state (ETag, size, checksum, bytes written per part) is a plain `FileJob` the caller may
 *   persist at each checkpoint; given back after a crash, the download goes on from the bytes
 *   already on disk. An object replaced meanwhile (412, 416, another size) restarts from zero.
 *   Nothing is fsynced: verification happens before the file gets its name, so a process crash
 *   never leaves a torn final file (an OS crash is the file system's, as for curl or rclone).
 * - Every body has an idle-read watchdog (a dropped connection can otherwise leave the SDK
 *   waiting forever); stalls, resets, 5xx and SlowDown are retried with capped exponential
 *   backoff, from the byte where the part stopped.
 * - The finished file is checked against the full-object checksum (or the MD5 ETag), hashed
 *   while the download runs by following the contiguous written prefix, so the check costs
 *   little at the end. A mismatch restarts once more and then fails; no final file is left.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { link, open, rm, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type {
  GetObjectCommandInput,
  GetObjectCommandOutput,
  HeadObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { fromS3Error, KuraError } from '../kuraError';
import { diskError } from '../localFiles';
import { numbered } from '../safeNames';
import { createHasher, expectedChecksum, unquote, type ExpectedChecksum } from './checksums';
import {
  backoffDelay,
  classify,
  givenUp,
  ObjectChanged,
  retryReason,
  sleep,
  Stalled,
  withRetries,
  type RetryInfo,
} from './retry';

/** What the engine needs from S3 (StorageService provides it, renewing credentials). */
export interface ObjectReader {
  getObject(input: GetObjectCommandInput, signal: AbortSignal): Promise<GetObjectCommandOutput>;
  headObject(bucket: string, key: string): Promise<HeadObjectCommandOutput>;
}

export interface EngineOptions {
  /** Objects at least this large are read as parallel ranges. */
  rangeThreshold: number;
  /** Parallel range requests per object to start with. */
  maxStreams: number;
  /**
   * The most streams the engine grows to while each stream keeps its speed (a link limited per
   * connection, as S3 is, gives more with more connections; a saturated one does not).
   */
  streamCeiling: number;
  /** Range size; by default about a quarter of an even split, between 1 and 16 MiB. */
  partSize?: number;
  /** A body silent this long is dropped and the part retried. */
  idleTimeoutMs: number;
  /** Failures in a row (without a byte of progress) before a part gives up. */
  retries: number;
  /** First backoff; doubled each time, with jitter, up to 10 s. */
  backoffMs: number;
  /** Restarts from zero after the object changed or failed its check. */
  restarts: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  rangeThreshold: 16 * 1024 * 1024,
  maxStreams: 8,
  streamCeiling: 16,
  idleTimeoutMs: 30_000,
  retries: 8,
  backoffMs: 250,
  restarts: 2,
};

/** The resumable state of one object's download (JSON-safe; the caller may persist it). */
export interface FileJob {
  bucket: string;
  key: string;
  /** Destination folder (already created and checked). */
  dir: string;
  /** The wanted file name (already mapped to a safe one); numbered if taken. */
  name: string;
  /** From the listing, or learnt from the first answer; pins later requests. */
  size?: number;
  etag?: string;
  versionId?: string;
  /** null: the object offers nothing to check beyond its size. */
  expected?: ExpectedChecksum | null;
  /** The hidden partial file's name inside `dir`. */
  partial?: string;
  /** Makes the partial file's name stable across runs (the transfer's id and the key). */
  seed?: string;
  partSize?: number;
  /** Bytes written, contiguous from each part's start. */
  done?: number[];
}

export interface FileResult {
  path: string;
  size: number;
  etag: string;
  versionId?: string;
  /** What the file was checked against (absent: size only). */
  checksum?: ExpectedChecksum;
}

export interface ObjectDownloadOptions {
  signal?: AbortSignal;
  /** New bytes received (negative when bytes are thrown away: a restart, a failed write). */
  onBytes?: (n: number) => void;
  /** A request failed and will be tried again: why, which attempt comes, and when. */
  onRetry?: (r: RetryInfo) => void;
  /** The job changed in a way worth persisting. */
  onCheckpoint?: (job: FileJob) => void;
  /** Names already used in this download, lower-cased. */
  taken?: Set<string>;
  engine?: Partial<EngineOptions>;
  /** Counts bytes received from S3, including any thrown away. */
  stats?: { received: number; requests: number };
}

const MiB = 1024 * 1024;
/** Failures after which the partial file is kept, to go on from it later. */
const RESUMABLE: string[] = ['CANCELLED', 'NETWORK', 'THROTTLED', 'UNAVAILABLE'];
const WRITE_BATCH = 524288;
const WRITES_AHEAD = 2097152;
const HASH_BLOCK = 4 * MiB;

/**
 * The hidden partial file's name: derived from the job's seed when it has one, so a run that died
 * before its state was saved leaves a file the next run recognises as its own (and starts over
 * in) instead of an orphan; random otherwise.
 */
export const partialName = (seed?: string) =>
  `.kura-${
    seed === undefined
      ? randomBytes(8).toString('hex')
      : createHash('sha256').update(seed).digest('hex').slice(0, 16)
  }.partial`;

function choosePartSize(size: number, o: EngineOptions): number {
  if (o.partSize) return o.partSize;
  const even = Math.ceil(size / (o.maxStreams * 4));
  const clamped = Math.min(16 * MiB, Math.max(MiB, even));
  return Math.ceil(clamped / (64 * 1024)) * 64 * 1024;
}

/** Links the verified partial under `name` (or `name (n)`) without ever replacing a file. */
export async function linkFinal(
  dir: string,
  partial: string,
  name: string,
  taken?: Set<string>,
): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : numbered(name, n);
    if (taken?.has(candidate.toLowerCase())) continue;
    try {
      await link(join(dir, partial), join(dir, candidate));
      taken?.add(candidate.toLowerCase());
      return join(dir, candidate);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw diskError(err);
    }
  }
}

/** Removes a job's partial file (after a cancel, or a failure that cannot resume). */
export async function discardPartial(job: FileJob): Promise<void> {
  if (job.partial) await rm(join(job.dir, job.partial), { force: true });
  job.partial = undefined;
  job.done = undefined;
}

export async function downloadObject(
  reader: ObjectReader,
  job: FileJob,
  o: ObjectDownloadOptions = {},
): Promise<FileResult> {
  const run = new ObjectDownload(reader, job, o);
  try {
    return await run.run();
  } catch (err) {
    const e = err instanceof KuraError ? err : fromS3Error(err);
    // Cancelled or paused: the caller decides. A network failure or a busy service may be
    // retried later from the bytes on disk. Anything else cannot be resumed: no partial is left.
    if (!RESUMABLE.includes(e.code)) await discardPartial(job);
    throw e;
  }
}

class ObjectDownload {
  private readonly opt: EngineOptions;
  private fh: FileHandle | null = null;
  private limit: number;
  private readonly rates: number[] = [];
  private baseline = 0;
  private hashed = 0;
  private hashBuf: Buffer | undefined;
  /** The partial file came from an earlier run (or attempt). */
  private resumed = false;
  private hashing: Promise<void> | null = null;
  private hasher: Awaited<ReturnType<typeof createHasher>> | null = null;

  constructor(
    private readonly reader: ObjectReader,
    private readonly job: FileJob,
    private readonly o: ObjectDownloadOptions,
  ) {
    this.opt = { ...DEFAULT_ENGINE_OPTIONS, ...o.engine };
    this.limit = this.opt.maxStreams;
  }

  private get signal(): AbortSignal | undefined {
    return this.o.signal;
  }

  private checkAborted() {
    if (this.signal?.aborted) throw new KuraError('CANCELLED');
  }

  async run(): Promise<FileResult> {
    for (let restarts = 0; ; restarts++) {
      try {
        return await this.attempt();
      } catch (err) {
        await this.closeFile();
        const integrity = err instanceof KuraError && err.code === 'INTEGRITY';
        if (!(err instanceof ObjectChanged) && !integrity) throw err;
        if (restarts >= this.opt.restarts) {
          throw integrity ? err : new KuraError('INTEGRITY', 'the object kept changing');
        }
        // Start again from zero against the object as it is now; never splice.
        const had = (this.job.done ?? []).reduce((a, b) => a + b, 0);
        if (had) this.o.onBytes?.(-had);
        await discardPartial(this.job);
        Object.assign(this.job, {
          etag: undefined,
          versionId: undefined,
          size: undefined,
          expected: undefined,
          partSize: undefined,
        });
        this.o.onCheckpoint?.(this.job);
      }
    }
  }

  private async closeFile() {
    await this.hashing;
    const fh = this.fh;
    this.fh = null;
    this.hashing = null;
    this.hashed = 0;
    this.hasher = null;
    await fh?.close().catch(() => undefined);
  }

  private async attempt(): Promise<FileResult> {
    const job = this.job;
    this.checkAborted();
    if (job.size === undefined || (job.size >= this.opt.rangeThreshold && !job.etag)) {
      const head = await withRetries(() => this.reader.headObject(job.bucket, job.key), {
        signal: this.signal,
        retries: this.opt.retries,
        backoffMs: this.opt.backoffMs,
        onRetry: this.o.onRetry,
      });
      job.size = head.ContentLength ?? 0;
      job.etag = unquote(head.ETag);
      job.versionId = head.VersionId;
      job.expected = expectedChecksum(head) ?? null;
    }
    const size = job.size;
    const ranged = size >= this.opt.rangeThreshold;
    if (!job.partSize || !job.done) {
      job.partSize = ranged ? choosePartSize(size, this.opt) : Math.max(size, 1);
      job.done = new Array<number>(Math.ceil(size / job.partSize)).fill(0);
    }
    await this.openPartial();
    if (job.expected) this.hasher = await createHasher(job.expected.algorithm);
    this.o.onCheckpoint?.(job);
    const already = job.done.reduce((a, b) => a + b, 0);
    if (already) this.o.onBytes?.(already);

    await this.fetchParts();
    this.checkAborted();
    if (job.expected) {
      this.hasher ??= await createHasher(job.expected.algorithm);
      await this.hashing;
      await this.hashUpTo(job.size);
      const actual = await this.hasher.digest();
      if (actual !== job.expected.value) {
        throw new KuraError(
          'INTEGRITY',
          `${job.expected.algorithm} ${actual} ≠ ${job.expected.value}`,
        );
      }
    }
    if (this.resumed) {
      // Bytes from an earlier run: the file must hold exactly the object, no more.
      const st = await this.fh!.stat();
      if (st.size !== job.size) {
        throw new KuraError('INTEGRITY', `expected ${job.size} bytes, found ${st.size}`);
      }
    }
    // Readable like any file the user saves (the partial was private to the user while written).
    await this.fh!.chmod(0o644 & ~process.umask()).catch((e: unknown) => {
      throw diskError(e);
    });
    await this.closeFile();
    const partialPath = join(job.dir, job.partial!);
    const path = await linkFinal(job.dir, job.partial!, job.name, this.o.taken);
    await unlink(partialPath).catch(() => undefined);
    job.partial = undefined;
    return {
      path,
      size: job.size,
      etag: job.etag ?? '',
      ...(job.versionId ? { versionId: job.versionId } : {}),
      ...(job.expected ? { checksum: job.expected } : {}),
    };
  }

  private async openPartial() {
    const job = this.job;
    if (job.partial) {
      try {
        this.fh = await open(join(job.dir, job.partial), 'r+');
        this.resumed = true;
        const st = await this.fh.stat();
        // Bytes the journal counts but the file lacks (a crash between the two) are fetched again.
        job.done = job.done!.map((d, i) => Math.max(0, Math.min(d, st.size - i * job.partSize!)));
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw diskError(err);
        job.done = job.done!.map(() => 0);
      }
    }
    job.partial = partialName(job.seed);
    try {
      this.fh = await open(join(job.dir, job.partial), 'wx+', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || job.seed === undefined)
        throw diskError(err);
      // This job's own file from a run that stopped before saving what it held: start it over.
      try {
        this.fh = await open(join(job.dir, job.partial), 'w+', 0o600);
      } catch (again) {
        throw diskError(again);
      }
    }
  }

  /** Runs the parts with at most `limit` at once. */
  private async fetchParts() {
    const job = this.job;
    const pending: number[] = [];
    for (let i = 0; i < job.done!.length; i++) if (!this.partComplete(i)) pending.push(i);
    const running = new Set<Promise<void>>();
    const inner = new AbortController();
    setMaxListeners(0, inner.signal);
    const onAbort = () => inner.abort();
    this.signal?.addEventListener('abort', onAbort, { once: true });
    let failure: unknown;
    try {
      while (failure === undefined) {
        while (running.size < this.limit && pending.length) {
          const i = pending.shift()!;
          const began = performance.now();
          const had = this.job.done![i]!;
          const p: Promise<void> = this.fetchPart(i, inner.signal).then(
            () => {
              this.adapt((this.job.done![i]! - had) / Math.max(1, performance.now() - began));
              running.delete(p);
            },
            (err: unknown) => {
              running.delete(p);
              if (failure === undefined) failure = err;
              inner.abort();
            },
          );
          running.add(p);
        }
        if (!running.size) break;
        await Promise.race(running);
      }
      await Promise.allSettled(running);
    } finally {
      this.signal?.removeEventListener('abort', onAbort);
    }
    if (failure !== undefined) {
      this.checkAborted();
      throw failure instanceof Error ? failure : new KuraError('UNKNOWN');
    }
  }

  /**
   * Adapts the number of streams to the link from each finished part's speed (bytes/ms): while
   * parts arrive as fast as they did with the first streams, one more stream is added (up to
   * the ceiling); when they slow to well under that, an added one is taken away. SlowDown
   * halves it.
   */
  private adapt(rate: number) {
    if (!(rate > 0)) return;
    this.rates.push(rate);
    if (this.rates.length <= this.opt.maxStreams) {
      // The first round sets the baseline: the median speed of a stream.
      const sorted = [...this.rates].sort((a, b) => a - b);
      this.baseline = sorted[Math.floor(sorted.length / 2)]!;
      return;
    }
    if (rate >= 0.85 * this.baseline)
      this.limit = Math.min(Math.max(this.opt.streamCeiling, this.opt.maxStreams), this.limit + 1);
    // Slower parts give back the extra streams, but not the first eight: going under those is
    // for S3 to ask (SlowDown halves), not for a noisy measurement to decide.
    else if (rate < 0.6 * this.baseline)
      this.limit = Math.max(Math.min(this.limit, this.opt.maxStreams), this.limit - 1);
  }

  private partRange(i: number): [number, number] {
    const start = i * this.job.partSize!;
    return [start, Math.min(this.job.size!, start + this.job.partSize!)];
  }

  private partComplete(i: number): boolean {
    const [start, end] = this.partRange(i);
    return start + this.job.done![i]! >= end;
  }

  private async fetchPart(i: number, signal: AbortSignal) {
    const job = this.job;
    let failures = 0;
    for (;;) {
      if (signal.aborted) throw new KuraError('CANCELLED');
      const [partStart, partEnd] = this.partRange(i);
      const from = partStart + job.done![i]!;
      if (from >= partEnd) return;
      const before = job.done![i]!;
      try {
        await this.readRange(i, from, partEnd, signal);
        return;
      } catch (err) {
        if (signal.aborted) throw new KuraError('CANCELLED');
        const kind = classify(err);
        if (kind === 'changed') throw new ObjectChanged();
        if (kind === 'fatal') throw err;
        if (kind === 'throttled') this.limit = Math.max(1, Math.floor(this.limit / 2));
        failures = job.done![i]! > before ? 1 : failures + 1;
        if (failures > this.opt.retries) throw givenUp(err);
        const wait = backoffDelay(failures, this.opt.backoffMs);
        this.o.onRetry?.({
          reason: retryReason(err, kind),
          attempt: failures + 1,
          nextAttemptAt: Date.now() + wait,
        });
        await sleep(wait, signal);
      }
    }
  }

  /** One GET of [from, end) for part i, written at its offset, with the idle watchdog. */
  private async readRange(i: number, from: number, end: number, signal: AbortSignal) {
    const job = this.job;
    const whole = from === 0 && end === job.size && !job.etag;
    const input: GetObjectCommandInput = {
      Bucket: job.bucket,
      Key: job.key,
      ...(whole ? { ChecksumMode: 'ENABLED' } : { Range: `bytes=${from}-${end - 1}` }),
      ...(job.versionId
        ? { VersionId: job.versionId }
        : job.etag
          ? { IfMatch: `"${job.etag}"` }
          : {}),
    };
    const watchdog = new AbortController();
    let body: Readable | undefined;
    // A lazy idle timer: each chunk only notes the time; the timer re-arms itself for the rest
    // of the window, and fires only after a whole window without data (or without a write
    // finishing, when the disk is what is slow).
    let lastActivity = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const idle = this.opt.idleTimeoutMs;
    const check = () => {
      const quiet = performance.now() - lastActivity;
      if (quiet < idle) {
        timer = setTimeout(check, idle - quiet + 1);
        return;
      }
      const stalled = new Stalled('no data arrived for too long');
      watchdog.abort(stalled);
      body?.destroy(stalled);
    };
    timer = setTimeout(check, idle);
    const requestSignal = AbortSignal.any([signal, watchdog.signal]);
    const onAbort = () => body?.destroy(new KuraError('CANCELLED'));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (this.o.stats) this.o.stats.requests++;
      let got: GetObjectCommandOutput;
      try {
        got = await this.reader.getObject(input, requestSignal);
      } catch (err) {
        if (watchdog.signal.aborted && !signal.aborted) throw new Stalled();
        throw err;
      }
      lastActivity = performance.now();
      if (whole) {
        job.etag = unquote(got.ETag);
        job.versionId = got.VersionId;
        job.expected = expectedChecksum(got) ?? null;
        if (job.expected) this.hasher = await createHasher(job.expected.algorithm);
        if ((got.ContentLength ?? 0) !== job.size) {
          // Replaced since it was listed: start over with the object as it is.
          (got.Body as Readable | undefined)?.destroy();
          job.etag = undefined;
          job.size = got.ContentLength ?? 0;
          job.partSize = undefined;
          job.done = undefined;
          throw new ObjectChanged();
        }
        this.o.onCheckpoint?.(job);
      } else {
        const total = /\/(\d+)$/.exec(got.ContentRange ?? '')?.[1];
        if (Number(total) !== job.size || got.ContentLength !== end - from) {
          (got.Body as Readable | undefined)?.destroy();
          throw new ObjectChanged();
        }
      }
      body = got.Body as Readable | undefined;
      if (!body) {
        if (end > from) throw new Error('empty body');
        return;
      }
      await this.receive(i, body, from, end, () => (lastActivity = performance.now()));
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Reads `body` into the partial file at [from, end). Writes are pipelined: batches of about
   * 1 MiB go to the disk in order while reading goes on, with at most WRITES_AHEAD bytes
   * waiting, so the socket is not paused for every write. The part's `done` counter moves only
   * when a write has finished, so what is persisted never claims bytes the file lacks.
   */
  private async receive(
    i: number,
    body: Readable,
    from: number,
    end: number,
    active: () => void,
  ): Promise<void> {
    const job = this.job;
    let queued = from; // bytes handed to the writer so far
    let written = from;
    let waiting = 0;
    let chain: Promise<void> = Promise.resolve();
    let writeError: KuraError | undefined;
    let batch: Buffer[] = [];
    let batched = 0;
    const flush = () => {
      if (!batched) return;
      const bufs = batch;
      const n = batched;
      const at = queued;
      batch = [];
      batched = 0;
      queued += n;
      waiting += n;
      chain = chain.then(async () => {
        if (writeError !== undefined) return;
        try {
          const w = await this.fh!.writev(bufs, at);
          if (w.bytesWritten !== n) throw new KuraError('DISK', 'short write');
          written += n;
          job.done![i]! += n;
          active();
          this.o.onCheckpoint?.(job);
          if (this.hasher && !this.hashing && this.hashed === at) {
            // In order at the hash frontier (always so for a single stream): hash what was
            // just written instead of reading it back.
            for (const b of bufs) this.hasher.update(b);
            this.hashed += n;
          } else this.kickHash();
        } catch (e) {
          writeError = diskError(e);
        } finally {
          waiting -= n;
        }
      });
    };
    try {
      for await (const chunk of body) {
        const b = chunk as Buffer;
        active();
        if (this.o.stats) this.o.stats.received += b.length;
        if (queued + batched + b.length > end) throw new ObjectChanged();
        batch.push(b);
        batched += b.length;
        // Progress as bytes arrive (a slow link must not look stuck for a whole batch).
        this.o.onBytes?.(b.length);
        if (batched >= WRITE_BATCH) {
          flush();
          if (waiting > WRITES_AHEAD) await chain;
          if (writeError !== undefined) throw writeError;
        }
      }
    } catch (err) {
      // What arrived before the break is good: keep it, so a retry or a resume goes on from it.
      if (!(err instanceof ObjectChanged)) flush();
      await chain;
      const lost = queued + batched - written;
      if (lost) this.o.onBytes?.(-lost);
      throw err;
    }
    flush();
    await chain;
    if (writeError !== undefined) {
      this.o.onBytes?.(-(queued - written));
      throw writeError;
    }
    if (written !== end) throw new Error(`body ended at ${written}, expected ${end}`);
  }

  /** Bytes on disk without a gap from the start of the file. */
  private frontier(): number {
    const job = this.job;
    let f = 0;
    for (let i = 0; i < job.done!.length; i++) {
      f += job.done![i]!;
      if (!this.partComplete(i)) break;
    }
    return f;
  }

  /** Hashes the contiguous prefix in the background while parts are still arriving. */
  private kickHash() {
    if (!this.job.expected || this.hashing) return;
    const upTo = this.frontier();
    if (upTo - this.hashed < HASH_BLOCK) return;
    this.hashing = (async () => {
      this.hasher ??= await createHasher(this.job.expected!.algorithm);
      await this.hashUpTo(upTo);
    })()
      .catch(() => undefined)
      .finally(() => (this.hashing = null));
  }

  private async hashUpTo(upTo: number) {
    const fh = this.fh;
    if (!fh || !this.hasher) return;
    if (this.hashed >= upTo) return;
    // One read buffer for the whole download (a new 4 MiB one per catch-up was most of the GC).
    if (!this.hashBuf || this.hashBuf.length < Math.min(HASH_BLOCK, upTo - this.hashed))
      this.hashBuf = Buffer.allocUnsafe(
        Math.min(HASH_BLOCK, Math.max(upTo - this.hashed, this.job.size ?? 0)),
      );
    const buf = this.hashBuf;
    while (this.hashed < upTo) {
      const n = Math.min(buf.length, upTo - this.hashed);
      const { bytesRead } = await fh.read(buf, 0, n, this.hashed);
      if (bytesRead <= 0) throw new KuraError('INTEGRITY', 'the partial file is shorter');
      this.hasher.update(buf.subarray(0, bytesRead));
      this.hashed += bytesRead;
    }
  }
}

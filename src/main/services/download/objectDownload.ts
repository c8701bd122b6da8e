/**
 * Downloads one object into a hidden partial file and then, verified, under its final name.
 *
 * - Objects from `rangeThreshold` (16 MiB) up are read as parallel Range requests, each written
 *   at its offset: 8 streams at first, one more (up to 16) while finished parts keep the speed
 *   of the first round, back towards 8 when they slow down, half when S3 says SlowDown. Smaller
 *   ones are one GET of the whole object. Every request after the first is pinned to the object
 *   first seen with `If-Match: <ETag>` — never with its VersionId, which would need
 *   s3:GetObjectVersion on a versioned bucket (the roles grant only s3:GetObject).
 * - The state (ETag, size, checksum, bytes written per part) is a plain `FileJob` the caller may
 *   persist at each checkpoint; given back after a crash, the download goes on from the bytes
 *   already on disk. An object replaced meanwhile (412, 416, another size) restarts from zero.
 *   fsync policy: nothing is fsynced. Verification happens before the file gets its name, so a
 *   process crash never leaves a torn final file; after an OS crash a file may lack its last
 *   bytes, as with curl, rclone or `aws s3 cp` (which do not fsync either) — an fsync per file
 *   would cost a disk flush per small file for a risk the user can see and redo.
 * - Every body has an idle-read watchdog (a dropped connection can otherwise leave the SDK
 *   waiting forever); stalls, resets, 5xx and SlowDown are retried with capped exponential
 *   backoff, from the byte where the part stopped.
 * - The finished file is checked against the full-object checksum (or the MD5 ETag), hashed
 *   from memory as each write lands (downloadHash.ts: CRCs part by part, joined at the end;
 *   MD5/SHA in order), so the check costs no second pass over the disk. A mismatch restarts
 *   once more and then fails; no final file is left.
 * - Writes go to the file one at a time, in batches, whichever part they come from: parallel
 *   writes to one file contend for its inode lock, which costs more CPU than the writes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { constants as fsConstants, createReadStream } from 'node:fs';
import { link, lstat, open, rm, unlink, type FileHandle } from 'node:fs/promises';
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
import { DownloadHash } from './downloadHash';
import { fileIdentity, type PartialLedger } from './partialLedger';
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
  /** Identity (device, inode, birth time) of the partial as created: a resume writes only into that very file. */
  partialId?: string;
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
  /** How long each request waited for its answer (ms): the link's latency as the engine sees it. */
  onFirstByte?: (ms: number) => void;
  /** Where new partial files are recorded (for the sweep after a crash). */
  ledger?: PartialLedger;
  /**
   * A job resumed from a persisted transfer: a file already under its name (or a numbered one)
   * with the object's exact size and checksum is taken as this job's own, finished by a run that
   * stopped before it could save that (instead of downloading a numbered twin).
   */
  adoptFinished?: boolean;
}

const MiB = 1024 * 1024;
/** Failures after which the partial file is kept, to go on from it later. */
const RESUMABLE: string[] = ['CANCELLED', 'NETWORK', 'THROTTLED', 'UNAVAILABLE'];
const WRITE_BATCH = 524288;
const WRITES_AHEAD = 2097152;

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
  // rm on a path removes a link planted there, never what it points to.
  if (job.partial) await rm(join(job.dir, job.partial), { force: true });
  job.partial = undefined;
  job.partialId = undefined;
  job.done = undefined;
}

// Partial files are opened without following a link at their name (O_NOFOLLOW; Windows has no
// symlinks an unprivileged user can plant in a user folder, and no such flag).
const NOFOLLOW = fsConstants.O_NOFOLLOW ?? 0;
const OPEN_EXISTING = fsConstants.O_RDWR | NOFOLLOW;
const CREATE_NEW = fsConstants.O_RDWR | fsConstants.O_CREAT | fsConstants.O_EXCL | NOFOLLOW;

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
  /** The partial file came from an earlier run (or attempt). */
  private resumed = false;
  /** The running check (when the object has a checksum to meet). */
  private hash: DownloadHash | null = null;
  /**
   * Every write to the file, one after another: parallel writes to one file contend for its
   * inode lock, which on Linux costs more CPU than the writes themselves.
   */
  private writes: Promise<void> = Promise.resolve();

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
    const earlier = await this.finishedEarlier();
    if (earlier) return earlier;
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

  /**
   * A run that stopped right after a verified file got its final name — before it could save
   * that — left a job that would download it again, as a numbered twin (found by the soak:
   * `f8 (1).dat` after a SIGKILL). The file is this job's own when it is the very file the job's
   * partial was (same identity: the partial is gone), or — for a resumed transfer whose saved
   * state predates the partial — when it has the object's exact size and checksum.
   */
  private async finishedEarlier(): Promise<FileResult | undefined> {
    const job = this.job;
    const byIdentity = job.partial !== undefined && job.partialId !== undefined;
    if (!byIdentity && !this.o.adoptFinished) return undefined;
    if (job.partial && (await lstat(join(job.dir, job.partial)).catch(() => null)))
      return undefined; // the partial is there: resume it
    for (let n = 0; n < 10_000; n++) {
      const candidate = n === 0 ? job.name : numbered(job.name, n);
      const path = join(job.dir, candidate);
      const st = await lstat(path, { bigint: true }).catch(() => null);
      if (!st) return undefined;
      if (!st.isFile()) continue;
      const same =
        byIdentity && fileIdentity(st) === job.partialId
          ? Number(st.size) === job.size
          : this.o.adoptFinished === true && (await this.holdsObject(path, Number(st.size)));
      if (!same) continue;
      this.o.taken?.add(candidate.toLowerCase());
      job.partial = undefined;
      job.partialId = undefined;
      return {
        path,
        size: job.size!,
        etag: job.etag ?? '',
        ...(job.versionId ? { versionId: job.versionId } : {}),
        ...(job.expected ? { checksum: job.expected } : {}),
      };
    }
    return undefined;
  }

  /** Whether the file at `path` (of `size` bytes) has the object's size and checksum. */
  private async holdsObject(path: string, size: number): Promise<boolean> {
    await this.learn();
    const job = this.job;
    if (size !== job.size || !job.expected) return false;
    const hasher = await createHasher(job.expected.algorithm);
    for await (const chunk of createReadStream(path)) hasher.update(chunk as Buffer);
    return (await hasher.digest()) === job.expected.value;
  }

  /** Size, ETag, version and checksum from a HEAD, once. */
  private async learn(force = false) {
    const job = this.job;
    if (!force && job.size !== undefined && job.expected !== undefined) return;
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

  private async closeFile() {
    await this.writes;
    await this.hash?.settle();
    const fh = this.fh;
    this.fh = null;
    this.hash = null;
    await fh?.close().catch(() => undefined);
  }

  /** Starts the running check; `resume`: hash first what the file already holds. */
  private async startHash(resume: boolean) {
    const job = this.job;
    this.hash = await DownloadHash.create(this.fh!, job.expected!, job.size!, job.partSize!, () =>
      this.frontier(),
    );
    if (resume) await this.hash.resume(job.done!);
  }

  private async attempt(): Promise<FileResult> {
    const job = this.job;
    this.checkAborted();
    if (job.size === undefined || (job.size >= this.opt.rangeThreshold && !job.etag))
      await this.learn(true);
    const size = job.size!;
    const ranged = size >= this.opt.rangeThreshold;
    if (!job.partSize || !job.done) {
      job.partSize = ranged ? choosePartSize(size, this.opt) : Math.max(size, 1);
      job.done = new Array<number>(Math.ceil(size / job.partSize)).fill(0);
    }
    await this.openPartial();
    const already = job.done.reduce((a, b) => a + b, 0);
    if (job.expected) await this.startHash(already > 0);
    this.o.onCheckpoint?.(job);
    if (already) this.o.onBytes?.(already);

    await this.fetchParts();
    this.checkAborted();
    if (job.expected) {
      if (!this.hash) await this.startHash(true);
      const actual = await this.hash!.digest();
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
    // The name now holds the verified file, not something swapped in after it was closed.
    const linked = await lstat(path, { bigint: true });
    if (job.partialId !== undefined && fileIdentity(linked) !== job.partialId) {
      await unlink(path).catch(() => undefined);
      throw new KuraError('INTEGRITY', 'the partial file was replaced before it got its name');
    }
    await unlink(partialPath).catch(() => undefined);
    job.partial = undefined;
    job.partialId = undefined;
    return {
      path,
      size,
      etag: job.etag ?? '',
      ...(job.versionId ? { versionId: job.versionId } : {}),
      ...(job.expected ? { checksum: job.expected } : {}),
    };
  }

  /**
   * Opens the job's partial file to go on with it, or creates a new one. A resume writes only
   * into the very file this job created (security review #3): the name is opened without
   * following a link, and its identity (device, inode, birth time) must be the one recorded — a link, a hard link
   * or another file planted at the name is unlinked (never followed) and the download starts
   * over in a file of its own.
   */
  private async openPartial() {
    const job = this.job;
    if (job.partial) {
      const path = join(job.dir, job.partial);
      let fh: FileHandle | undefined;
      try {
        fh = await open(path, OPEN_EXISTING);
        const st = await fh.stat({ bigint: true });
        if (st.isFile() && job.partialId !== undefined && fileIdentity(st) === job.partialId) {
          this.fh = fh;
          this.resumed = true;
          const size = Number(st.size);
          // Bytes the journal counts but the file lacks (a crash between the two) are fetched again.
          job.done = job.done!.map((d, i) => Math.max(0, Math.min(d, size - i * job.partSize!)));
          return;
        }
        await fh.close();
        await unlink(path).catch(() => undefined);
      } catch (err) {
        await fh?.close().catch(() => undefined);
        const code = (err as NodeJS.ErrnoException).code;
        // ELOOP: a symbolic link at the name.
        if (code === 'ELOOP') await unlink(path).catch(() => undefined);
        else if (code !== 'ENOENT') throw diskError(err);
      }
      job.done = job.done!.map(() => 0);
      job.partialId = undefined;
    }
    job.partial = partialName(job.seed);
    const path = join(job.dir, job.partial);
    try {
      this.fh = await open(path, CREATE_NEW, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || job.seed === undefined)
        throw diskError(err);
      // This job's own file from a run that stopped before saving what it held (or something
      // planted at its name): unlink the name and start over in a new file.
      try {
        await unlink(path);
        this.fh = await open(path, CREATE_NEW, 0o600);
      } catch (again) {
        throw diskError(again);
      }
    }
    job.partialId = fileIdentity(await this.fh.stat({ bigint: true }));
    this.o.ledger?.record(path, job.partialId);
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
      ...(job.etag ? { IfMatch: `"${job.etag}"` } : {}),
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
      const asked = performance.now();
      try {
        got = await this.reader.getObject(input, requestSignal);
      } catch (err) {
        if (watchdog.signal.aborted && !signal.aborted) throw new Stalled();
        throw err;
      }
      lastActivity = performance.now();
      this.o.onFirstByte?.(lastActivity - asked);
      if (whole) {
        job.etag = unquote(got.ETag);
        job.versionId = got.VersionId;
        job.expected = expectedChecksum(got) ?? null;
        if (job.expected) await this.startHash(false);
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
      // Behind every write already queued, this part's and the other parts' alike.
      chain = this.writes = this.writes.then(async () => {
        if (writeError !== undefined) return;
        try {
          const w = await this.fh!.writev(bufs, at);
          if (w.bytesWritten !== n) throw new KuraError('DISK', 'short write');
          written += n;
          job.done![i]! += n;
          active();
          this.o.onCheckpoint?.(job);
          this.hash?.written(i, at, bufs, n);
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
}

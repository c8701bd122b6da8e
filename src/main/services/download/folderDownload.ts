/**
 * Downloads everything under a prefix into a new folder, fed while the listing is still paging:
 * a page is listed only while fewer than `lookahead` files wait, so 100,000 objects need neither
 * a full pre-listing nor memory for it. The state (the next page's token, the files listed but
 * not finished with their own resumable jobs, the counts) is a plain `FolderJob` the caller may
 * persist; given back, the download goes on where it stopped. Hostile keys are mapped or skipped
 * one by one (safeNames) and every skipped item is reported.
 */
import { setMaxListeners } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { SkippedItem } from '../../../shared/ipc';
import type { Problem } from '../../../shared/errors';
import { fromS3Error, KuraError } from '../kuraError';
import { ensureFolder } from '../localFiles';
import { safeRelativePath, safeSegment } from '../safeNames';
import {
  DEFAULT_ENGINE_OPTIONS,
  discardPartial,
  downloadObject,
  type EngineOptions,
  type FileJob,
  type FileResult,
  type ObjectReader,
} from './objectDownload';
import type { PartialLedger } from './partialLedger';
import { withRetries, type RetryInfo, type WaitForNetwork } from './retry';
import { keyName } from '../../../shared/keyName';

export interface FolderReader extends ObjectReader {
  listPage(
    bucket: string,
    prefix: string,
    token?: string,
    signal?: AbortSignal,
  ): Promise<ListObjectsV2CommandOutput>;
}

export interface PendingFile {
  key: string;
  size: number;
  segments: string[];
  job?: FileJob;
}

export interface FolderJob {
  bucket: string;
  prefix: string;
  /** Where the folder is created. */
  destDir: string;
  /** Gives each file's partial a stable name (see FileJob.seed). */
  seed?: string;
  /** The folder made for this download (absolute), once made. */
  folder?: string;
  /** The next listing page: undefined before the first, null when the listing is done. */
  nextToken?: string | null;
  pending: PendingFile[];
  filesDone: number;
  /** Bytes of the finished files. */
  bytesFinished: number;
  filesTotal: number;
  bytesTotal: number;
  skipped: SkippedItem[];
}

export interface FolderProgress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  listing: boolean;
  /** The files in flight now, by key (a live map: read it, do not keep it). */
  active: ReadonlyMap<string, ActiveFile>;
}

/** A file of a folder download in flight. */
export interface ActiveFile {
  key: string;
  /** The key below the folder's prefix. */
  path: string;
  bytesDone: number;
  size: number;
  /** Set while this file waits to try again. */
  retry?: RetryInfo;
}

export interface FolderDownloadOptions extends WaitForNetwork {
  signal?: AbortSignal;
  onProgress?: (p: FolderProgress) => void;
  onCheckpoint?: (job: FolderJob) => void;
  /** Each verified file, as it lands. */
  onFile?: (key: string, r: FileResult) => void;
  /** The listing or a file failed and will be tried again (see RetryInfo). */
  onRetry?: (r: RetryInfo) => void;
  /**
   * Files downloaded at once (at most 4 of them large enough for parallel ranges): `filesAtOnce`
   * (32), more — up to `filesCeiling` (128) — while answers take long to start compared with the
   * time a file then needs (a link with latency: Little's law wants more in flight).
   */
  filesAtOnce?: number;
  filesCeiling?: number;
  lookahead?: number;
  engine?: Partial<EngineOptions>;
  stats?: { received: number; requests: number };
  /** Where new partial files are recorded (objectDownload's option). */
  ledger?: PartialLedger;
  /** A resumed transfer (objectDownload's option). */
  adoptFinished?: boolean;
}

/**
 * How many files to keep in flight: the base while a file's own work (body, disk, CPU) is what
 * takes time; more while the first byte is what it waits for — about base × wait ÷ (4 × work),
 * up to the ceiling. Judged on the last files' medians, every 16 files.
 */
export class FilesInFlight {
  private readonly waits: number[] = [];
  private readonly works: number[] = [];
  private finished = 0;
  limit: number;

  constructor(
    private readonly base: number,
    private readonly ceiling: number,
  ) {
    this.limit = base;
  }

  /** A file finished: `wait` ms until its answer started, `work` ms after that. */
  record(wait: number, work: number): void {
    this.waits.push(wait);
    this.works.push(work);
    if (this.waits.length > 64) {
      this.waits.shift();
      this.works.shift();
    }
    if (++this.finished % 16 !== 0) return;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const want = (this.base * median(this.waits)) / (4 * Math.max(0.5, median(this.works)));
    this.limit = Math.max(this.base, Math.min(this.ceiling, Math.round(want)));
  }
}

/** Failures that stop the whole folder (it can go on later); any other skips the one file. */
const STOPS_THE_FOLDER = [
  'CANCELLED',
  'SESSION_EXPIRED',
  'NETWORK',
  'DISK',
  'THROTTLED',
  'UNAVAILABLE',
  'PROXY_UNREACHABLE',
  'PROXY_AUTH_REQUIRED',
  'PROXY_AUTH_FAILED',
  'TLS_UNTRUSTED',
  'NETWORK_WAIT_TIMEOUT',
];

/** A key whose name cannot be saved safely, skipped with the reason. */
const unsafe = (key: string, problem: Problem): SkippedItem => ({
  key,
  reason: { code: 'UNSAFE_NAME', detail: key, problems: [problem] },
});

export function newFolderJob(bucket: string, prefix: string, destDir: string): FolderJob {
  return {
    bucket,
    prefix,
    destDir,
    pending: [],
    filesDone: 0,
    bytesFinished: 0,
    filesTotal: 0,
    bytesTotal: 0,
    skipped: [],
  };
}

/** Removes the partial files of a folder download's unfinished files. */
export async function discardFolderPartials(job: FolderJob): Promise<void> {
  for (const p of job.pending) if (p.job) await discardPartial(p.job);
}

/** Makes `destDir/<name>` (or `<name> (n)`) and returns it. */
async function makeRootFolder(destDir: string, name: string): Promise<string> {
  const base = await ensureFolder(destDir, []);
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : `${name} (${n})`;
    try {
      await mkdir(join(base, candidate));
      return await ensureFolder(destDir, [candidate]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

export async function downloadFolder(
  reader: FolderReader,
  job: FolderJob,
  o: FolderDownloadOptions = {},
): Promise<FolderJob> {
  const inFlight = new FilesInFlight(o.filesAtOnce ?? 32, o.filesCeiling ?? 128);
  // Files this large are read as parallel ranges: at most four of them at once.
  const large = o.engine?.rangeThreshold ?? DEFAULT_ENGINE_OPTIONS.rangeThreshold;
  const lookahead = o.lookahead ?? 1000;
  // A download that goes on (after a pause, a crash, a cancel and Retry) goes on in the folder
  // it made, even when that folder was removed meanwhile: never beside it as "name (1)".
  // (ensureFolder makes it again if needed, and refuses a link planted in its place.)
  if (job.folder) job.folder = await ensureFolder(job.destDir, [basename(job.folder)]);
  job.folder ??= await makeRootFolder(job.destDir, safeSegment(keyName(job.prefix) || job.bucket));
  const folder = job.folder;
  const engine = { ...DEFAULT_ENGINE_OPTIONS, ...o.engine };
  const active = new Map<string, ActiveFile>();
  o.onCheckpoint?.(job);

  const dirs = new Map<string, Promise<string>>();
  const dirOf = (segments: string[]) => {
    const k = segments.join('/');
    let d = dirs.get(k);
    if (!d) dirs.set(k, (d = ensureFolder(folder, segments)));
    return d;
  };
  const takenByDir = new Map<string, Set<string>>();
  const takenFor = (segments: string[]) => {
    const k = segments.join('/').toLowerCase();
    let t = takenByDir.get(k);
    if (!t) takenByDir.set(k, (t = new Set()));
    return t;
  };

  let inFlightBytes = 0;
  const progress = () =>
    o.onProgress?.({
      bytesDone: job.bytesFinished + inFlightBytes,
      bytesTotal: job.bytesTotal,
      filesDone: job.filesDone,
      filesTotal: job.filesTotal,
      listing: job.nextToken !== null,
      active,
    });

  const inner = new AbortController();
  setMaxListeners(0, inner.signal);
  const onAbort = () => inner.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let failure: KuraError | undefined;
  const fail = (e: KuraError) => {
    failure ??= e;
    inner.abort();
  };

  // Listed files not started yet, in listing order (after a resume: the unfinished ones).
  const waiting: PendingFile[] = [...job.pending];
  const deferred: PendingFile[] = [];
  const running = new Set<Promise<void>>();
  let runningLarge = 0;
  let listing: Promise<void> | null = null;
  let wake: () => void = () => undefined;

  const listMore = async () => {
    const page = await withRetries(
      // A cancel stops a page on its way too, instead of waiting for it.
      () => reader.listPage(job.bucket, job.prefix, job.nextToken ?? undefined, inner.signal),
      {
        signal: inner.signal,
        retries: engine.retries,
        backoffMs: engine.backoffMs,
        onRetry: o.onRetry,
        network: o.network,
        onWaiting: o.onWaiting,
      },
    );
    for (const obj of page.Contents ?? []) {
      const key = obj.Key!;
      const size = obj.Size ?? 0;
      const relative = key.slice(job.prefix.length);
      if (relative.endsWith('/') && size === 0) {
        // A folder marker: reproduce the (possibly empty) folder.
        const trimmed = relative.replace(/\/+$/, '');
        const mapped = safeRelativePath(trimmed);
        if (mapped.ok) await dirOf(mapped.segments);
        else if (trimmed) job.skipped.push(unsafe(key, mapped.problem));
        continue;
      }
      const mapped = safeRelativePath(relative);
      if (!mapped.ok) {
        job.skipped.push(unsafe(key, mapped.problem));
        continue;
      }
      const p: PendingFile = { key, size, segments: mapped.segments };
      job.pending.push(p);
      waiting.push(p);
      job.filesTotal++;
      job.bytesTotal += size;
    }
    job.nextToken =
      page.IsTruncated && page.NextContinuationToken ? page.NextContinuationToken : null;
    o.onCheckpoint?.(job);
    progress();
  };

  const runFile = async (p: PendingFile) => {
    const dir = await dirOf(p.segments.slice(0, -1));
    p.job ??= {
      bucket: job.bucket,
      key: p.key,
      dir,
      name: p.segments[p.segments.length - 1]!,
      size: p.size,
      ...(job.seed !== undefined ? { seed: `${job.seed}\n${p.key}` } : {}),
    };
    let credited = 0;
    const began = performance.now();
    let wait: number | undefined;
    const file: ActiveFile = {
      key: p.key,
      path: p.key.slice(job.prefix.length),
      bytesDone: 0,
      size: p.size,
    };
    active.set(p.key, file);
    try {
      const r = await downloadObject(reader, p.job, {
        signal: inner.signal,
        taken: takenFor(p.segments.slice(0, -1)),
        engine: o.engine,
        stats: o.stats,
        onFirstByte: (ms) => (wait ??= ms),
        ledger: o.ledger,
        adoptFinished: o.adoptFinished,
        network: o.network,
        onWaiting: o.onWaiting,
        onCheckpoint: () => o.onCheckpoint?.(job),
        onBytes: (n) => {
          credited += n;
          inFlightBytes += n;
          file.bytesDone = credited;
          if (n > 0) file.retry = undefined;
          progress();
        },
        onRetry: (retry) => {
          file.retry = retry;
          o.onRetry?.(retry);
        },
      });
      job.filesDone++;
      job.bytesFinished += r.size;
      if (wait !== undefined) inFlight.record(wait, performance.now() - began - wait);
      o.onFile?.(p.key, r);
    } catch (err) {
      const e = err instanceof KuraError ? err : fromS3Error(err);
      if (STOPS_THE_FOLDER.includes(e.code)) {
        if (e.code !== 'CANCELLED') fail(e);
        return;
      }
      // This file alone cannot be had (denied, gone, failed its check): the rest goes on.
      job.skipped.push({ key: p.key, reason: e.toView() });
      job.filesTotal--;
      job.bytesTotal -= p.size;
    } finally {
      inFlightBytes -= credited;
      active.delete(p.key);
    }
    job.pending.splice(job.pending.indexOf(p), 1);
    o.onCheckpoint?.(job);
    progress();
  };

  try {
    progress();
    for (;;) {
      if (inner.signal.aborted) break;
      if (!listing && job.nextToken !== null && job.pending.length < lookahead) {
        listing = listMore()
          .catch((err: unknown) => fail(err instanceof KuraError ? err : fromS3Error(err)))
          .finally(() => {
            listing = null;
            wake();
          });
      }
      while (running.size < inFlight.limit) {
        // Large files wait for one of the four large-file places; small ones go on meanwhile.
        let p = runningLarge < 4 ? deferred.shift() : undefined;
        p ??= waiting.shift();
        if (!p) break;
        const isLarge = p.size >= large;
        if (isLarge && runningLarge >= 4) {
          deferred.push(p);
          if (!waiting.length) break;
          continue;
        }
        if (isLarge) runningLarge++;
        const t: Promise<void> = runFile(p)
          .catch((err: unknown) => fail(err instanceof KuraError ? err : fromS3Error(err)))
          .finally(() => {
            running.delete(t);
            if (isLarge) runningLarge--;
            wake();
          });
        running.add(t);
      }
      if (!running.size && !listing && job.nextToken === null) break;
      await new Promise<void>((r) => (wake = r));
    }
    await Promise.allSettled([...running, listing]);
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  if (o.signal?.aborted) throw new KuraError('CANCELLED');
  if (failure) throw failure;
  return job;
}

/**
 * The transfer queue, in main (the single source of truth), reported to the renderer as views:
 * an opaque id, state, progress, speed and time left, every skipped item. Paths stay here.
 *
 * - Up to `maxConcurrent` transfers (default 4) run at once, in queue order; a waiting one can
 *   be moved to the front. Each can be paused (its partial files kept), resumed, cancelled
 *   (partials removed) or, after a failure, retried from the bytes already on disk.
 * - The queue is persisted (one JSON file per profile, written atomically) with each
 *   transfer's resumable job, so after a crash or a relaunch the same user's transfers go on from
 *   the ranges on disk. Another user, a sign-out or a revoked session discards them, partial
 *   files included.
 * - Every verified file is written to the download log (receipts).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TransferView } from '../../shared/ipc';
import {
  discardFolderPartials,
  downloadFolder,
  newFolderJob,
  type FolderJob,
} from './download/folderDownload';
import {
  discardPartial,
  downloadObject,
  type EngineOptions,
  type FileJob,
  type FileResult,
} from './download/objectDownload';
import { PartialLedger } from './download/partialLedger';
import type { NewReceipt, ReceiptLog } from './download/receipts';
import { KuraError } from './kuraError';
import { ensureFolder } from './localFiles';
import { safeRelativePath } from './safeNames';
import type { StorageService } from './storage';

interface TransferRecord {
  id: string;
  kind: 'file' | 'folder';
  bucket: string;
  key: string;
  name: string;
  state: TransferView['state'];
  destDir: string;
  /** For a file: save under this name instead of the key's last segment. */
  saveAs?: string;
  file?: FileJob;
  folder?: FolderJob;
  bytesDone: number;
  bytesTotal?: number;
  filesDone?: number;
  filesTotal?: number;
  listing?: boolean;
  skipped: TransferView['skipped'];
  error?: TransferView['error'];
  /** Where the result was saved; never sent to the renderer. */
  path?: string;
  startedAt?: number;
  finishedAt?: number;
}

interface Runtime {
  controller: AbortController;
  why?: 'pause' | 'cancel' | 'stop';
  speed?: number;
  sampleAt: number;
  sampleBytes: number;
  lastEmit: number;
  emitTimer?: NodeJS.Timeout;
}

interface Persisted {
  version: 1;
  owner: string;
  records: TransferRecord[];
}

export interface TransferQueueOptions {
  storage: () => StorageService;
  downloadsDir: () => string;
  receipts?: ReceiptLog;
  /** Who the receipts name (profile id, the user's address and stable id). */
  who?: () => Pick<NewReceipt, 'profileId' | 'user' | 'sub'>;
  maxConcurrent?: number;
  engine?: Partial<EngineOptions>;
  /** false: nothing starts by itself (the CLI runs the one transfer it was asked for). */
  autoStart?: boolean;
  /** Where new partial files are recorded, for the sweep after a crash. */
  partials?: PartialLedger;
  now?: () => number;
}

const FINISHED: TransferView['state'][] = ['done', 'cancelled'];
const EMIT_EVERY_MS = 150;

export class TransferQueue {
  private records: TransferRecord[] = [];
  private readonly runtime = new Map<string, Runtime>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly listeners = new Set<(v: TransferView) => void>();
  private owner = '';
  private file: string | undefined;
  private switching: Promise<void> = Promise.resolve();
  private halted = false;
  private saveTimer?: NodeJS.Timeout;
  private readonly now: () => number;
  /** Transfers loaded from a persisted queue (what a stopped run may have finished unsaid). */
  private readonly resumed = new Set<string>();

  constructor(private readonly o: TransferQueueOptions) {
    this.now = o.now ?? Date.now;
  }

  onChange(listener: (v: TransferView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): TransferView[] {
    return this.records.map((r) => this.view(r));
  }

  get(id: string): TransferView | undefined {
    const r = this.find(id);
    return r && this.view(r);
  }

  /** Where a finished transfer was saved (for "Show in folder"), in main only. */
  pathOf(id: string): string | undefined {
    return this.find(id)?.path;
  }

  private find(id: string) {
    return this.records.find((r) => r.id === id);
  }

  private view(r: TransferRecord): TransferView {
    const rt = this.runtime.get(r.id);
    const left =
      r.state === 'running' && rt?.speed && r.bytesTotal && !r.listing
        ? Math.max(0, (r.bytesTotal - r.bytesDone) / rt.speed)
        : undefined;
    return {
      id: r.id,
      bucket: r.bucket,
      key: r.key,
      name: r.name,
      kind: r.kind,
      state: r.state,
      bytesDone: r.bytesDone,
      skipped: [...r.skipped],
      ...(r.bytesTotal !== undefined ? { bytesTotal: r.bytesTotal } : {}),
      ...(r.filesDone !== undefined ? { filesDone: r.filesDone } : {}),
      ...(r.filesTotal !== undefined ? { filesTotal: r.filesTotal } : {}),
      ...(r.listing ? { listing: true } : {}),
      ...(r.state === 'running' && rt?.speed !== undefined ? { speed: Math.round(rt.speed) } : {}),
      ...(left !== undefined ? { secondsLeft: Math.ceil(left) } : {}),
      ...(r.startedAt ? { startedAt: r.startedAt } : {}),
      ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
      ...(r.error ? { error: r.error } : {}),
    };
  }

  /** Tells listeners now (state changes) or at most every 150 ms (progress). */
  private emit(r: TransferRecord, now = true) {
    const rt = this.runtime.get(r.id);
    if (!now && rt) {
      if (rt.emitTimer) return;
      const wait = rt.lastEmit + EMIT_EVERY_MS - this.now();
      if (wait > 0) {
        rt.emitTimer = setTimeout(() => {
          rt.emitTimer = undefined;
          this.emit(r);
        }, wait);
        return;
      }
    }
    if (rt) {
      clearTimeout(rt.emitTimer);
      rt.emitTimer = undefined;
      rt.lastEmit = this.now();
    }
    const v = this.view(r);
    for (const l of this.listeners) l(v);
  }

  private progress(r: TransferRecord) {
    const rt = this.runtime.get(r.id);
    if (rt) {
      const t = this.now();
      const dt = t - rt.sampleAt;
      if (dt >= 500) {
        const inst = ((r.bytesDone - rt.sampleBytes) * 1000) / dt;
        rt.speed = rt.speed === undefined ? inst : 0.7 * rt.speed + 0.3 * inst;
        rt.sampleAt = t;
        rt.sampleBytes = r.bytesDone;
      }
    }
    this.emit(r, false);
    this.saveSoon();
  }

  // ------------------------------------------------------------------ persistence

  /**
   * Loads the queue persisted in `file` for `owner` and resumes it; one of another owner is
   * discarded, partial files included.
   */
  attach(owner: string, file?: string): Promise<void> {
    // Serialised: a session may report "signed in" twice in quick succession.
    const next = this.switching.then(() => this.doAttach(owner, file));
    this.switching = next.catch(() => undefined);
    return next;
  }

  private async doAttach(owner: string, file?: string): Promise<void> {
    if (this.owner === owner && this.file === file) return;
    await this.detach(false);
    this.owner = owner;
    this.file = file;
    if (!file) {
      this.pump();
      return;
    }
    let saved: Persisted | undefined;
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as Persisted;
    } catch {
      saved = undefined;
    }
    if (saved && saved.owner !== owner) {
      for (const r of saved.records) await discardRecord(r);
      saved = undefined;
    }
    for (const r of saved?.records ?? []) {
      if (r.state === 'running') r.state = 'queued';
      this.resumed.add(r.id);
      this.records.push(r);
      this.emit(r);
    }
    this.save();
    this.pump();
  }

  /**
   * Stops every transfer. `discard`: the user signed out or the session was revoked — partial
   * files and the persisted queue are removed. Otherwise they are kept to resume.
   */
  async detach(discard: boolean): Promise<void> {
    // Nothing may start while stopping (a stopped transfer goes back to "queued").
    this.halted = true;
    for (const r of this.records) {
      const rt = this.runtime.get(r.id);
      if (rt && r.state === 'running') {
        rt.why = discard ? 'cancel' : 'stop';
        rt.controller.abort();
      }
    }
    await Promise.allSettled(this.running.values());
    if (discard) {
      for (const r of this.records) await discardRecord(r);
      for (const r of this.records) {
        if (!FINISHED.includes(r.state) && r.state !== 'failed') {
          r.state = 'cancelled';
          this.emit(r);
        }
      }
      this.records = [];
    }
    this.save();
    this.records = [];
    this.owner = '';
    this.file = undefined;
    this.halted = false;
  }

  /** Removes a persisted queue and the partial files it would have resumed from. */
  static async discardFile(file: string): Promise<void> {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Persisted;
      for (const r of saved.records) await discardRecord(r);
    } catch {
      // Nothing persisted.
    }
    await rm(file, { force: true });
  }

  /** The unfinished transfers that could be resumed, with what they were for. */
  unfinished() {
    return this.records
      .filter((r) => !FINISHED.includes(r.state))
      .map(({ id, kind, bucket, key, destDir, saveAs, state }) => ({
        id,
        kind,
        bucket,
        key,
        destDir,
        state,
        ...(saveAs ? { saveAs } : {}),
      }));
  }

  /** Absolute paths of partial files the persisted queue will resume from. */
  static partialsIn(storeFile: string): Set<string> {
    const keep = new Set<string>();
    try {
      const saved = JSON.parse(readFileSync(storeFile, 'utf8')) as Persisted;
      for (const r of saved.records) for (const p of partialPaths(r)) keep.add(p);
    } catch {
      // Nothing persisted.
    }
    return keep;
  }

  /** Absolute paths of one transfer's partial files (what an interruption keeps on disk). */
  partialsOf(id: string): string[] {
    const r = this.find(id);
    return r ? partialPaths(r) : [];
  }

  private saveSoon() {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.save(), 500);
  }

  private save() {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const file = this.file;
    if (!file || !this.owner) return;
    const data: Persisted = {
      version: 1,
      owner: this.owner,
      records: this.records.filter((r) => !FINISHED.includes(r.state)),
    };
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
      renameSync(tmp, file);
    } catch {
      // A full disk must not stop downloads; the next save tries again.
    }
  }

  // ------------------------------------------------------------------ adding

  private add(
    kind: 'file' | 'folder',
    bucket: string,
    key: string,
    destDir: string,
    saveAs?: string,
  ): TransferRecord {
    const r: TransferRecord = {
      id: randomUUID(),
      kind,
      bucket,
      key,
      name: saveAs ?? (key.replace(/\/+$/, '').split('/').pop() || bucket),
      state: 'queued',
      destDir,
      ...(saveAs ? { saveAs } : {}),
      bytesDone: 0,
      skipped: [],
    };
    if (kind === 'folder') r.folder = { ...newFolderJob(bucket, key, destDir), seed: r.id };
    this.records.push(r);
    this.emit(r);
    this.save();
    this.pump();
    return r;
  }

  /** Queues a file download (into the downloads folder unless told otherwise). */
  downloadFile(bucket: string, key: string, destDir?: string, saveAs?: string): TransferView {
    return this.view(this.add('file', bucket, key, destDir ?? this.o.downloadsDir(), saveAs));
  }

  downloadFolder(bucket: string, prefix: string, destDir?: string): TransferView {
    return this.view(this.add('folder', bucket, prefix, destDir ?? this.o.downloadsDir()));
  }

  // ------------------------------------------------------------------ control

  cancel(id: string): void {
    const r = this.find(id);
    if (!r || FINISHED.includes(r.state)) return;
    const rt = this.runtime.get(id);
    if (r.state === 'running' && rt) {
      rt.why = 'cancel';
      rt.controller.abort();
      return;
    }
    r.state = 'cancelled';
    r.finishedAt = this.now();
    void discardRecord(r).then(() => this.save());
    this.emit(r);
  }

  cancelAll(): void {
    for (const r of [...this.records]) this.cancel(r.id);
  }

  pause(id: string): void {
    const r = this.find(id);
    if (!r) return;
    if (r.state === 'running') {
      const rt = this.runtime.get(id)!;
      rt.why = 'pause';
      rt.controller.abort();
    } else if (r.state === 'queued') {
      r.state = 'paused';
      this.emit(r);
      this.save();
    }
  }

  resume(id: string): void {
    const r = this.find(id);
    if (r?.state !== 'paused') return;
    r.state = 'queued';
    this.emit(r);
    this.save();
    this.pump();
  }

  /** A failed transfer goes on from what is on disk; a cancelled one starts afresh. */
  retry(id: string): void {
    const r = this.find(id);
    if (!r || (r.state !== 'failed' && r.state !== 'cancelled')) return;
    if (r.state === 'cancelled') {
      r.file = undefined;
      r.folder =
        r.kind === 'folder'
          ? { ...newFolderJob(r.bucket, r.key, r.destDir), seed: randomUUID() }
          : undefined;
      r.bytesDone = 0;
      r.skipped = [];
    }
    r.state = 'queued';
    r.error = undefined;
    r.finishedAt = undefined;
    this.emit(r);
    this.save();
    this.pump();
  }

  prioritize(id: string): void {
    const i = this.records.findIndex((r) => r.id === id);
    if (i <= 0) return;
    const [r] = this.records.splice(i, 1);
    this.records.unshift(r!);
    this.save();
    this.pump();
  }

  /** Runs queued transfers, in order, while fewer than `maxConcurrent` run. */
  private pump() {
    if (this.o.autoStart === false || !this.owner || this.halted) return;
    const max = this.o.maxConcurrent ?? 4;
    for (const r of this.records) {
      if (this.running.size >= max) break;
      if (r.state === 'queued' && !this.running.has(r.id)) this.start(r);
    }
  }

  /** Runs one transfer now, whatever the queue (the CLI), and waits for its end. */
  async runNow(id: string): Promise<TransferView> {
    const r = this.find(id);
    if (!r) throw new KuraError('NOT_FOUND');
    if (!this.running.has(id)) {
      if (r.state !== 'queued') throw new KuraError('INVALID_ARGUMENT', `transfer is ${r.state}`);
      this.start(r);
    }
    await this.running.get(id);
    return this.view(r);
  }

  private start(r: TransferRecord) {
    const rt: Runtime = {
      controller: new AbortController(),
      sampleAt: this.now(),
      sampleBytes: r.bytesDone,
      lastEmit: 0,
    };
    this.runtime.set(r.id, rt);
    r.state = 'running';
    r.error = undefined;
    r.startedAt ??= this.now();
    this.emit(r);
    const p = this.execute(r, rt.controller.signal)
      .then(
        () => {
          r.state = 'done';
          r.finishedAt = this.now();
        },
        async (err: unknown) => {
          const e = err instanceof KuraError ? err : new KuraError('UNKNOWN', String(err));
          if (e.code === 'CANCELLED' || rt.controller.signal.aborted) {
            if (rt.why === 'pause') r.state = 'paused';
            else if (rt.why === 'stop') r.state = 'queued';
            else {
              r.state = 'cancelled';
              r.finishedAt = this.now();
              await discardRecord(r);
            }
            return;
          }
          r.state = 'failed';
          r.finishedAt = this.now();
          r.error = e.toView();
        },
      )
      .finally(() => {
        this.running.delete(r.id);
        this.emit(r);
        this.runtime.delete(r.id);
        this.save();
        this.pump();
      });
    this.running.set(r.id, p);
  }

  private async execute(r: TransferRecord, signal: AbortSignal): Promise<void> {
    const storage = this.o.storage();
    if (r.kind === 'file') {
      if (!r.file) {
        const mapped = safeRelativePath(r.saveAs ?? (r.key.split('/').pop() || r.key));
        if (!mapped.ok) throw new KuraError('UNSAFE_NAME', `${r.key}: ${mapped.reason}`);
        r.file = {
          bucket: r.bucket,
          key: r.key,
          dir: await ensureFolder(r.destDir, mapped.segments.slice(0, -1)),
          name: mapped.segments[mapped.segments.length - 1]!,
          seed: `${r.id}\n${r.key}`,
        };
      }
      const job = r.file;
      r.bytesDone = 0;
      const result = await downloadObject(storage, job, {
        signal,
        engine: this.o.engine,
        ledger: this.o.partials,
        adoptFinished: this.resumed.has(r.id),
        onCheckpoint: () => {
          r.bytesTotal = job.size;
          this.saveSoon();
        },
        onBytes: (n) => {
          r.bytesDone += n;
          this.progress(r);
        },
      });
      r.path = result.path;
      r.bytesDone = result.size;
      r.bytesTotal = result.size;
      await this.receipt(r.bucket, r.key, result);
      return;
    }
    const job = r.folder!;
    await downloadFolder(storage, job, {
      signal,
      engine: this.o.engine,
      ledger: this.o.partials,
      adoptFinished: this.resumed.has(r.id),
      onCheckpoint: () => {
        // The folder it made is saved at once: a run killed before a later save would otherwise
        // make "name (1)" next time and leave the first folder half-filled (found by the soak).
        if (r.path !== job.folder) {
          r.path = job.folder;
          this.save();
        } else this.saveSoon();
      },
      onProgress: (p) => {
        r.bytesDone = p.bytesDone;
        r.bytesTotal = p.bytesTotal;
        r.filesDone = p.filesDone;
        r.filesTotal = p.filesTotal;
        r.listing = p.listing;
        r.skipped = job.skipped;
        this.progress(r);
      },
      onFile: (key, result) => void this.receipt(r.bucket, key, result),
    });
    r.path = job.folder;
    r.skipped = job.skipped;
    r.listing = false;
  }

  private async receipt(bucket: string, key: string, result: FileResult) {
    if (!this.o.receipts) return;
    const who = this.o.who?.() ?? { profileId: '', user: '' };
    await this.o.receipts
      .append({
        ...who,
        bucket,
        key,
        etag: result.etag,
        size: result.size,
        destination: result.path,
        ...(result.versionId ? { versionId: result.versionId } : {}),
        ...(result.checksum ? { checksum: result.checksum } : {}),
      })
      .catch(() => undefined);
  }
}

function partialPaths(r: TransferRecord): string[] {
  const jobs = r.file ? [r.file] : (r.folder?.pending ?? []).map((p) => p.job);
  return jobs.flatMap((j) => (j?.partial ? [join(j.dir, j.partial)] : []));
}

async function discardRecord(r: TransferRecord): Promise<void> {
  if (r.file) await discardPartial(r.file).catch(() => undefined);
  if (r.folder) await discardFolderPartials(r.folder).catch(() => undefined);
}

/**
 * At start (app, CLI): deletes the partial files a crash left behind — only those recorded in
 * the data folder's ledger, never one a persisted queue (any profile's, the CLI's) resumes from —
 * and returns the ledger for new partials to be recorded in.
 */
export async function sweepRecordedPartials(dataDir: string): Promise<PartialLedger> {
  const queueDir = join(dataDir, 'transfers');
  const keep = new Set<string>();
  let queues: string[] = [];
  try {
    queues = readdirSync(queueDir).filter((f) => f.endsWith('.json'));
  } catch {
    // No persisted queue yet.
  }
  for (const f of queues) for (const p of TransferQueue.partialsIn(join(queueDir, f))) keep.add(p);
  mkdirSync(dataDir, { recursive: true });
  const ledger = new PartialLedger(join(dataDir, 'partials.jsonl'));
  await ledger.sweep(keep);
  return ledger;
}

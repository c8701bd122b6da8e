/**
 * The transfer queue, in main (the single source of truth), reported to the renderer as views:
 * an opaque id, state, progress, speed and time left, every skipped item. Paths stay here.
 * This file holds the state machine, the scheduling and whose queue it is; the rest of the
 * folder one concern a file:
 *
 * - Up to `maxConcurrent` transfers (default 4) run at once, in queue order; a waiting one can
 *   be moved to the front. Each can be paused (its partial files kept), resumed, cancelled
 *   (partials removed) or, after a failure, retried from the bytes already on disk.
 * - A transfer runs through the download engine in run.ts (its job, the engine's callbacks, the
 *   receipts of the download log).
 * - The queue is persisted (persistence.ts) with each transfer's resumable job, so after a
 *   crash or a relaunch the same user's transfers go on from the ranges on disk. Another user, a
 *   sign-out or a revoked session discards them, partial files included. The data folder's
 *   transfer files are named in paths.ts.
 * - What the renderer sees is built in view.ts, with the speed, silences and retries measured,
 *   and listeners told (throttled), in progress.ts.
 */
import { randomUUID } from 'node:crypto';
import type { TransferView } from '../../../shared/ipc';
import { newFolderJob } from '../download/folderDownload';
import type { RetryInfo } from '../download/retry';
import { KuraError } from '../kuraError';
import { assertOpenable } from '../openPolicy';
import type { StorageService } from '../storage';
import { ProgressMeter, TransferEvents } from './progress';
import {
  discardQueueFile,
  discardRecord,
  partialPaths,
  partialsIn,
  readQueue,
  writeQueue,
} from './persistence';
import { runTransfer, type EngineSetup } from './run';
import { transferView, type LiveState, type TransferRecord } from './view';
import { keyName } from '../../../shared/keyName';

interface Runtime extends LiveState {
  controller: AbortController;
  why?: 'pause' | 'cancel' | 'stop';
  meter: ProgressMeter;
}

export interface TransferQueueOptions extends EngineSetup {
  storage: () => StorageService;
  downloadsDir: () => string;
  maxConcurrent?: number;
  /** false: nothing starts by itself (the CLI runs the one transfer it was asked for). */
  autoStart?: boolean;
  now?: () => number;
}

const FINISHED: TransferView['state'][] = ['done', 'cancelled'];
/** What "Clear finished" removes: everything that no longer moves by itself. */
const CLEARABLE: TransferView['state'][] = ['done', 'cancelled', 'failed'];
/** How often running transfers are re-measured, so a silence shows without a byte arriving. */
const TICK_MS = 1_000;

export class TransferQueue {
  private records: TransferRecord[] = [];
  private readonly runtime = new Map<string, Runtime>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly discards = new Map<string, Promise<void>>();
  private readonly events: TransferEvents<TransferRecord>;
  private owner = '';
  private file: string | undefined;
  private switching: Promise<void> = Promise.resolve();
  private halted = false;
  private saveTimer?: NodeJS.Timeout;
  private ticker?: NodeJS.Timeout;
  private readonly now: () => number;
  /** Transfers loaded from a persisted queue (what a stopped run may have finished unsaid). */
  private readonly resumed = new Set<string>();

  constructor(private readonly o: TransferQueueOptions) {
    this.now = o.now ?? Date.now;
    this.events = new TransferEvents(this.now, (r) => this.view(r));
  }

  onChange(listener: (v: TransferView) => void): () => void {
    return this.events.on(listener);
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
    return transferView(r, this.runtime.get(r.id));
  }

  /** Tells listeners now (state changes) or soon (progress): progress.ts. */
  private emit(r: TransferRecord, now = true) {
    this.events.emit(r, now);
  }

  /** The transfer's bytes changed by `delta`. */
  private progress(r: TransferRecord, delta: number) {
    this.runtime.get(r.id)?.meter.update(r.bytesDone, delta);
    this.emit(r, false);
    this.saveSoon();
  }

  /** The transfer waits for the network (or goes on): the row says so. */
  private waiting(r: TransferRecord, waiting: boolean) {
    const rt = this.runtime.get(r.id);
    if (!rt) return;
    rt.waitingForNetwork = Math.max(0, (rt.waitingForNetwork ?? 0) + (waiting ? 1 : -1));
    if (waiting) rt.meter.retry = undefined;
    this.emit(r);
  }

  /** The engine waits to try again: the row says why and when, instead of a frozen speed. */
  private retrying(r: TransferRecord, retry: RetryInfo) {
    const rt = this.runtime.get(r.id);
    if (!rt) return;
    rt.meter.retry = retry;
    this.emit(r);
  }

  /** Re-measures running transfers every second while any runs (a silence must show). */
  private tick() {
    if (this.ticker || !this.running.size) return;
    this.ticker = setInterval(() => {
      if (!this.running.size) {
        clearInterval(this.ticker);
        this.ticker = undefined;
        return;
      }
      for (const r of this.records) {
        const rt = this.runtime.get(r.id);
        if (r.state !== 'running' || !rt) continue;
        rt.meter.sample(r.bytesDone);
        this.emit(r, false);
      }
    }, TICK_MS);
    this.ticker.unref();
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
    let saved = readQueue(file);
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
  static discardFile(file: string): Promise<void> {
    return discardQueueFile(file);
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
    return partialsIn(storeFile);
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
    if (!this.file || !this.owner) return;
    writeQueue(
      this.file,
      this.owner,
      this.records.filter((r) => !FINISHED.includes(r.state)),
    );
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
      name: saveAs ?? (keyName(key) || bucket),
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
    // A Retry right after must not start before the partial files are gone.
    this.discards.set(
      id,
      discardRecord(r).then(() => this.save()),
    );
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
    if (r.state === 'cancelled' && r.kind === 'file') {
      r.file = undefined;
      r.bytesDone = 0;
    }
    // A cancelled folder goes on in the folder it made (not beside it as "name (1)"): the files
    // that landed stay, the listing goes on from where it was, the rest is fetched again.
    r.state = 'queued';
    r.error = undefined;
    r.finishedAt = undefined;
    this.emit(r);
    this.save();
    this.pump();
  }

  /**
   * Removes what no longer moves by itself (done, cancelled, failed) from the list; a failed
   * transfer's partial files go with it (nothing will resume them). Listeners get each one once
   * more with `removed: true`.
   */
  async clearFinished(): Promise<void> {
    const gone = this.records.filter((r) => CLEARABLE.includes(r.state) && !this.running.has(r.id));
    this.records = this.records.filter((r) => !gone.includes(r));
    this.save();
    for (const r of gone) {
      if (r.state === 'failed') await discardRecord(r);
      this.events.tell({ ...this.view(r), removed: true });
    }
  }

  /**
   * The path of a finished file download that may be opened with the system's app (an allowed
   * type, still the file that was verified); throws otherwise. Main only.
   */
  async openablePath(id: string): Promise<string> {
    const r = this.find(id);
    if (!r || r.kind !== 'file' || r.state !== 'done' || !r.path) throw new KuraError('NOT_FOUND');
    if (!r.verified) throw new KuraError('FILE_CHANGED');
    await assertOpenable(r.path, r.verified);
    return r.path;
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
      meter: new ProgressMeter(this.now, r.bytesDone),
    };
    this.runtime.set(r.id, rt);
    this.events.start(r.id);
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
        this.events.end(r.id);
        this.runtime.delete(r.id);
        this.save();
        this.pump();
      });
    this.running.set(r.id, p);
    this.tick();
  }

  private async execute(r: TransferRecord, signal: AbortSignal): Promise<void> {
    await this.discards.get(r.id);
    this.discards.delete(r.id);
    await runTransfer(r, this.o.storage(), this.o, signal, {
      resumed: this.resumed.has(r.id),
      progress: (delta, active) => {
        const rt = this.runtime.get(r.id);
        if (rt && active) rt.active = active;
        this.progress(r, delta);
      },
      retrying: (retry) => this.retrying(r, retry),
      waiting: (w) => this.waiting(r, w),
      save: (now) => (now ? this.save() : this.saveSoon()),
    });
  }
}

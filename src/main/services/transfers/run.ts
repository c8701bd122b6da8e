/**
 * One transfer's run through the download engine: its job built (a file's by download/fileJob.ts
 * at its first run, a folder's kept in the record since it was queued), the record kept current
 * from the engine's callbacks (bytes, files, the folder it made, what it skipped), and every
 * verified file written to the download log (receipts). The queue (queue.ts) decides when a
 * transfer runs and what its end means; this file only runs it.
 */
import { newFileJob } from '../download/fileJob';
import { downloadFolder, type ActiveFile } from '../download/folderDownload';
import { downloadObject, type EngineOptions, type FileResult } from '../download/objectDownload';
import type { PartialLedger } from '../download/partialLedger';
import type { NewReceipt, Receipt, ReceiptLog } from '../download/receipts';
import type { NetworkGate, RetryInfo } from '../download/retry';
import { fingerprintOf } from '../openPolicy';
import type { StorageService } from '../storage';
import type { TransferRecord } from './view';

/** What every run shares: how the engine is set up and where receipts go. */
export interface EngineSetup {
  receipts?: ReceiptLog;
  /** Who the receipts name (profile id, the user's address and stable id). */
  who?: () => Pick<NewReceipt, 'profileId' | 'user' | 'sub'>;
  engine?: Partial<EngineOptions>;
  /** Where new partial files are recorded, for the sweep after a crash. */
  partials?: PartialLedger;
  /**
   * Where a transfer learns that the network is gone and when it is back: it then waits as
   * "waiting for the network" instead of burning its retries, and goes on by itself.
   */
  network?: NetworkGate;
}

/** What the queue hears from one run. */
export interface RunHooks {
  /** A transfer loaded from a persisted queue (a stopped run may have finished files unsaid). */
  resumed: boolean;
  /** The record's bytes changed by `delta` (a folder's files in flight with them). */
  progress(delta: number, active?: ReadonlyMap<string, ActiveFile>): void;
  retrying(retry: RetryInfo): void;
  waiting(waiting: boolean): void;
  /** The record changed in a way worth persisting: `now`, or soon. */
  save(now: boolean): void;
}

export async function runTransfer(
  r: TransferRecord,
  storage: StorageService,
  setup: EngineSetup,
  signal: AbortSignal,
  hooks: RunHooks,
): Promise<void> {
  const common = {
    signal,
    engine: setup.engine,
    ledger: setup.partials,
    adoptFinished: hooks.resumed,
    onRetry: (retry: RetryInfo) => hooks.retrying(retry),
    network: setup.network,
    onWaiting: (w: boolean) => hooks.waiting(w),
  };
  if (r.kind === 'file') {
    r.file ??= await newFileJob(r.bucket, r.key, r.destDir, {
      saveAs: r.saveAs,
      seed: `${r.id}\n${r.key}`,
    });
    const job = r.file;
    r.bytesDone = 0;
    const result = await downloadObject(storage, job, {
      ...common,
      onCheckpoint: () => {
        r.bytesTotal = job.size;
        hooks.save(false);
      },
      onBytes: (n) => {
        r.bytesDone += n;
        hooks.progress(n);
      },
    });
    r.path = result.path;
    r.verified = await fingerprintOf(result.path).catch(() => undefined);
    r.bytesDone = result.size;
    r.bytesTotal = result.size;
    await receipt(setup, r.bucket, r.key, result);
    return;
  }
  const job = r.folder!;
  await downloadFolder(storage, job, {
    ...common,
    onCheckpoint: () => {
      // The folder it made is saved at once: a run killed before a later save would otherwise
      // make "name (1)" next time and leave the first folder half-filled (found by the soak).
      if (r.path !== job.folder) {
        r.path = job.folder;
        hooks.save(true);
      } else hooks.save(false);
    },
    onProgress: (p) => {
      const delta = p.bytesDone - r.bytesDone;
      r.bytesDone = p.bytesDone;
      r.bytesTotal = p.bytesTotal;
      r.filesDone = p.filesDone;
      r.filesTotal = p.filesTotal;
      r.listing = p.listing;
      r.skipped = job.skipped;
      hooks.progress(delta, p.active);
    },
    onFile: (key, result) =>
      void receipt(setup, r.bucket, key, result, {
        transferId: r.id,
        prefix: r.key,
        path: job.folder!,
      }),
  });
  r.path = job.folder;
  r.skipped = job.skipped;
  r.listing = false;
}

/** A verified file in the download log; a log that cannot be written stops no download. */
async function receipt(
  setup: EngineSetup,
  bucket: string,
  key: string,
  result: FileResult,
  folder?: Receipt['folder'],
) {
  if (!setup.receipts) return;
  const who = setup.who?.() ?? { profileId: '', user: '' };
  await setup.receipts
    .append({
      ...who,
      bucket,
      key,
      ...(folder ? { folder } : {}),
      etag: result.etag,
      size: result.size,
      destination: result.path,
      ...(result.versionId ? { versionId: result.versionId } : {}),
      ...(result.checksum ? { checksum: result.checksum } : {}),
    })
    .catch(() => undefined);
}

/**
 * The persisted transfer queue: one JSON file per profile, written atomically (temporary file,
 * rename), holding each unfinished transfer with its resumable job — so after a crash or a
 * relaunch the same user's downloads go on from the bytes on disk — and the partial files those
 * jobs own (kept by the start-up sweep, removed with the queue when it is discarded); and the
 * sweep itself (sweepRecordedPartials), shared by the app and the CLI.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { discardFolderPartials } from '../download/folderDownload';
import { discardPartial } from '../download/objectDownload';
import { PartialLedger } from '../download/partialLedger';
import type { SkippedItem } from '../../../shared/ipc';
import type { ErrorView } from '../../../shared/errors';
import type { TransferRecord } from './view';
import { writeJsonAtomic } from '../jsonFile';
import { transferPaths } from './paths';

export interface PersistedQueue {
  version: 1;
  /** Whose queue this is (profile and user): another user's is discarded, not resumed. */
  owner: string;
  records: TransferRecord[];
}

export function readQueue(file: string): PersistedQueue | undefined {
  let queue: PersistedQueue;
  try {
    queue = JSON.parse(readFileSync(file, 'utf8')) as PersistedQueue;
  } catch {
    return undefined;
  }
  for (const r of queue.records ?? []) {
    r.skipped = upgradeSkipped(r.skipped);
    if (r.folder) r.folder.skipped = upgradeSkipped(r.folder.skipped);
  }
  return queue;
}

/**
 * Skipped items saved by an earlier Kura held an English `reason` string and the error as
 * `error`; now `reason` is the error itself (the window and the CLI word it in their language).
 */
function upgradeSkipped(items: SkippedItem[] | undefined): SkippedItem[] {
  return (items ?? []).map((item) => {
    const old = item as unknown as { key: string; reason: unknown; error?: ErrorView };
    if (typeof old.reason !== 'string') return item;
    return { key: old.key, reason: old.error ?? { code: 'UNKNOWN', detail: old.reason } };
  });
}

export function writeQueue(file: string, owner: string, records: TransferRecord[]): void {
  const data: PersistedQueue = { version: 1, owner, records };
  try {
    writeJsonAtomic(file, data, { private: true });
  } catch {
    // A full disk must not stop downloads; the next save tries again.
  }
}

/** Removes the partial files a transfer would have resumed from. */
export async function discardRecord(r: TransferRecord): Promise<void> {
  if (r.file) await discardPartial(r.file).catch(() => undefined);
  if (r.folder) await discardFolderPartials(r.folder).catch(() => undefined);
}

/** Removes a persisted queue and the partial files it would have resumed from. */
export async function discardQueueFile(file: string): Promise<void> {
  for (const r of readQueue(file)?.records ?? []) await discardRecord(r);
  await rm(file, { force: true });
}

/** Absolute paths of one transfer's partial files (what an interruption keeps on disk). */
export function partialPaths(r: TransferRecord): string[] {
  const jobs = r.file ? [r.file] : (r.folder?.pending ?? []).map((p) => p.job);
  return jobs.flatMap((j) => (j?.partial ? [join(j.dir, j.partial)] : []));
}

/** Absolute paths of partial files the persisted queue will resume from. */
export function partialsIn(file: string): Set<string> {
  const keep = new Set<string>();
  for (const r of readQueue(file)?.records ?? []) for (const p of partialPaths(r)) keep.add(p);
  return keep;
}

/**
 * At start (app, CLI): deletes the partial files a crash left behind — only those recorded in
 * the data folder's ledger, never one a persisted queue (any profile's, the CLI's) resumes from —
 * and returns the ledger for new partials to be recorded in.
 */
export async function sweepRecordedPartials(dataDir: string): Promise<PartialLedger> {
  const { queues: queueDir, partials } = transferPaths(dataDir);
  const keep = new Set<string>();
  let queues: string[] = [];
  try {
    queues = readdirSync(queueDir).filter((f) => f.endsWith('.json'));
  } catch {
    // No persisted queue yet.
  }
  for (const f of queues) for (const p of partialsIn(join(queueDir, f))) keep.add(p);
  mkdirSync(dataDir, { recursive: true });
  const ledger = new PartialLedger(partials);
  await ledger.sweep(keep);
  return ledger;
}

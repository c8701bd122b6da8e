/**
 * A transfer as the queue keeps it (a plain record, persisted while unfinished) and as the
 * renderer sees it (TransferView): no path, and progress that tells the truth — no speed or time
 * left while nothing moves; why it waits and when it tries again while it retries.
 */
import { basename } from 'node:path';
import type { ActiveFileView, RetryView, TransferView } from '../../../shared/ipc';
import type { ActiveFile, FolderJob } from '../download/folderDownload';
import type { FileJob } from '../download/objectDownload';
import type { RetryInfo } from '../download/retry';
import type { FileFingerprint } from '../openPolicy';
import { isOpenableName } from '../openPolicy';
import type { ProgressMeter } from './progress';

export interface TransferRecord {
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
  /** The finished file as verified (for "Open"); never sent to the renderer. */
  verified?: FileFingerprint;
  startedAt?: number;
  finishedAt?: number;
}

/** What only a running transfer has: how it moves, and a folder's files in flight. */
export interface LiveState {
  meter?: ProgressMeter;
  /** How many of its requests wait for the network now. */
  waitingForNetwork?: number;
  active?: ReadonlyMap<string, ActiveFile>;
}

const MAX_ACTIVE_SHOWN = 50;

const retryView = (r: RetryInfo): RetryView => ({
  reason: r.reason,
  attempt: r.attempt,
  nextAttemptAt: r.nextAttemptAt,
});

function activeFiles(active: ReadonlyMap<string, ActiveFile>): ActiveFileView[] {
  const out: ActiveFileView[] = [];
  for (const f of active.values()) {
    if (out.length >= MAX_ACTIVE_SHOWN) break;
    out.push({
      key: f.key,
      path: f.path,
      bytesDone: f.bytesDone,
      bytesTotal: f.size,
      ...(f.retry ? { retry: retryView(f.retry) } : {}),
    });
  }
  return out;
}

export function transferView(r: TransferRecord, live: LiveState | undefined): TransferView {
  const running = r.state === 'running';
  const meter = running ? live?.meter : undefined;
  const offline = running && (live?.waitingForNetwork ?? 0) > 0;
  const retry = offline ? undefined : meter?.retry;
  const quietSince = retry || offline ? undefined : meter?.quietSince();
  // Speed and time left only while bytes actually arrive.
  const speed = retry || offline || quietSince !== undefined ? undefined : meter?.speed();
  const moving = speed !== undefined && speed > 0;
  const left =
    moving && r.bytesTotal && !r.listing
      ? Math.max(0, (r.bytesTotal - r.bytesDone) / speed)
      : undefined;
  const savedAs = r.path ? basename(r.path) : undefined;
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
    // Only a folder being downloaded is still being listed (not one cancelled or paused).
    ...(running && r.listing ? { listing: true } : {}),
    ...(moving ? { speed: Math.round(speed) } : {}),
    ...(left !== undefined ? { secondsLeft: Math.ceil(left) } : {}),
    ...(retry ? { retry: retryView(retry) } : {}),
    ...(offline ? { waitingForNetwork: true } : {}),
    ...(quietSince !== undefined ? { quietSince } : {}),
    ...(running && live?.active ? { active: activeFiles(live.active) } : {}),
    ...(r.startedAt ? { startedAt: r.startedAt } : {}),
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    ...(r.error ? { error: r.error } : {}),
    ...(savedAs && (r.kind === 'folder' || r.state === 'done') ? { savedAs } : {}),
    savedIn: basename(r.destDir),
    ...(r.kind === 'file' && r.state === 'done' && savedAs && isOpenableName(savedAs)
      ? { openable: true }
      : {}),
  };
}

/**
 * The download log: one verified receipt per file that landed (key, version, ETag, checksum,
 * size, time, destination), appended as a JSON line so a crash loses at most the line being
 * written. Shown in the UI (without the destination path, which stays in main) and by
 * `kura history`; exported as JSON or CSV. Keys are hostile input: CSV cells that a spreadsheet
 * would run as a formula are neutralised. A receipt belongs to a profile and a user, known by
 * their stable id (the user pool `sub`), not their e-mail address (which may change or be reused).
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { ReceiptView } from '../../../shared/ipc';
import type { ExpectedChecksum } from './checksums';

export interface Receipt {
  id: string;
  /** ISO 8601, UTC. */
  time: string;
  profileId: string;
  /** The user's e-mail address, as shown. */
  user: string;
  /** The user's stable id (user pool `sub`); receipts written before it was kept have none. */
  sub?: string;
  bucket: string;
  key: string;
  versionId?: string;
  etag: string;
  checksum?: ExpectedChecksum;
  size: number;
  destination: string;
  /** A file of a folder download: the download (one History entry) and the folder it made. */
  folder?: { transferId: string; prefix: string; path: string };
}

export type NewReceipt = Omit<Receipt, 'id' | 'time'>;

const CSV_COLUMNS = [
  'time',
  'bucket',
  'key',
  'versionId',
  'etag',
  'checksumAlgorithm',
  'checksum',
  'size',
  'destination',
  'user',
] as const;

function csvCell(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  // A leading = + - @ (or tab/CR) makes spreadsheets evaluate the cell: keep it text.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Receipts (newest first) as History shows them: a file download is one entry; a folder
 * download is one entry too (under the id of its newest receipt), counting its files and
 * summing their sizes. Paths stay here: only the names they were saved under go out.
 */
export function historyOf(receipts: Receipt[]): ReceiptView[] {
  const out: ReceiptView[] = [];
  const folders = new Map<string, ReceiptView>();
  for (const r of receipts) {
    if (r.folder) {
      const entry = folders.get(r.folder.transferId);
      if (entry) {
        entry.size += r.size;
        entry.files = (entry.files ?? 0) + 1;
        continue;
      }
      const folder: ReceiptView = {
        id: r.id,
        time: r.time,
        bucket: r.bucket,
        key: r.folder.prefix,
        name: r.folder.prefix.replace(/\/+$/, '').split('/').pop() || r.bucket,
        size: r.size,
        etag: '',
        savedAs: basename(r.folder.path),
        kind: 'folder',
        files: 1,
      };
      folders.set(r.folder.transferId, folder);
      out.push(folder);
      continue;
    }
    out.push({
      id: r.id,
      time: r.time,
      bucket: r.bucket,
      key: r.key,
      name: r.key.split('/').pop() || r.key,
      size: r.size,
      etag: r.etag,
      ...(r.versionId ? { versionId: r.versionId } : {}),
      ...(r.checksum ? { checksum: `${r.checksum.algorithm} ${r.checksum.value}` } : {}),
      savedAs: basename(r.destination),
      kind: 'file',
    });
  }
  return out;
}

export function receiptsToCsv(receipts: Receipt[]): string {
  const rows = receipts.map((r) =>
    [
      r.time,
      r.bucket,
      r.key,
      r.versionId,
      r.etag,
      r.checksum?.algorithm,
      r.checksum?.value,
      r.size,
      r.destination,
      r.user,
    ]
      .map(csvCell)
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

export class ReceiptLog {
  /** The batch still taking lines, and the chain of writes. */
  private open: { lines: string[]; written: Promise<void> } | null = null;
  private writes: Promise<void> = Promise.resolve();
  private madeDir = false;

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Appends a receipt. Lines are gathered into batches written one after another (a folder of
   * 10,000 small files must not cost 10,000 appends); the promise settles once its line is on
   * disk.
   */
  append(r: NewReceipt): Promise<Receipt> {
    const receipt: Receipt = { id: randomUUID(), time: new Date(this.now()).toISOString(), ...r };
    if (!this.open) {
      const batch = { lines: [] as string[], written: Promise.resolve() };
      batch.written = this.writes
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(async () => {
          if (this.open === batch) this.open = null;
          if (!this.madeDir) {
            await mkdir(dirname(this.file), { recursive: true });
            this.madeDir = true;
          }
          await appendFile(this.file, batch.lines.join(''), { mode: 0o600 });
        });
      this.writes = batch.written.catch(() => undefined);
      this.open = batch;
    }
    this.open.lines.push(JSON.stringify(receipt) + '\n');
    return this.open.written.then(() => receipt);
  }

  /**
   * Receipts, newest first, optionally of one profile and user (`sub`) only. A filter field given
   * empty matches nothing: "nobody" is not "everybody".
   */
  async list(filter: { profileId?: string; sub?: string; limit?: number } = {}) {
    const matches = (value: string | undefined, wanted: string | undefined) =>
      wanted === undefined || (wanted !== '' && value === wanted);
    await this.writes;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    const out: Receipt[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as Receipt;
        if (!matches(r.profileId, filter.profileId) || !matches(r.sub, filter.sub)) continue;
        out.push(r);
      } catch {
        // A line torn by a crash: skip it, keep the rest.
      }
    }
    out.reverse();
    return filter.limit ? out.slice(0, filter.limit) : out;
  }

  async find(id: string): Promise<Receipt | undefined> {
    return (await this.list()).find((r) => r.id === id);
  }
}

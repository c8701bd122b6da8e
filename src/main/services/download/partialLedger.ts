/**
 * The partial files Kura created, recorded before a byte is written to them, so that the sweep
 * after a crash deletes only those (security review #4: a sweep by name pattern deleted a
 * downloaded object that happened to be named `.kura-<hex>.partial`).
 *
 * An append-only file of one JSON line per partial: its path, its identity (device, inode,
 * birth time), and the process that made it. The sweep removes a recorded partial only when it is still the file
 * that was recorded (lstat: a regular file of the same identity — never a link planted in its
 * place), no persisted transfer will resume from it, and the process that made it is gone (the
 * app and the CLI may run at once). Then the ledger is rewritten with what stays. Finished
 * downloads need no entry of their own: their partial's name is gone, and the sweep forgets it.
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { lstat, rm, writeFile } from 'node:fs/promises';

interface Entry {
  path: string;
  /** fileIdentity of the partial as created. */
  id: string;
  pid: number;
}

/**
 * Which file a stat is: `<dev>:<ino>:<birth time>` (bigint, so inode numbers beyond 2^53 stay
 * exact). The birth time tells apart a new file that got a just-freed inode number, where the
 * file system records it (ext4, APFS, NTFS); elsewhere it is 0 and device and inode decide.
 */
export const fileIdentity = (st: { dev: bigint; ino: bigint; birthtimeNs: bigint }) =>
  `${st.dev}:${st.ino}:${st.birthtimeNs}`;

function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class PartialLedger {
  private fd: number | undefined;

  constructor(private readonly file: string) {}

  /** Records a partial file this process just created (`id`: fileIdentity of it). */
  record(path: string, id: string): void {
    this.fd ??= openSync(this.file, 'a', 0o600);
    writeSync(this.fd, JSON.stringify({ path, id, pid: process.pid } satisfies Entry) + '\n');
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private entries(): Map<string, Entry> {
    const latest = new Map<string, Entry>();
    if (!existsSync(this.file)) return latest;
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      try {
        const e = JSON.parse(line) as Entry;
        if (typeof e.path === 'string' && typeof e.id === 'string') latest.set(e.path, e);
      } catch {
        // A torn last line after a crash: the partial it named was not written yet.
      }
    }
    return latest;
  }

  /**
   * Deletes recorded partials nothing will resume (`keep`: absolute paths of partials that
   * persisted transfers resume from); returns how many were deleted.
   */
  async sweep(keep: Set<string>): Promise<number> {
    let removed = 0;
    const stay: Entry[] = [];
    for (const e of this.entries().values()) {
      const st = await lstat(e.path, { bigint: true }).catch(() => null);
      if (!st || !st.isFile() || fileIdentity(st) !== e.id) continue; // gone or not ours
      if (keep.has(e.path) || alive(e.pid)) {
        stay.push(e);
        continue;
      }
      await rm(e.path, { force: true });
      removed++;
    }
    this.close();
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, stay.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 });
    renameSync(tmp, this.file);
    return removed;
  }
}

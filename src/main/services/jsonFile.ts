/**
 * Writes a JSON file atomically: to a temporary file beside it, then renamed over it, so a
 * reader (or a crash half-way) sees the old contents or the new, never a torn file. The one
 * writer of main's small JSON files (profiles, settings, queue, identity ids, window state).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface JsonWriteOptions {
  /** Owner-only: the folder is created 0700 and the file written 0600 (queue, identity ids). */
  private?: boolean;
  /** Indented for people who open the file (profiles.json). */
  pretty?: boolean;
}

export function writeJsonAtomic(path: string, value: unknown, o: JsonWriteOptions = {}): void {
  mkdirSync(dirname(path), { recursive: true, ...(o.private ? { mode: 0o700 } : {}) });
  // The process id keeps two processes (the app and the CLI) from sharing a temporary file.
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(value, null, o.pretty ? 2 : undefined), {
      ...(o.private ? { mode: 0o600 } : {}),
    });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

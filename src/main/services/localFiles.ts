/**
 * The destination side of downloads: folders created one segment at a time and refused if any of
 * them is a link planted to lead elsewhere, disk errors mapped, and the hidden
 * `.kura-<random>.partial` files (written and linked by download/objectDownload.ts) swept after
 * a crash unless a persisted transfer will resume from them.
 */
import { lstat, mkdir, readdir, realpath, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { KuraError } from './kuraError';

const PARTIAL = /^\.kura-[0-9a-f]{16}\.partial$/;

/** Creates `root/seg1/seg2…`, refusing any segment that exists as something other than a folder. */
export async function ensureFolder(root: string, segments: string[]): Promise<string> {
  const realRoot = await realpath(root);
  let dir = realRoot;
  for (const seg of segments) {
    dir = join(dir, seg);
    try {
      await mkdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw diskError(err);
    }
    const st = await lstat(dir);
    if (st.isSymbolicLink() || !st.isDirectory()) {
      throw new KuraError(
        'UNSAFE_NAME',
        `"${seg}" in the destination is a link or a file, not a folder`,
      );
    }
  }
  const real = await realpath(dir);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw new KuraError('UNSAFE_NAME', 'the path leaves the destination folder');
  }
  return dir;
}

export function diskError(err: unknown): KuraError {
  if (err instanceof KuraError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return new KuraError('DISK', code || (err as Error).message, { cause: err });
}

/**
 * Removes partial files a crash left behind in `dir` (not recursive), except those a persisted
 * transfer will resume from (`keep`: absolute paths).
 */
export async function sweepPartials(dir: string, keep: Set<string> = new Set()): Promise<number> {
  let removed = 0;
  try {
    for (const f of await readdir(dir)) {
      if (PARTIAL.test(f) && !keep.has(join(dir, f))) {
        await rm(join(dir, f), { force: true });
        removed++;
      }
    }
  } catch {
    // The folder does not exist yet: nothing to sweep.
  }
  return removed;
}

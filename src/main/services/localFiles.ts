/**
 * The destination side of downloads: folders created one segment at a time and refused if any of
 * them is a link planted to lead elsewhere, and disk errors mapped. (The hidden
 * `.kura-<hex>.partial` files are download/objectDownload.ts's; the sweep after a crash is
 * download/partialLedger.ts's.)
 */
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { KuraError } from './kuraError';

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

/**
 * Writing downloads to the user's disk without ever tearing or overwriting a file: bytes go to
 * a hidden `.kura-<random>.partial` file in the destination folder (exclusive create, 0600),
 * are verified, then hard-linked under the final name — which fails rather than replace an
 * existing file, so `name (1).ext` is chosen instead — and the partial is removed. Folders are
 * created one segment at a time and refused if any of them is a link planted to lead elsewhere.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, link, lstat, mkdir, readdir, realpath, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KuraError } from './kuraError';
import { numbered } from './safeNames';

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

export interface WriteOptions {
  expectedSize?: number;
  /** Hex MD5 to check (a plain single-part ETag); omitted for multipart ETags. */
  expectedMd5?: string;
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
  /** Names already used in this download, lower-cased (case-insensitive file systems). */
  taken?: Set<string>;
}

/** Streams `source` into `dir` under `name` (or `name (n)`); returns the final path. */
export async function writeNewFile(
  dir: string,
  name: string,
  source: Readable,
  o: WriteOptions = {},
): Promise<string> {
  const partial = join(dir, `.kura-${randomBytes(8).toString('hex')}.partial`);
  const md5 = createHash('md5');
  let size = 0;
  try {
    await pipeline(
      source,
      new Transform({
        transform(chunk: Buffer, _e, done) {
          size += chunk.length;
          if (o.expectedMd5) md5.update(chunk);
          o.onBytes?.(chunk.length);
          done(null, chunk);
        },
      }),
      createWriteStream(partial, { flags: 'wx', mode: 0o600 }),
      { signal: o.signal },
    );
    if (o.expectedSize !== undefined && size !== o.expectedSize) {
      throw new KuraError('INTEGRITY', `expected ${o.expectedSize} bytes, received ${size}`);
    }
    if (o.expectedMd5 && md5.digest('hex') !== o.expectedMd5) throw new KuraError('INTEGRITY');
    await chmod(partial, 0o644 & ~process.umask());
    for (let n = 0; ; n++) {
      const candidate = n === 0 ? name : numbered(name, n);
      if (o.taken?.has(candidate.toLowerCase())) continue;
      try {
        await link(partial, join(dir, candidate));
        o.taken?.add(candidate.toLowerCase());
        return join(dir, candidate);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  } catch (err) {
    if (o.signal?.aborted || (err as Error).name === 'AbortError') {
      throw new KuraError('CANCELLED', undefined, { cause: err });
    }
    if (err instanceof KuraError) throw err;
    // File-system failures become DISK; anything else (the source failing) is the caller's to map.
    if (/^E[A-Z]+$/.test((err as NodeJS.ErrnoException).code ?? '')) throw diskError(err);
    throw err;
  } finally {
    await rm(partial, { force: true });
  }
}

/** Removes partial files a crash left behind in `dir` (not recursive). */
export async function sweepPartials(dir: string): Promise<number> {
  let removed = 0;
  try {
    for (const f of await readdir(dir)) {
      if (PARTIAL.test(f)) {
        await rm(join(dir, f), { force: true });
        removed++;
      }
    }
  } catch {
    // The folder does not exist yet: nothing to sweep.
  }
  return removed;
}

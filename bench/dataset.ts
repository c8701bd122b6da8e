/**
 * The benchmark's data and its machine etiquette: what `npm run bench` seeds (objects whose bytes
 * follow from their keys, content.ts), and the shared lock a heavy run holds (flock(1)).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LinkPreset } from '../local-aws/link';
import { contentOf, contentStream } from './content';

const MiB = 1024 * 1024;
export const BUCKET = 'bench';
export const SMALL_BYTES = 10 * 1024;
export const MEDIUM_BYTES = MiB;
export const TINY_FILES = 20;

/** What each preset runs: the sizes on lan and region, smaller where the link is slow. */
export const PLAN: Record<LinkPreset, { bigMiB: number; smallFiles: number; mediumFiles: number }> =
  {
    lan: { bigMiB: 1024, smallFiles: 10_000, mediumFiles: 1000 },
    office: { bigMiB: 1024, smallFiles: 2000, mediumFiles: 250 },
    home: { bigMiB: 128, smallFiles: 1000, mediumFiles: 100 },
    region: { bigMiB: 1024, smallFiles: 2000, mediumFiles: 1000 },
  };

// ------------------------------------------------------------------ the lock

/** Holds `flock FILE` while fn runs (a child process keeps it; closing its stdin releases it). */
export async function withLock<T>(lock: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!lock) return fn();
  const holder = spawn('flock', [lock, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: holder.stdout }).once('line', () => resolve());
    holder.once('exit', (code) => reject(new Error(`flock exited with ${code}`)));
  });
  try {
    return await fn();
  } finally {
    const exited = new Promise((r) => holder.once('exit', r));
    holder.stdin.end();
    await exited;
  }
}

// ------------------------------------------------------------------ the data

export const smallCounts = [...new Set(Object.values(PLAN).map((p) => p.smallFiles))];
export const mediumCounts = [...new Set(Object.values(PLAN).map((p) => p.mediumFiles))];
export const bigSizes = [...new Set(Object.values(PLAN).map((p) => p.bigMiB))];
export const bigKey = (mib: number) => `big-${mib}MiB.bin`;
export const fileKey = (prefix: string, i: number) => `${prefix}f${String(i).padStart(6, '0')}.bin`;
export const smallPrefix = (n: number) => `small-${n}/`;
export const mediumPrefix = (n: number) => `medium-${n}/`;
export const KEYS_100K = 'keys-100000/';
export const TINY = 'tiny/';
export const SEED_SPEC = {
  v: 1,
  bigSizes,
  smallCounts,
  mediumCounts,
  keys: 100_000,
  tiny: TINY_FILES,
};

export async function seed(dataDir: string) {
  const marker = join(dataDir, 'bench-seed.json');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === JSON.stringify(SEED_SPEC)) {
    console.log(`reusing the seeded data in ${dataDir}`);
    return;
  }
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const { ObjectStore } = await import('../local-aws/s3/objectStore');
  const { Readable } = await import('node:stream');
  const store = new ObjectStore(dataDir);
  store.createBucket(BUCKET);
  const put = (key: string, size: number) =>
    store.put(
      BUCKET,
      key,
      size > 4 * MiB ? contentStream(key, size) : Readable.from([contentOf(key, size)]),
    );
  for (const mib of bigSizes) {
    console.log(`seeding ${bigKey(mib)}`);
    await put(bigKey(mib), mib * MiB);
  }
  for (const n of smallCounts) {
    console.log(`seeding ${n} × 10 KiB`);
    for (let i = 0; i < n; i++) await put(fileKey(smallPrefix(n), i), SMALL_BYTES);
  }
  for (const n of mediumCounts) {
    console.log(`seeding ${n} × 1 MiB`);
    for (let i = 0; i < n; i++) await put(fileKey(mediumPrefix(n), i), MEDIUM_BYTES);
  }
  console.log('seeding 100,000 keys');
  for (let i = 0; i < 100_000; i++) await put(fileKey(KEYS_100K, i), 1);
  for (let i = 0; i < TINY_FILES; i++) await put(fileKey(TINY, i), 1024);
  writeFileSync(marker, JSON.stringify(SEED_SPEC));
}

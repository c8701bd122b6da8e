/**
 * The soak (issue #13): many `kura get` transfers, one after another, against local-aws under a
 * random mix of faults — connections cut, bodies stalled, 503 SlowDown, a flipped byte, the
 * object replaced mid-transfer, credentials expired mid-transfer, the CLI killed with SIGKILL and
 * run again — all drawn from one seed, so a failure replays with the same plan.
 *
 * Checks, per transfer and in total: no corrupted or torn final file (every file is the object's
 * bytes, or one whole version of a replaced object), no file outside the destination and no
 * partial file left behind, every failure reported (a non-zero exit with one `kura:` line, then
 * the same command again completes it, as a user would), and bytes fetched from S3 at most
 * 1.2 × the bytes of data.
 *
 * The CLI runs as the bundle `npm run build:cli` makes (what the installed `kura` runs), inside
 * the keychain of scripts/with-keyring.sh.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { buildSync } from 'esbuild';
import type { FaultRule } from '../local-aws/faults';
import { startLocalAws, type LocalAws } from '../local-aws/server';

const MiB = 1024 * 1024;
/** Files 0 B–64 MiB; folders of 1–500 files of 0 B–256 KiB (log-uniform: see `plan`). */
export const SOAK_DEFAULTS = {
  maxFileBytes: 64 * MiB,
  maxFolderFiles: 500,
  maxFolderFileBytes: 256 * 1024,
};
const root = join(dirname(new URL(import.meta.url).pathname), '..');

export interface SoakOptions {
  transfers: number;
  seed: number;
  /** Largest single file (default 64 MiB). */
  maxFileBytes?: number;
  /** Most files in a folder (default 500). */
  maxFolderFiles?: number;
  /** Largest file in a folder (default 256 KiB). */
  maxFolderFileBytes?: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  seed: number;
  transfers: number;
  files: number;
  dataBytes: number;
  fetchedBytes: number;
  ratio: number;
  /** Failures the CLI reported (each then completed by running the command again). */
  reported: { transfer: number; message: string }[];
  /** Problems the soak found: must be empty. */
  problems: string[];
  faults: Record<string, number>;
  seconds: number;
}

// ------------------------------------------------------------------ a seeded generator

/** mulberry32: small, fast and good enough to draw a plan from a seed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    /** Log-uniform in [lo, hi]: as many small sizes as large ones, per order of magnitude. */
    logUniform: (lo: number, hi: number) =>
      Math.floor(Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo)))),
  };
}

type Rng = ReturnType<typeof generator>;

// ------------------------------------------------------------------ the plan of a transfer

type Event = 'replace' | 'expire' | 'kill';

interface Plan {
  index: number;
  kind: 'file' | 'folder';
  prefix: string;
  /** Object key → size. */
  objects: Map<string, number>;
  /** Keys the CLI must skip (they would climb out of the folder). */
  hostile: string[];
  rules: FaultRule[];
  event?: Event;
  /** For a 'replace' event: which object, and the size of its new version. */
  replace?: { key: string; size: number };
  faults: string[];
}

const fileSize = (rng: Rng, max: number) =>
  rng.chance(0.03) ? 0 : rng.logUniform(1, Math.max(2, max));

function plan(rng: Rng, index: number, o: Required<Omit<SoakOptions, 'log'>>): Plan {
  const prefix = `t${String(index).padStart(5, '0')}/`;
  const kind = rng.chance(0.7) ? 'file' : 'folder';
  const objects = new Map<string, number>();
  const hostile: string[] = [];
  if (kind === 'file') {
    objects.set(`${prefix}file-${index}.bin`, fileSize(rng, o.maxFileBytes));
  } else {
    const count = rng.logUniform(1, o.maxFolderFiles);
    for (let i = 0; i < count; i++) {
      const depth = rng.int(0, 2);
      const dirs = Array.from({ length: depth }, () => `d${rng.int(0, 3)}`);
      objects.set(
        `${prefix}dir/${[...dirs, `f${i}.dat`].join('/')}`,
        fileSize(rng, o.maxFolderFileBytes),
      );
    }
    if (rng.chance(0.05)) hostile.push(`${prefix}dir/../escape-${index}.txt`);
  }
  const largest = Math.max(0, ...objects.values());
  const rules: FaultRule[] = [];
  const faults: string[] = [];
  const scope = { service: 's3' as const, bucket: BUCKET, keyPrefix: prefix };
  if (rng.chance(0.2) && largest > 0) {
    rules.push({
      ...scope,
      operation: 'GetObject',
      cutAfterBytes: rng.int(0, largest - 1),
      times: rng.int(1, 3),
    });
    faults.push('cut');
  }
  if (rng.chance(0.08) && largest > 0) {
    rules.push({
      ...scope,
      operation: 'GetObject',
      stallAfterBytes: rng.int(0, largest - 1),
      times: 1,
    });
    faults.push('stall');
  }
  // The SDK backs off half a second and more after each SlowDown: rarer, or the soak crawls.
  if (rng.chance(0.08)) {
    rules.push({ ...scope, status: 503, times: rng.int(1, 2) });
    faults.push('503');
  }
  if (rng.chance(0.06) && largest > 0) {
    // Three flipped copies in a row outlast the engine's restarts: the run fails (INTEGRITY),
    // must say so, and the next run completes it. Only below the ranged size, where a restart
    // costs one object, not a 64 MiB one three times over.
    const times = largest < 16 * MiB ? rng.int(1, 3) : 1;
    rules.push({ ...scope, operation: 'GetObject', flipByteAt: rng.int(0, largest - 1), times });
    faults.push('flip');
  }
  const roll = rng.next();
  const event: Event | undefined =
    roll < 0.06 ? 'replace' : roll < 0.16 ? 'expire' : roll < 0.26 ? 'kill' : undefined;
  let replace: Plan['replace'];
  if (event) {
    faults.push(event);
    // Slow enough that the event lands while bytes are still coming.
    rules.push({ ...scope, operation: 'GetObject', bytesPerSecond: 24 * MiB });
    if (event === 'replace') {
      const keys = [...objects.keys()];
      const key = keys[rng.int(0, keys.length - 1)]!;
      replace = {
        key,
        size: rng.chance(0.5) ? objects.get(key)! : fileSize(rng, Math.max(2, largest)),
      };
    }
  }
  return { index, kind, prefix, objects, hostile, rules, event, replace, faults };
}

/** The fault kinds the first `transfers` plans of a seed draw (to pick a seed that has them all). */
export function planFaults(
  seed: number,
  transfers: number,
  o: Partial<Omit<SoakOptions, 'log' | 'seed' | 'transfers'>> = {},
): Set<string> {
  const rng = generator(seed);
  const kinds = new Set<string>();
  const limits = { ...SOAK_DEFAULTS, ...o, seed, transfers };
  for (let i = 0; i < transfers; i++) for (const f of plan(rng, i, limits).faults) kinds.add(f);
  return kinds;
}

// ------------------------------------------------------------------ running the CLI

const BUCKET = 'kura-soak';
const PASSWORD = 'Soak-Pass-2026!';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function startCli(bundle: string, dataDir: string, args: string[], input = '') {
  const child = spawn(process.execPath, [bundle, ...args], {
    cwd: root,
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
      KURA_DATA_DIR: dataDir,
      KURA_LANG: 'en',
      NODE_PATH: join(root, 'node_modules'),
      // Stalls are dropped after 1.5 s instead of 30 s; retries back off from 50 ms.
      KURA_ENGINE: JSON.stringify({ idleTimeoutMs: 1500, backoffMs: 50 }),
    },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.end(input);
  const done = new Promise<Run>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

/** Partial bytes under `dir` right now (the transfer is under way once there are some). */
function partialBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const d of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (d.isFile() && d.name.endsWith('.partial'))
      n += statSync(join(d.parentPath, d.name), { throwIfNoEntry: false })?.size ?? 0;
  }
  return n;
}

/** Resolves once the transfer has bytes on disk, or has ended — whichever comes first. */
async function underWay(dest: string, done: Promise<Run>): Promise<boolean> {
  let ended = false;
  void done.then(() => (ended = true));
  while (!ended) {
    if (partialBytes(dest) > 0) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// ------------------------------------------------------------------ the soak

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const o = { ...SOAK_DEFAULTS, ...options };
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const rng = generator(o.seed);
  const work = mkdtempSync(join(tmpdir(), 'kura-soak-'));
  const bundle = join(work, 'kura.cjs');
  buildSync({
    entryPoints: [join(root, 'src/cli/kura.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    external: ['@napi-rs/keyring', 'aws-crt'],
    logLevel: 'warning',
  });
  const aws: LocalAws = await startLocalAws({
    seed: 'none',
    bucket: BUCKET,
    dataDir: join(work, 'local-aws'),
  });
  const result: SoakResult = {
    seed: o.seed,
    transfers: o.transfers,
    files: 0,
    dataBytes: 0,
    fetchedBytes: 0,
    ratio: 0,
    reported: [],
    problems: [],
    faults: {},
    seconds: 0,
  };
  try {
    aws.userPool.createUser('soak@example.com', PASSWORD, { email_verified: 'true' });
    aws.userPool.setUserPassword('soak@example.com', PASSWORD, true);
    const dataDir = join(work, 'kura-data');
    const login = await startCli(
      bundle,
      dataDir,
      ['--profile', aws.profilePath, 'login', '--username', 'soak@example.com', '--password-stdin'],
      `${PASSWORD}\n`,
    ).done;
    if (login.code !== 0) throw new Error(`soak: login failed: ${login.stderr.trim()}`);
    const fetchedBefore = aws.s3Stats.getObjectBytes;

    for (let i = 0; i < o.transfers; i++) {
      const p = plan(rng, i, o);
      for (const f of p.faults) result.faults[f] = (result.faults[f] ?? 0) + 1;
      const t0 = Date.now();
      await transfer(p);
      if (process.env.SOAK_TRACE)
        log(
          `  ${p.index} ${p.kind} ${p.objects.size} ${[...p.objects.values()].reduce((a, b) => a + b, 0)} ${p.faults.join(',')} ${Date.now() - t0} ms`,
        );
      if ((i + 1) % 50 === 0 || i + 1 === o.transfers)
        log(
          `soak: ${i + 1}/${o.transfers} transfers, ${result.files} files, ${(result.dataBytes / MiB).toFixed(0)} MiB, ${result.problems.length} problems`,
        );
    }
    result.fetchedBytes = aws.s3Stats.getObjectBytes - fetchedBefore;
    result.ratio = result.dataBytes === 0 ? 1 : result.fetchedBytes / result.dataBytes;
    if (result.ratio > 1.2)
      result.problems.push(`fetched ${result.ratio.toFixed(3)}× the data (more than 1.2×)`);

    /** One transfer: objects in, the CLI run (with its event), the result checked, cleaned up. */
    async function transfer(p: Plan) {
      const versions = new Map<string, string[]>();
      for (const [key, size] of p.objects) {
        const body = randomBytes(size);
        await aws.store.put(BUCKET, key, Readable.from([body]));
        versions.set(key, [sha(body)]);
      }
      for (const key of p.hostile)
        await aws.store.put(BUCKET, key, Readable.from([Buffer.from('x')]));
      aws.faults.set(p.rules);
      const sandbox = join(work, `t${p.index}`);
      const dest = join(sandbox, 'dest');
      mkdirSync(dest, { recursive: true });
      const [firstKey] = p.objects.keys();
      const args =
        p.kind === 'file'
          ? ['get', `s3://${BUCKET}/${firstKey}`, dest]
          : ['get', '--recursive', `s3://${BUCKET}/${p.prefix}dir/`, dest];
      const what = `transfer ${p.index} (${p.kind}, ${p.objects.size} objects, faults: ${p.faults.join(' ') || 'none'}; replay: --seed ${o.seed} --transfers ${p.index + 1})`;

      const first = startCli(bundle, dataDir, args);
      if (p.event && (await underWay(dest, first.done))) {
        if (p.event === 'kill') first.child.kill('SIGKILL');
        if (p.event === 'expire') aws.identityPool.expireAllCredentials();
        if (p.replace) {
          const body = randomBytes(p.replace.size);
          await aws.store.put(BUCKET, p.replace.key, Readable.from([body]));
          versions.get(p.replace.key)!.push(sha(body));
        }
      }
      let run = await first.done;
      if (run.signal === 'SIGKILL') {
        run = await startCli(bundle, dataDir, args).done;
        if (!/^kura: (resuming|starting) the interrupted download of .*$/m.test(run.stderr))
          result.problems.push(
            `${what}: the run after SIGKILL did not say it resumes: ${JSON.stringify(run.stderr)}`,
          );
      }
      const expectedExit = p.hostile.length > 0 ? 3 : 0;
      if (run.code !== 0 && run.code !== expectedExit) {
        // A failure must be reported: a non-zero exit and one `kura:` line saying what.
        const lines = run.stderr
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('kura: '));
        if (lines.length !== 1 || run.code === null)
          result.problems.push(
            `${what}: exit ${run.code} without one kura: line (${JSON.stringify(run.stderr)})`,
          );
        result.reported.push({ transfer: p.index, message: lines.at(-1) ?? run.stderr.trim() });
        // Nothing half-written may carry a final name meanwhile.
        checkFiles(p, versions, dest, what, true);
        // As a user would: the faults are over; the same command finishes the transfer.
        aws.faults.clear();
        run = await startCli(bundle, dataDir, args).done;
      }
      aws.faults.clear();
      if (run.code !== expectedExit)
        result.problems.push(`${what}: ended with exit ${run.code}: ${run.stderr.trim()}`);
      if (expectedExit === 3 && !p.hostile.every((h) => run.stderr.includes(`kura: skipped ${h}`)))
        result.problems.push(`${what}: a skipped key was not reported`);
      checkFiles(p, versions, dest, what, false);
      // Nothing outside the destination: the sandbox holds the destination and nothing else.
      const outside = readdirSync(sandbox).filter((f) => f !== 'dest');
      if (outside.length)
        result.problems.push(`${what}: files outside the destination: ${outside.join(', ')}`);
      rmSync(sandbox, { recursive: true, force: true });
      for (const key of [...p.objects.keys(), ...p.hostile]) aws.store.delete(BUCKET, key);
    }

    /** Every final file is one whole version of its object; with `partial`, some may be missing. */
    function checkFiles(
      p: Plan,
      versions: Map<string, string[]>,
      dest: string,
      what: string,
      partial: boolean,
    ) {
      const expected = new Map<string, string>();
      for (const key of p.objects.keys()) {
        const rel = p.kind === 'file' ? key.split('/').pop()! : key.slice(p.prefix.length);
        expected.set(rel, key);
      }
      const found = existsSync(dest)
        ? readdirSync(dest, { recursive: true, withFileTypes: true }).filter((d) => d.isFile())
        : [];
      for (const d of found) {
        const rel = relative(dest, join(d.parentPath, d.name));
        if (d.name.endsWith('.partial')) {
          if (!partial) result.problems.push(`${what}: a partial file was left: ${rel}`);
          continue;
        }
        const key = expected.get(rel);
        if (!key) {
          result.problems.push(`${what}: an unexpected file: ${rel}`);
          continue;
        }
        const got = sha(readFileSync(join(dest, rel)));
        const allowed = versions.get(key)!;
        if (!allowed.includes(got)) result.problems.push(`${what}: ${rel} is corrupted or torn`);
        else if (!partial) {
          result.files++;
          result.dataBytes += statSync(join(dest, rel)).size;
        }
        expected.delete(rel);
      }
      if (!partial && expected.size > 0)
        result.problems.push(`${what}: missing ${[...expected.keys()].slice(0, 3).join(', ')}…`);
    }
  } finally {
    await aws.stop();
    rmSync(work, { recursive: true, force: true });
  }
  result.seconds = Math.round((Date.now() - started) / 1000);
  return result;
}

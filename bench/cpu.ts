/**
 * `npm run bench:cpu` — what the `kura` CLI costs in CPU, before and after a change (#14).
 *
 * - Instructions (valgrind --tool=callgrind: user-space instructions, repeatable even on a busy
 *   machine, where wall and CPU times move by ±30 %) of `kura get` of a 128 MiB object, of
 *   `kura get --recursive` of 1,000 × 10 KiB, and of `kura ls` of a small folder; curl's get of
 *   the same object as the floor.
 * - CPU time (user + system, GNU time) of the 1 GiB download on loopback, the builds and curl
 *   taking turns, `--runs` each after a warm-up.
 * - A `--cpu-prof` profile of the 1 GiB download per build: main-thread time by kind.
 *
 * `--before FILE` is an earlier bundle (e.g. `npm run build:cli` on the earlier commit, copied to
 * out/cli-before/kura.cjs); without it only the current build is measured.
 * Usage: npm run bench:cpu [-- --before out/cli-before/kura.cjs --runs 5 --data DIR --lock FILE]
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { holdsObject } from './content';
import { BUCKET, bigKey, seed, smallPrefix, TINY, withLock } from './dataset';
import { root, writeResults } from './lib';
import { measure, median, startPeers } from './peers';

const run = promisify(execFile);
const MiB = 1024 * 1024;
const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    runs: { type: 'string', default: '5' },
    data: { type: 'string' },
    lock: { type: 'string' },
  },
});
const runs = Number(values.runs);
const command = `npm run bench:cpu -- ${values.before ? `--before ${values.before} ` : ''}--runs ${runs}`;

const dataDir = values.data ?? mkdtempSync(join(tmpdir(), 'kura-bench-data-'));
await withLock(values.lock, () => seed(dataDir));
const peers = await startPeers(dataDir, BUCKET, ['--credential-ttl', '14400']);
const { envs, admin, creds, profile } = peers;
const s3 = new S3Client({
  region: profile.region,
  endpoint: admin.endpoint,
  forcePathStyle: true,
  credentials: creds,
});
const url = (key: string) =>
  getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 4 * 3600 });

const builds: Record<string, string[]> = {};
if (values.before) builds.before = [process.execPath, join(root, values.before)];
builds.after = peers.kura;

const work = mkdtempSync(join(tmpdir(), 'kura-bench-cpu-'));
const fresh = () => mkdtempSync(join(work, 'run-'));

/** User-space instructions of one command, from callgrind. */
async function instructions(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { stderr } = await run(
    'valgrind',
    ['--tool=callgrind', '--callgrind-out-file=/dev/null', ...argv],
    { env, maxBuffer: 64 * MiB },
  ).catch((err: { stderr?: string; message: string }) => {
    throw new Error(`${argv.join(' ')}: ${err.stderr?.slice(-500) ?? err.message}`);
  });
  const m = /I\s+refs:\s+([\d,]+)/.exec(stderr);
  if (!m) throw new Error(`no instruction count from ${argv.join(' ')}`);
  return Number(m[1]!.replace(/,/g, ''));
}

const big128 = bigKey(128);
const big1024 = bigKey(1024);
const small = smallPrefix(1000);
const counts: Record<string, Record<string, number>> = {};
const profiles: Record<string, Record<string, number>> = {};
const cpu: Record<string, number[]> = {};
const wall: Record<string, number[]> = {};

/** Main-thread time of a --cpu-prof profile by kind (ms). */
function categorise(path: string): Record<string, number> {
  const prof = JSON.parse(readFileSync(path, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const kind = new Map<number, string>();
  for (const n of prof.nodes) {
    const { functionName: f, url: u } = n.callFrame;
    kind.set(
      n.id,
      f === '(garbage collector)'
        ? 'garbage collection'
        : f === '(idle)'
          ? 'idle (waiting)'
          : u.includes('aws-crt') || /^crc/i.test(f)
            ? 'checksum (aws-crt)'
            : ['writeBuffers', 'writeBuffer', 'writev', 'read', 'open', 'openFileHandle'].includes(
                  f,
                ) && !u
              ? 'file system calls'
              : /^node:(_http|net|internal\/streams|internal\/stream_base|events|stream)/.test(u)
                ? 'HTTP and streams'
                : u.includes('kura.cjs')
                  ? 'Kura and the AWS SDK'
                  : 'Node internals, module loading, other',
    );
  }
  const out: Record<string, number> = {};
  prof.samples.forEach((id, i) => {
    const k = kind.get(id) ?? 'other';
    out[k] = (out[k] ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000;
  });
  return out;
}

try {
  await withLock(values.lock, async () => {
    const curlUrl = await url(big128);
    const dest = fresh();
    counts.curl = {
      get128: await instructions(['curl', '-sSf', '-o', join(dest, 'x'), curlUrl], envs.aws),
    };
    for (const [name, kura] of Object.entries(builds)) {
      const c: Record<string, number> = {};
      let d = fresh();
      c.get128 = await instructions([...kura, 'get', `s3://${BUCKET}/${big128}`, d], envs.kura);
      if (!(await holdsObject(join(d, big128), big128, 128 * MiB))) throw new Error('bytes differ');
      d = fresh();
      c.folder1000 = await instructions(
        [...kura, 'get', '--recursive', `s3://${BUCKET}/${small}`, d],
        envs.kura,
      );
      await instructions([...kura, 'ls', `s3://${BUCKET}/${TINY}`], envs.kura); // fills the compile cache
      c.ls = await instructions([...kura, 'ls', `s3://${BUCKET}/${TINY}`], envs.kura);
      counts[name] = c;
      console.log(name, c);
    }
  });

  await withLock(values.lock, async () => {
    const curlUrl = await url(big1024);
    const tools: Record<string, (d: string) => string[]> = {};
    for (const [name, kura] of Object.entries(builds))
      tools[name] = (d) => [...kura, 'get', `s3://${BUCKET}/${big1024}`, d];
    tools.curl = (d) => ['curl', '-sSf', '-o', join(d, big1024), curlUrl];
    const names = Object.keys(tools);
    for (let round = 0; round <= runs; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length]!;
        const d = fresh();
        execFileSync('sync');
        const m = await measure(tools[name]!(d), name === 'curl' ? envs.aws : envs.kura);
        if (!(await holdsObject(join(d, big1024), big1024, 1024 * MiB)))
          throw new Error(`${name}: bytes differ`);
        rmSync(d, { recursive: true, force: true });
        console.log(
          `1 GiB ${round ? `run ${round}` : 'warm-up'} ${name}: ${m.seconds} s, CPU ${m.cpuSeconds} s`,
        );
        if (!round) continue;
        (cpu[name] ??= []).push(m.cpuSeconds);
        (wall[name] ??= []).push(m.seconds);
      }
    }
    for (const [name, kura] of Object.entries(builds)) {
      const d = fresh();
      const dir = mkdtempSync(join(work, 'prof-'));
      await run(
        kura[0]!,
        [
          '--cpu-prof',
          `--cpu-prof-dir=${dir}`,
          ...kura.slice(1),
          'get',
          `s3://${BUCKET}/${big1024}`,
          d,
        ],
        { env: envs.kura },
      );
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (file) profiles[name] = categorise(join(dir, file));
      rmSync(d, { recursive: true, force: true });
    }
  });
} finally {
  await peers.close();
  rmSync(work, { recursive: true, force: true });
  if (!values.data) rmSync(dataDir, { recursive: true, force: true });
}

const G = (n: number | undefined) => (n === undefined ? '' : `${(n / 1e9).toFixed(2)} G`);
const names = Object.keys(builds);
const change = (k: string) =>
  counts.before && counts.after
    ? ` ${(((counts.after[k]! - counts.before[k]!) / counts.before[k]!) * 100).toFixed(0)} %`
    : '';
const kinds = [...new Set(Object.values(profiles).flatMap((p) => Object.keys(p)))].sort();
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
  } catch {
    return 'unknown';
  }
})();
const beforeCommit = (() => {
  try {
    return values.before && existsSync(join(root, values.before, '..', 'COMMIT'))
      ? readFileSync(join(root, values.before, '..', 'COMMIT'), 'utf8').trim()
      : 'the earlier bundle';
  } catch {
    return 'the earlier bundle';
  }
})();

writeResults(
  'cpu',
  command,
  { commit, before: values.before, counts, cpu, wall, profiles },
  `
# CPU per byte and start-up (\`npm run bench:cpu\`)

Commit ${commit}${values.before ? `; "before" is ${beforeCommit} (\`${values.before}\`)` : ''}.

## Instructions (callgrind, user space)

Repeatable on a busy machine; system time (the kernel's copies) is not in them.

| command | ${names.join(' | ')} | curl | change |
| --- | ${names.map(() => '---').join(' | ')} | --- | --- |
| \`get\` one 128 MiB object | ${names.map((n) => G(counts[n]?.get128)).join(' | ')} | ${G(counts.curl?.get128)} |${change('get128')} |
| \`get --recursive\` 1,000 × 10 KiB | ${names.map((n) => G(counts[n]?.folder1000)).join(' | ')} | |${change('folder1000')} |
| \`ls\` of a folder of 20 files | ${names.map((n) => G(counts[n]?.ls)).join(' | ')} | |${change('ls')} |

## CPU time of one 1 GiB download on loopback (GNU time, user + system)

Median (min–max) of ${runs} runs after a warm-up, the builds and curl taking turns.

| build | CPU | wall | CPU ÷ curl's |
| --- | --- | --- | --- |
${[...names, 'curl']
  .map(
    (n) =>
      `| ${n} | ${median(cpu[n]!).toFixed(2)} s (${Math.min(...cpu[n]!).toFixed(2)}–${Math.max(...cpu[n]!).toFixed(2)}) | ${median(wall[n]!).toFixed(2)} s | ${(median(cpu[n]!) / median(cpu.curl!)).toFixed(2)}× |`,
  )
  .join('\n')}

## Where the main thread's time goes (\`--cpu-prof\`, one 1 GiB download)

| kind | ${names.join(' | ')} |
| --- | ${names.map(() => '---').join(' | ')} |
${kinds.map((k) => `| ${k} | ${names.map((n) => `${Math.round(profiles[n]?.[k] ?? 0)} ms`).join(' | ')} |`).join('\n')}
`,
);
console.log('wrote bench/results/cpu.md');
process.exit(0);

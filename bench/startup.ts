/**
 * `npm run bench:startup` — `kura ls` of a small folder (the start-up case of `npm run bench`,
 * issue #14) against `rclone lsf`, and against Kura as an earlier commit built it, on chosen link
 * presets, without seeding the full benchmark's 3.5 GiB: only the 20-file folder.
 *
 * The tools take turns (a warm-up round, not counted, then `--runs` rounds, each starting with
 * the next tool), each run measured by GNU time as `npm run bench` does (peers.ts): wall time,
 * CPU of the process tree, peak RSS; every listing checked name by name. "Before" is the bundle
 * of `--before` (default `main`), built from that commit's `src/` and `bin/` into a temporary
 * folder, run by the same Node, signed in with the same keychain session.
 *
 * Usage: npm run bench:startup [-- --presets lan,office --runs 7 --before main
 *        --lock /tmp/kura-heavy.lock]; writes bench/results/startup.{md,json}
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { isLinkPreset } from '../local-aws/link';
import { contentOf } from './content';
import { BUCKET, fileKey, TINY, TINY_FILES, withLock } from './dataset';
import { root, writeResults } from './lib';
import { measure, median, startPeers, type Measured } from './peers';

const { values } = parseArgs({
  options: {
    presets: { type: 'string', default: 'lan,office' },
    runs: { type: 'string', default: '7' },
    before: { type: 'string', default: 'main' },
    lock: { type: 'string' },
  },
});
const presets = values.presets.split(',');
for (const p of presets) if (!isLinkPreset(p)) throw new Error(`unknown preset ${p}`);
const runs = Number(values.runs);
if (!(Number.isInteger(runs) && runs >= 1)) throw new Error('--runs must be a positive integer');
const before = execFileSync('git', ['rev-parse', '--short', values.before], { cwd: root })
  .toString()
  .trim();
const after = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root })
  .toString()
  .trim();
const command = `npm run bench:startup -- --presets ${presets.join(',')} --runs ${runs} --before ${values.before}`;

const work = mkdtempSync(join(tmpdir(), 'kura-bench-startup-'));
try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** The installed command of an earlier commit: its bin/ and its bundle, over today's node_modules. */
function buildBefore(dir: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${before} bin src package.json | tar -x -C "${dir}"`], {
    cwd: root,
  });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const build = spawnSync('npm', ['run', '--silent', 'build:cli'], { cwd: dir, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`building ${before}'s bundle failed`);
  return join(dir, 'bin/kura.mjs');
}

interface Tool {
  name: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
}
interface Sample {
  seconds: number;
  cpuSeconds: number;
  rssMb: number;
}

function checkListing(m: Measured) {
  const names = m.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/).pop()!)
    .sort();
  const want = Array.from({ length: TINY_FILES }, (_, i) => fileKey(TINY, i).slice(TINY.length));
  if (JSON.stringify(names) !== JSON.stringify(want))
    throw new Error(`unexpected listing: ${m.stdout.slice(0, 500)}`);
}

async function main() {
  const dataDir = join(work, 'data');
  const { ObjectStore } = await import('../local-aws/s3/objectStore');
  const store = new ObjectStore(dataDir);
  store.createBucket(BUCKET);
  for (let i = 0; i < TINY_FILES; i++) {
    const key = fileKey(TINY, i);
    await store.put(BUCKET, key, Readable.from([contentOf(key, 1024)]));
  }
  const beforeBin = buildBefore(join(work, 'before'));
  const peers = await startPeers(dataDir, BUCKET, ['--credential-ttl', '14400']);
  const results: { preset: string; samples: Record<string, Sample[]> }[] = [];
  try {
    const uri = `s3://${BUCKET}/${TINY}`;
    const tools: Tool[] = [
      {
        name: `kura ${before} (before)`,
        argv: [process.execPath, beforeBin, 'ls', uri],
        env: peers.envs.kura,
      },
      { name: `kura ${after}`, argv: [...peers.kura, 'ls', uri], env: peers.envs.kura },
      {
        name: 'rclone lsf',
        argv: ['rclone', 'lsf', `l:${BUCKET}/${TINY}`],
        env: peers.envs.rclone,
      },
    ];
    for (const preset of presets) {
      await peers.adminRequest('PUT', 'link', preset);
      const samples: Record<string, Sample[]> = Object.fromEntries(tools.map((t) => [t.name, []]));
      await withLock(values.lock, async () => {
        for (let round = 0; round <= runs; round++) {
          const order = tools.map((_, i) => tools[(i + round) % tools.length]!);
          for (const t of order) {
            const m = await measure(t.argv, t.env);
            checkListing(m);
            const label = round === 0 ? 'warm-up' : `run ${round}`;
            console.log(
              `${preset} ${label} ${t.name}: ${m.seconds.toFixed(2)} s, CPU ${m.cpuSeconds.toFixed(2)} s, ${m.rssMb} MB`,
            );
            if (round > 0)
              samples[t.name]!.push({
                seconds: m.seconds,
                cpuSeconds: m.cpuSeconds,
                rssMb: m.rssMb,
              });
          }
        }
      });
      results.push({ preset, samples });
    }
  } finally {
    await peers.close();
  }
  report(results, toolNames(results));
}

function toolNames(results: { samples: Record<string, Sample[]> }[]): string[] {
  return Object.keys(results[0]?.samples ?? {});
}

function report(results: { preset: string; samples: Record<string, Sample[]> }[], names: string[]) {
  const fmt = (x: number, d = 2) => x.toFixed(d);
  const range = (xs: number[], unit = ' s') =>
    `${fmt(median(xs))}${unit} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
  const [beforeName, afterName, rclone] = names as [string, string, string];
  const ratio = (s: Record<string, Sample[]>, a: string, b: string, f: keyof Sample) => {
    const x = s[a]!.map((v) => v[f]);
    const y = s[b]!.map((v) => v[f]);
    const perRound = x.map((v, i) => v / y[i]!);
    return `${fmt(median(x) / median(y))}× (${fmt(Math.min(...perRound))}–${fmt(Math.max(...perRound))})`;
  };
  const sections = results.map(({ preset, samples }) => {
    const rows = names.map((n) => {
      const s = samples[n]!;
      return `| ${n} | ${range(s.map((x) => x.seconds))} | ${range(s.map((x) => x.cpuSeconds))} | ${median(s.map((x) => x.rssMb))} MB | ${n === rclone ? '' : ratio(samples, n, rclone, 'seconds')} | ${n === rclone ? '' : ratio(samples, n, rclone, 'cpuSeconds')} |`;
    });
    const k = samples[afterName]!.map((x) => x.seconds);
    const r = samples[rclone]!.map((x) => x.seconds);
    const x = median(k) / median(r);
    return `### ${preset}: \`kura ls\` of a folder of ${TINY_FILES} files

| tool | wall, median (min–max) | CPU user+sys | peak RSS | ÷ rclone, wall (per round) | ÷ rclone, CPU (per round) |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

After ÷ before: wall ${ratio(samples, afterName, beforeName, 'seconds')}, CPU ${ratio(samples, afterName, beforeName, 'cpuSeconds')}. Goal (issue #14): \`kura ls\` ≤ 1.3× \`rclone lsf\`'s wall time — ${x <= 1.3 ? `met (${fmt(x)}×)` : `missed: ${fmt(x)}×, ${fmt((x / 1.3 - 1) * 100, 0)} % over`}.
`;
  });
  const markdown = `# Start-up: \`kura ls\` of a small folder, before and after (issue #14)

${runs} alternating rounds per preset after a warm-up round (not counted); each figure the median with min–max; ratios of the medians with the round-by-round range. Before: ${before}; after: ${after}. Kura runs as installed (\`node bin/kura.mjs\`, the bundle) on the Node that runs this script, signed in through Cognito, its session in the keychain.

${sections.join('\n')}`;
  writeResults('startup', command, { before, after, runs, results }, markdown);
  console.log(markdown);
}

/**
 * `kura` as a whole process against its peers, on local-aws (issue: core):
 *  - one 1 GiB object: `kura get` vs `aws s3 cp` and `rclone copyto` (wall time, peak RSS);
 *  - a 100,000-object prefix: `kura ls --recursive` vs `aws s3 ls --recursive` and `rclone lsf -R`.
 * Every tool reads with the same role credentials (Kura gets its own through Cognito).
 * Runs inside scripts/with-keyring.sh (the CLI keeps its session in the keychain).
 * Usage: npm run bench:kura [-- --size-mib 1024 --objects 100000 --runs 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeResults } from './lib';
import { measure, median, startPeers } from './peers';

const { values } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '1024' },
    objects: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
  },
});
const sizeMiB = Number(values['size-mib']);
const objectCount = Number(values.objects);
const runs = Number(values.runs);
const command = `npm run bench:kura -- --size-mib ${sizeMiB} --objects ${objectCount} --runs ${runs}`;
const bucket = 'bench';

const peers = await startPeers(bucket, { bigMiB: sizeMiB, smallObjects: objectCount });
const { admin, envs, kura } = peers;

const tools: Record<
  string,
  { get: (dest: string) => string[]; ls: string[]; env: NodeJS.ProcessEnv }
> = {
  kura: {
    get: (d) => [...kura, 'get', `s3://${bucket}/big.bin`, d],
    ls: [...kura, 'ls', '--recursive', `s3://${bucket}/many/`],
    env: envs.kura,
  },
  'aws s3': {
    get: (d) => [
      '/usr/bin/aws',
      '--endpoint-url',
      admin.endpoint,
      's3',
      'cp',
      `s3://${bucket}/big.bin`,
      d,
    ],
    ls: [
      '/usr/bin/aws',
      '--endpoint-url',
      admin.endpoint,
      's3',
      'ls',
      '--recursive',
      `s3://${bucket}/many/`,
    ],
    env: envs.aws,
  },
  rclone: {
    get: (d) => ['rclone', 'copyto', `l:${bucket}/big.bin`, d],
    ls: ['rclone', 'lsf', '-R', `l:${bucket}/many/`],
    env: envs.rclone,
  },
};

const results: Record<
  string,
  { getSeconds: number; getRssMb: number; lsSeconds: number; lsRssMb: number; lsLines: number }
> = {};
for (const [name, t] of Object.entries(tools)) {
  const getTimes: number[] = [];
  const getRss: number[] = [];
  const lsTimes: number[] = [];
  const lsRss: number[] = [];
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    const dest = mkdtempSync(join(tmpdir(), 'kura-bench-dest-'));
    const g = await measure(t.get(join(dest, 'big.bin')), t.env);
    getTimes.push(g.seconds);
    getRss.push(g.rssMb);
    rmSync(dest, { recursive: true, force: true });
    const l = await measure(t.ls, t.env);
    lsTimes.push(l.seconds);
    lsRss.push(l.rssMb);
    lines = l.stdout.trim().split('\n').length;
  }
  if (lines !== objectCount) throw new Error(`${name} listed ${lines} of ${objectCount}`);
  results[name] = {
    getSeconds: median(getTimes),
    getRssMb: Math.max(...getRss),
    lsSeconds: median(lsTimes),
    lsRssMb: Math.max(...lsRss),
    lsLines: lines,
  };
  console.log(name, results[name]);
}
await peers.close();

const k = results.kura!;
const rows = Object.entries(results)
  .map(
    ([name, r]) =>
      `| ${name} | ${r.getSeconds.toFixed(2)} s (${(r.getSeconds / k.getSeconds).toFixed(2)}× Kura) | ${r.getRssMb} MB | ${r.lsSeconds.toFixed(2)} s (${(r.lsSeconds / k.lsSeconds).toFixed(2)}× Kura) | ${r.lsRssMb} MB |`,
  )
  .join('\n');
writeResults(
  'kura-cli',
  command,
  { sizeMiB, objectCount, runs, results, goals: { kuraGetRssMb: '< 250', kuraLsFastest: true } },
  `
| tool | get ${sizeMiB} MiB (median of ${runs}) | get peak RSS | ls --recursive ${objectCount} keys | ls peak RSS |
| --- | --- | --- | --- | --- |
${rows}

Goals: Kura's RSS < 250 MB while downloading; \`kura ls --recursive\` fastest. The download engine issue sets the download-speed targets.
`,
);
process.exit(0);

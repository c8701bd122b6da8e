/**
 * The download engine against its peers on local-aws (issue: download engine), each figure from
 * one run, with and without a per-connection bandwidth limit (local-aws's fault rule, which
 * emulates real S3's per-connection rate):
 *  - one large object: `kura get` vs `rclone copy` (its defaults), `aws s3 cp`, and `curl` on a
 *    presigned URL (the single-stream floor);
 *  - many small objects as a folder: `kura get --recursive` vs `rclone copy` and
 *    `aws s3 cp --recursive`.
 * Every download is checked: the bytes on disk must equal the object (a size and hash check of
 * the large file, a count and total size of the folder).
 * Usage: npm run bench:download [-- --size-mib 1024 --objects 10000 --object-kib 10 --limit-mib 32]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { writeResults } from './lib';
import { measure, startPeers } from './peers';

const { values } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '1024' },
    objects: { type: 'string', default: '10000' },
    'object-kib': { type: 'string', default: '10' },
    'limit-mib': { type: 'string', default: '32' },
  },
});
const sizeMiB = Number(values['size-mib']);
const objects = Number(values.objects);
const objectKiB = Number(values['object-kib']);
const limitMiB = Number(values['limit-mib']);
const command = `npm run bench:download -- --size-mib ${sizeMiB} --objects ${objects} --object-kib ${objectKiB} --limit-mib ${limitMiB}`;
const bucket = 'bench';

const peers = await startPeers(bucket, {
  bigMiB: sizeMiB,
  smallObjects: objects,
  smallBytes: objectKiB * 1024,
  smallPrefix: 'small',
});
const { admin, envs, kura, creds, profile } = peers;

const s3 = new S3Client({
  region: profile.region,
  endpoint: admin.endpoint,
  forcePathStyle: true,
  credentials: creds,
});
const presigned = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }), {
  expiresIn: 3600,
});
const aws = ['/usr/bin/aws', '--endpoint-url', admin.endpoint, 's3'];

async function sha256(path: string) {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
function walk(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const w = walk(p);
      files += w.files;
      bytes += w.bytes;
    } else {
      files++;
      bytes += statSync(p).size;
    }
  }
  return { files, bytes };
}

type Tool = {
  argv: (dest: string) => string[];
  env: NodeJS.ProcessEnv;
  file: (dest: string) => string;
};
const bigTools: Record<string, Tool> = {
  kura: {
    argv: (d) => [...kura, 'get', `s3://${bucket}/big.bin`, d],
    env: envs.kura,
    file: (d) => join(d, 'big.bin'),
  },
  rclone: {
    argv: (d) => ['rclone', 'copy', `l:${bucket}/big.bin`, d],
    env: envs.rclone,
    file: (d) => join(d, 'big.bin'),
  },
  'aws s3 cp': {
    argv: (d) => [...aws, 'cp', '--only-show-errors', `s3://${bucket}/big.bin`, join(d, 'big.bin')],
    env: envs.aws,
    file: (d) => join(d, 'big.bin'),
  },
  'curl (presigned)': {
    argv: (d) => ['curl', '-sSf', '-o', join(d, 'big.bin'), presigned],
    env: envs.aws,
    file: (d) => join(d, 'big.bin'),
  },
};
const folderTools: Record<string, Omit<Tool, 'file'>> = {
  kura: {
    argv: (d) => [...kura, 'get', '--recursive', `s3://${bucket}/small/`, d],
    env: envs.kura,
  },
  rclone: {
    argv: (d) => ['rclone', 'copy', `l:${bucket}/small/`, join(d, 'small')],
    env: envs.rclone,
  },
  'aws s3 cp': {
    argv: (d) => [
      ...aws,
      'cp',
      '--recursive',
      '--only-show-errors',
      `s3://${bucket}/small/`,
      join(d, 'small'),
    ],
    env: envs.aws,
  },
};

const expectedSha = await (async () => {
  const d = mkdtempSync(join(tmpdir(), 'kura-bench-ref-'));
  await measure(bigTools['curl (presigned)']!.argv(d), envs.aws);
  const sum = await sha256(join(d, 'big.bin'));
  rmSync(d, { recursive: true, force: true });
  return sum;
})();

/** Every run starts with no dirty pages left by the one before (this VM throttles writeback). */
const settle = () => execFileSync('sync');

interface Row {
  seconds: number;
  rssMb: number;
  mibPerSecond: number;
}
const results: Record<string, Record<string, Row>> = {};

for (const limited of [false, true]) {
  await peers.faults(
    limited ? [{ operation: 'GetObject', bytesPerSecond: limitMiB * 1024 * 1024 }] : [],
  );
  const label = limited ? `limited to ${limitMiB} MiB/s per connection` : 'unlimited';
  const big: Record<string, Row> = {};
  for (const [name, t] of Object.entries(bigTools)) {
    const d = mkdtempSync(join(tmpdir(), 'kura-bench-dl-'));
    settle();
    const m = await measure(t.argv(d), t.env);
    const file = t.file(d);
    if (statSync(file).size !== sizeMiB * 1024 * 1024 || (await sha256(file)) !== expectedSha)
      throw new Error(`${name}: the bytes differ from the object`);
    rmSync(d, { recursive: true, force: true });
    big[name] = { seconds: m.seconds, rssMb: m.rssMb, mibPerSecond: sizeMiB / m.seconds };
    console.log(`${sizeMiB} MiB, ${label}: ${name}`, big[name]);
  }
  results[`big ${label}`] = big;
  const folder: Record<string, Row> = {};
  for (const [name, t] of Object.entries(folderTools)) {
    const d = mkdtempSync(join(tmpdir(), 'kura-bench-dl-'));
    settle();
    const m = await measure(t.argv(d), t.env);
    const w = walk(d);
    if (w.files !== objects || w.bytes !== objects * objectKiB * 1024)
      throw new Error(`${name}: ${w.files} files / ${w.bytes} bytes on disk`);
    rmSync(d, { recursive: true, force: true });
    folder[name] = {
      seconds: m.seconds,
      rssMb: m.rssMb,
      mibPerSecond: (objects * objectKiB) / 1024 / m.seconds,
    };
    console.log(`${objects} × ${objectKiB} KiB, ${label}: ${name}`, folder[name]);
  }
  results[`folder ${label}`] = folder;
}
await peers.close();

const limitedKey = `limited to ${limitMiB} MiB/s per connection`;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const goals = {
  bigLimitedVsRclone: ratio(
    results[`big ${limitedKey}`]!.kura!.seconds,
    results[`big ${limitedKey}`]!.rclone!.seconds,
  ),
  folderVsRclone: ratio(
    results['folder unlimited']!.kura!.seconds,
    results['folder unlimited']!.rclone!.seconds,
  ),
  folderLimitedVsRclone: ratio(
    results[`folder ${limitedKey}`]!.kura!.seconds,
    results[`folder ${limitedKey}`]!.rclone!.seconds,
  ),
  unlimitedThroughputVsCurl: ratio(
    results['big unlimited']!.kura!.mibPerSecond,
    results['big unlimited']!['curl (presigned)']!.mibPerSecond,
  ),
  kuraPeakRssMb: Math.max(...Object.values(results).map((r) => r.kura!.rssMb)),
};
const table = (title: string, rows: Record<string, Row>) => {
  const k = rows.kura!;
  return `### ${title}

| tool | time | vs Kura | MiB/s | peak RSS |
| --- | --- | --- | --- | --- |
${Object.entries(rows)
  .map(
    ([name, r]) =>
      `| ${name} | ${r.seconds.toFixed(2)} s | ${ratio(r.seconds, k.seconds).toFixed(2)}× | ${r.mibPerSecond.toFixed(0)} | ${r.rssMb} MB |`,
  )
  .join('\n')}
`;
};
const pass = (ok: boolean) => (ok ? 'met' : '**not met**');
writeResults(
  'download',
  command,
  { sizeMiB, objects, objectKiB, limitMiB, results, goals },
  `
## Download engine vs peers (one run each, local-aws on this machine)

${Object.entries(results)
  .map(([k, rows]) =>
    table(
      k.startsWith('big')
        ? `${sizeMiB} MiB object, ${k.slice(4)}`
        : `${objects} × ${objectKiB} KiB folder, ${k.slice(7)}`,
      rows,
    ),
  )
  .join('\n')}
### Goals

| goal | figure | |
| --- | --- | --- |
| Kura ≤ 0.8× rclone's time, ${sizeMiB} MiB limited | ${goals.bigLimitedVsRclone}× | ${pass(goals.bigLimitedVsRclone <= 0.8)} |
| Kura ≤ 0.8× rclone's time, ${objects} small files | ${goals.folderVsRclone}× (limited: ${goals.folderLimitedVsRclone}×) | ${pass(goals.folderVsRclone <= 0.8 && goals.folderLimitedVsRclone <= 0.8)} |
| Kura ≥ 0.9× curl's throughput, unlimited | ${goals.unlimitedThroughputVsCurl}× | ${pass(goals.unlimitedThroughputVsCurl >= 0.9)} |
| Kura's peak RSS ≤ 250 MB | ${goals.kuraPeakRssMb} MB | ${pass(goals.kuraPeakRssMb <= 250)} |

Kura's times include verifying every file against S3's full-object checksum (CRC64NVME); the
peers' do not all verify (curl checks nothing).
`,
);
process.exit(0);

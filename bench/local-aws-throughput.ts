/**
 * local-aws performance (issue: local-aws):
 *  1. GetObject throughput of a 1 GiB object through local-aws (SigV4-checked, streamed from
 *     disk) against the same bytes from a bare node:http static handler — both read by curl;
 *  2. local-aws's peak RSS while serving it;
 *  3. ListObjectsV2 pages per second over a 100,000-object prefix (the AWS SDK, 1,000 keys a page).
 * Usage: npm run bench:local-aws [-- --size-mib 1024 --objects 100000]
 */
import { execFile } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AdminInfo } from '../local-aws/server';
import { peakRssMb, seedBucket, startLocalAwsProcess, stop, timed, writeResults } from './lib';

const run = promisify(execFile);
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
const command = `npm run bench:local-aws -- --size-mib ${sizeMiB} --objects ${objectCount} --runs ${runs}`;
const bucket = 'bench';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mibps = (s: number) => Math.round(sizeMiB / s);

async function serverFor(dataDir: string) {
  const { child, profilePath } = await startLocalAwsProcess([
    '--data',
    dataDir,
    '--bucket',
    bucket,
  ]);
  const admin = JSON.parse(readFileSync(join(dataDir, 'admin.json'), 'utf8')) as AdminInfo;
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as { region: string };
  const s3 = new S3Client({
    region: profile.region,
    endpoint: admin.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey },
  });
  return { child, s3 };
}

// ---- 1 and 2: one large object, served by local-aws and by a bare static handler.
const bigDir = mkdtempSync(join(tmpdir(), 'kura-bench-local-aws-big-'));
console.log(`seeding ${sizeMiB} MiB in ${bigDir} …`);
await seedBucket(bigDir, bucket, { bigMiB: sizeMiB });
const big = await serverFor(bigDir);
const meta = JSON.parse(
  readFileSync(join(bigDir, 's3', bucket, 'index.jsonl'), 'utf8').split('\n')[0]!,
) as {
  meta: { dataId: string };
};
const dataFile = join(bigDir, 's3', bucket, 'data', meta.meta.dataId);
const bare = createServer((_req, res) => {
  res.writeHead(200, { 'content-length': statSync(dataFile).size });
  createReadStream(dataFile, { highWaterMark: 256 * 1024 }).pipe(res);
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/big.bin`;
const curl = async (url: string) => {
  const { seconds, value } = await timed(() =>
    run('curl', ['-sS', '-o', '/dev/null', '-w', '%{size_download}', url]),
  );
  if (Number(value.stdout) !== sizeMiB * 1024 * 1024)
    throw new Error(`short download: ${value.stdout}`);
  return seconds;
};
const bareTimes: number[] = [];
const localTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  bareTimes.push(await curl(bareUrl));
  const url = await getSignedUrl(big.s3, new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }), {
    expiresIn: 600,
  });
  localTimes.push(await curl(url));
}
const servingRss = peakRssMb(big.child.pid!);
await stop(big.child);
bare.close();
rmSync(bigDir, { recursive: true, force: true });

// ---- 3: a prefix of many small objects, listed page by page.
const manyDir = mkdtempSync(join(tmpdir(), 'kura-bench-local-aws-many-'));
console.log(`seeding ${objectCount} objects in ${manyDir} …`);
await seedBucket(manyDir, bucket, { smallObjects: objectCount });
const many = await serverFor(manyDir);
let pages = 0;
let keys = 0;
const listing = await timed(async () => {
  let token: string | undefined;
  do {
    const r: ListObjectsV2CommandOutput = await many.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'many/', ContinuationToken: token }),
    );
    pages++;
    keys += r.KeyCount ?? 0;
    token = r.NextContinuationToken;
  } while (token);
});
if (keys !== objectCount) throw new Error(`listed ${keys} of ${objectCount}`);
const listingRss = peakRssMb(many.child.pid!);
await stop(many.child);
rmSync(manyDir, { recursive: true, force: true });

const result = {
  objectMiB: sizeMiB,
  getObject: {
    localAwsMiBps: mibps(median(localTimes)),
    bareNodeHttpMiBps: mibps(median(bareTimes)),
    ratio: Number((median(bareTimes) / median(localTimes)).toFixed(2)),
    goal: '>= 0.8',
    runsSeconds: { localAws: localTimes, bare: bareTimes },
  },
  peakRssMb: { whileServing: servingRss, goal: '< 200', with100kObjectsListed: listingRss },
  listObjectsV2: {
    objects: objectCount,
    pages,
    seconds: Number(listing.seconds.toFixed(2)),
    pagesPerSecond: Number((pages / listing.seconds).toFixed(1)),
  },
};
console.log(JSON.stringify(result, null, 2));
writeResults(
  'local-aws',
  command,
  result,
  `
| measure | local-aws | reference | result | goal |
| --- | --- | --- | --- | --- |
| GetObject ${sizeMiB} MiB (curl, median of ${runs}) | ${result.getObject.localAwsMiBps} MiB/s | bare node:http ${result.getObject.bareNodeHttpMiBps} MiB/s | ratio ${result.getObject.ratio} | ≥ 0.8 |
| peak RSS while serving it | ${servingRss} MB | — | ${servingRss} MB | < 200 MB |
| ListObjectsV2 over ${objectCount} keys (AWS SDK) | ${result.listObjectsV2.pagesPerSecond} pages/s | — | ${pages} pages in ${result.listObjectsV2.seconds} s; peak RSS ${listingRss} MB | — |
`,
);
process.exit(0);

/**
 * CRC64NVME, CPU seconds per GiB for each implementation checksums.ts can choose (and zlib's
 * CRC32 for scale): 4 calls of 256 MiB (continuing one CRC over 1 GiB), the implementations
 * taking turns round by round after a warm-up round, medians of `--runs` rounds (5).
 * Every implementation's answer is checked against the others'. In-process: the CPU figure is
 * process.cpuUsage() (user + system) around the calls.
 *
 *   flock /tmp/kura-heavy.lock npm run bench:crc64 [-- --runs 5 --mib 256 --calls 4]
 */
import { randomFillSync } from 'node:crypto';
import { parseArgs } from 'node:util';
import { crc32 } from 'node:zlib';
import {
  chooseCrc64,
  crc64Nvme,
  loadKuraCrc64,
  loadNativeChecksums,
} from '../src/main/services/download/checksums';
import { writeResults } from './lib';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    mib: { type: 'string', default: '256' },
    calls: { type: 'string', default: '4' },
  },
});
const runs = Number(values.runs);
const mib = Number(values.mib);
const calls = Number(values.calls);
const data = randomFillSync(Buffer.allocUnsafe(mib * 2 ** 20));
const gib = (mib * calls) / 1024;

const kura = loadKuraCrc64();
const crt = loadNativeChecksums();
const candidates: { name: string; run: () => Promise<bigint> }[] = [];
const crc64By = (k: typeof kura, c: () => typeof crt) => {
  const source = chooseCrc64(k, c);
  return {
    name: `CRC64NVME ${source.implementation}`,
    run: () => {
      const piece = source.piece();
      for (let i = 0; i < calls; i++) piece.update(data);
      return piece.value();
    },
  };
};
if (kura?.simd === 'pclmulqdq') candidates.push(crc64By(kura, () => crt));
if (crt) candidates.push(crc64By(null, () => crt));
if (kura) candidates.push(crc64By({ ...kura, simd: 'none' }, () => null));
candidates.push(crc64By(null, () => null));
candidates.push({
  name: 'CRC32 zlib (for scale)',
  run: () => {
    let v = 0;
    for (let i = 0; i < calls; i++) v = crc32(data, v);
    return Promise.resolve(BigInt(v));
  },
});

const cpu: number[][] = candidates.map(() => []);
const wall: number[][] = candidates.map(() => []);
const answers = new Set<bigint>();
for (let round = 0; round <= runs; round++) {
  for (let j = 0; j < candidates.length; j++) {
    const i = (j + round) % candidates.length;
    const c = candidates[i]!;
    const t = process.hrtime.bigint();
    const u = process.cpuUsage();
    const value = await c.run();
    const used = process.cpuUsage(u);
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    if (c.name.startsWith('CRC64NVME')) answers.add(value);
    if (round === 0) continue; // warm-up
    cpu[i]!.push((used.user + used.system) / 1e6 / gib);
    wall[i]!.push(seconds / gib);
  }
}
if (answers.size !== 1) throw new Error(`the implementations disagree: ${[...answers].join(', ')}`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fastest = median(cpu[0]!);
const rows = candidates.map((c, i) => ({
  implementation: c.name,
  cpuSecondsPerGiB: median(cpu[i]!),
  min: Math.min(...cpu[i]!),
  max: Math.max(...cpu[i]!),
  wallSecondsPerGiB: median(wall[i]!),
  gibPerSecond: 1 / median(wall[i]!),
}));
const command = `npm run bench:crc64 -- --runs ${runs} --mib ${mib} --calls ${calls}`;
const table = [
  '| implementation | CPU-s per GiB (median) | min–max | GiB/s (wall) | ÷ the first |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.implementation} | ${r.cpuSecondsPerGiB.toFixed(3)} | ${r.min.toFixed(3)}–${r.max.toFixed(3)} | ${r.gibPerSecond.toFixed(2)} | ${(r.cpuSecondsPerGiB / fastest).toFixed(1)}× |`,
  ),
].join('\n');
const markdown = `# CRC64NVME: CPU per GiB by implementation

${calls} calls of ${mib} MiB (${gib} GiB, one CRC continued across the calls) per implementation and
round; the implementations take turns, a warm-up round first, then ${runs} rounds: medians and
min–max of CPU seconds (user + system of this process) per GiB. All CRC64NVME implementations
gave the same answer. This process uses **${crc64Nvme().implementation}** (checksums.ts's
\`crc64Nvme()\`).

${table}

Before native/crc64nvme, a download verified with CRC64NVME (S3's default checksum) used the
aws-crt row; where the addon is built on a CPU with PCLMULQDQ it uses the first. What that
changes in the CLI's CPU per GiB for a whole \`kura get\` is measured by \`npm run bench\` and
\`npm run bench:cpu\`, not here.
`;
writeResults('crc64', command, { rows, chosen: crc64Nvme().implementation }, markdown);
process.stdout.write(markdown);

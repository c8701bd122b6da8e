/**
 * `npm run soak -- --transfers N --seed S` (inside scripts/with-keyring.sh): the randomized soak
 * of scripts/soakRun.ts. Prints the seed first (the same seed replays the same plan), a line
 * every 50 transfers, then the result; exits 1 when a check failed. `--json FILE` writes the
 * result as JSON too.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runSoak } from './soakRun';

const { values } = parseArgs({
  options: {
    transfers: { type: 'string', default: '100' },
    seed: { type: 'string' },
    json: { type: 'string' },
  },
});
const transfers = Number(values.transfers);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isInteger(transfers) || transfers < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run soak -- [--transfers N] [--seed S] [--json FILE]');
  process.exit(2);
}
console.log(
  `soak: seed ${seed}, ${transfers} transfers (replay: npm run soak -- --transfers ${transfers} --seed ${seed})`,
);
const r = await runSoak({ transfers, seed, log: (l) => console.log(l) });
const MiB = 1024 * 1024;
console.log(
  [
    `soak: seed ${r.seed}: ${r.transfers} transfers, ${r.files} files, ${(r.dataBytes / MiB).toFixed(1)} MiB of data in ${r.seconds} s`,
    `  fetched ${(r.fetchedBytes / MiB).toFixed(1)} MiB = ${r.ratio.toFixed(3)}× the data`,
    `  faults: ${Object.entries(r.faults)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    `  failures reported (then completed by running the command again): ${r.reported.length}`,
    ...r.reported.map((f) => `    transfer ${f.transfer}: ${f.message}`),
    `  problems: ${r.problems.length}`,
    ...r.problems.map((p) => `    ${p}`),
  ].join('\n'),
);
if (values.json) writeFileSync(values.json, JSON.stringify(r, null, 2) + '\n');
process.exit(r.problems.length === 0 ? 0 : 1);

import { useScratchTmp } from '../scripts/scratch-tmp.mjs';

/** `vitest` run on its own (not under `npm test`) still keeps its temporary files in one folder. */
export default function setup() {
  return useScratchTmp('vitest');
}

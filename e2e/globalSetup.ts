import { spawnSync } from 'node:child_process';
import { useScratchTmp } from '../scripts/scratch-tmp.mjs';

/** The e2e suite runs the built renderer, as the app does. */
export default function globalSetup() {
  const r = spawnSync(
    process.execPath,
    ['node_modules/electron-vite/bin/electron-vite.js', 'build'],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('electron-vite build failed');
  // `playwright test` on its own (not under `npm test`) keeps its temporary files in one folder.
  return useScratchTmp('e2e');
}

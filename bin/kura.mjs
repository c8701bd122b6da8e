#!/usr/bin/env node
// The installed `kura` command: the bundled CLI (npm run build:cli) when it has been built, run in
// this process with V8's compile cache (a later start skips parsing and compiling the bundle:
// node:module.enableCompileCache, Node ≥ 22.1); else the TypeScript source through tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const bundled = fileURLToPath(new URL('../out/cli/kura.cjs', import.meta.url));
if (existsSync(bundled)) {
  // The cache holds compiled code only (no data); by default under the system's temp folder.
  module.enableCompileCache?.();
  require(bundled);
} else {
  const source = fileURLToPath(new URL('../src/cli/kura.ts', import.meta.url));
  const r = spawnSync(
    process.execPath,
    ['--import', require.resolve('tsx'), source, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}

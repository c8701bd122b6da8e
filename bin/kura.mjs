#!/usr/bin/env node
// The installed `kura` command: the bundled CLI (npm run build:cli) when it has been built,
// else the TypeScript source through tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const bundled = fileURLToPath(new URL('../out/cli/kura.cjs', import.meta.url));
const source = fileURLToPath(new URL('../src/cli/kura.ts', import.meta.url));
const args = existsSync(bundled)
  ? [bundled]
  : ['--import', createRequire(import.meta.url).resolve('tsx'), source];
const r = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);

#!/usr/bin/env node
// Release check: reads the fuses of every packaged app in an electron-builder output folder with
// `@electron/fuses read` (the tool Electron documents for it) and compares each with
// build/fuses.ts. Exits 1 on any difference, on a fuse the config does not decide, or when no
// packaged app is found. Usage: node scripts/check-fuses.mjs [dist]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const dist = resolve(process.argv[2] ?? join(root, 'dist'));
const { FuseV1Options, getCurrentFuseWire } = await import('@electron/fuses');
const { KURA_FUSES } = await tsImport('../build/fuses.ts', import.meta.url);
const cli = join(require.resolve('@electron/fuses').replace(/index\.js$/, ''), 'bin.js');

/** The packaged apps electron-builder leaves in `dist`: `*-unpacked/<exe>` and `mac*\/<name>.app`. */
function packagedApps(dir) {
  const apps = [];
  for (const sub of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
    if (!sub.isDirectory()) continue;
    const folder = join(dir, sub.name);
    if (/^mac/.test(sub.name) || sub.name === 'mas') {
      for (const f of readdirSync(folder)) if (f.endsWith('.app')) apps.push(join(folder, f));
    } else if (/^win(-[a-z0-9]+)?-unpacked$/.test(sub.name)) {
      for (const f of readdirSync(folder))
        if (f.endsWith('.exe') && !/^Uninstall/i.test(f)) apps.push(join(folder, f));
    } else if (/^linux(-[a-z0-9]+)?-unpacked$/.test(sub.name)) {
      if (existsSync(join(folder, 'kura'))) apps.push(join(folder, 'kura'));
    }
  }
  return apps;
}

const expected = new Map(
  Object.entries(FuseV1Options)
    .filter(([, v]) => typeof v === 'number')
    .map(([name, index]) => [name, KURA_FUSES[index] ? 'Enabled' : 'Disabled']),
);

const apps = packagedApps(dist);
if (apps.length === 0) {
  console.error(`check-fuses: no packaged app in ${dist}`);
  process.exit(1);
}
let failed = false;
for (const app of apps) {
  const r = spawnSync(process.execPath, [cli, 'read', '--app', app], { encoding: 'utf8' });
  // eslint-disable-next-line no-control-regex -- the CLI colours its output
  const out = (r.stdout ?? '').replace(/\x1b\[[0-9;]*m/g, '');
  process.stdout.write(out);
  const seen = new Map();
  for (const m of out.matchAll(/^\s+(\S+) is (\S+)$/gm)) seen.set(m[1], m[2]);
  const problems = [];
  // The CLI prints only fuses it has names for (and stops at one it has none for).
  const wire = await getCurrentFuseWire(app).catch(() => ({}));
  for (const index of Object.keys(wire).filter((k) => /^\d+$/.test(k)))
    if (FuseV1Options[index] === undefined)
      problems.push(`fuse #${index} is not decided in build/fuses.ts (update @electron/fuses)`);
  if (r.status !== 0)
    problems.push(`@electron/fuses read failed: ${r.stderr.trim().split('\n')[0]}`);
  for (const [name, state] of seen)
    if (!expected.has(name))
      problems.push(`fuse ${name} (${state}) is not decided in build/fuses.ts`);
  for (const [name, want] of expected)
    if (seen.get(name) !== want)
      problems.push(`${name} is ${seen.get(name) ?? 'missing'}, want ${want}`);
  if (problems.length) {
    failed = true;
    console.error(`check-fuses: ${app}\n  ${problems.join('\n  ')}`);
  } else console.log(`check-fuses: ${app}: every fuse as build/fuses.ts decides`);
}
process.exit(failed ? 1 : 0);

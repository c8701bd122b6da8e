/**
 * `npm run demo`: local-aws with the demo seed in a per-user folder — the groups scope: each
 * user's home plus the folders of the groups design and sales — the app built and opened
 * against it, the demo sign-in printed; the stack stops when the app quits. Where no Electron
 * binary can be had, it says so in one line and serves the same UI and services to a browser
 * on 127.0.0.1 (a one-time token in the printed URL; Enter prints another).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AdminInfo } from '../local-aws/server';
import { startLocalAwsProcess } from '../local-aws/spawn';
import { startBrowserApp } from '../src/main/browserTransport/browserApp';
import { ProfileStore, parseProfile } from '../src/main/services/profile';
import { openSecretStore } from '../src/main/services/secretStore';
import { resolveElectronBinary } from './electronBinary';

const root = new URL('..', import.meta.url).pathname;
const demoDir = process.env.KURA_DEMO_DIR ?? join(homedir(), '.kura-demo');
const stackDir = join(demoDir, 'local-aws');
const appDataDir = join(demoDir, 'app');
mkdirSync(stackDir, { recursive: true });

// The endpoints are part of the profile's identity (a new port would make a new profile, signed
// out): take the port of the last run again while it is free.
const portFile = join(stackDir, 'last-port');
const lastPort = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim() : '0';
const start = (port: string) =>
  startLocalAwsProcess([
    '--data',
    stackDir,
    '--seed',
    'demo',
    '--policy',
    'groups',
    '--port',
    port,
  ]);
const { child: stack, profilePath } = await start(lastPort).catch(() => start('0'));
const admin = JSON.parse(readFileSync(join(stackDir, 'admin.json'), 'utf8')) as AdminInfo;
writeFileSync(portFile, new URL(admin.endpoint).port);
new ProfileStore(appDataDir).add(parseProfile(readFileSync(profilePath, 'utf8')));

console.log(`Kura demo stack: ${admin.endpoint} (data in ${demoDir})`);
for (const u of admin.users) console.log(`  sign in as ${u.email} / ${u.password}  (${u.note})`);
console.log('  the demo user opens "My files" and the folders of the groups design and sales');

const stop = () => {
  stack.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const electron = resolveElectronBinary(root);
const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
if (build.status !== 0) {
  stop();
  process.exit(1);
}
if (electron.path === null) {
  // The browser transport: the same UI and services, served on loopback with a one-time token.
  const { store, problem } = await openSecretStore();
  const downloadsDir = join(demoDir, 'downloads');
  mkdirSync(downloadsDir, { recursive: true });
  const { kura, transport } = await startBrowserApp({
    root,
    dataDir: appDataDir,
    downloadsDir,
    secrets: store,
    keychainProblem: problem,
    // A browser page cannot hand files to the OS: drag-out is the desktop app's.
    dragAllowed: false,
  });
  await kura.restore();
  console.log(
    `No Electron binary on this machine: open ${transport.url} in a browser instead (downloads go to ${downloadsDir}; Ctrl-C stops).`,
  );
  // Each URL opens one browser tab once: Enter prints another.
  console.log('The URL works once; press Enter for a new one.');
  createInterface({ input: process.stdin }).on('line', () => console.log(transport.newUrl()));
} else {
  const app = spawn(electron.path, [root], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, KURA_DATA_DIR: appDataDir },
  });
  app.once('exit', stop);
}
stack.once('exit', () => process.exit(0));

/**
 * Electron's binary for development and tests, resolved the way Electron documents it:
 * `require('electron')` from plain Node returns the binary's path — and since Electron 42 that
 * first call is what downloads it (`npm ci` no longer does; `npx install-electron` does it ahead
 * of time). Done in a child process so a download that cannot happen (these build machines) is
 * an answer with its reason, not a crash or noise in the caller's output.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export type ElectronBinary = { path: string } | { path: null; reason: string };

export function resolveElectronBinary(root: string, env = process.env): ElectronBinary {
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  const path = r.status === 0 ? r.stdout.trim() : '';
  if (path && existsSync(path)) return { path };
  if (path) return { path: null, reason: `no binary at ${path}` };
  const why =
    (r.stderr ?? '')
      .split('\n')
      .find((l) => /Error|failed/i.test(l))
      ?.trim() ?? `exit ${r.status ?? r.signal}`;
  return { path: null, reason: why };
}

/**
 * scripts/with-keyring.sh: the private keyring session every keychain test, benchmark and the
 * e2e suite run in. Its keyring folder is the run's own and goes with it (each run used to leave
 * one in /tmp).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(__dirname, '../../scripts/with-keyring.sh');
const available = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const why =
  process.platform !== 'linux' ||
  !available('dbus-run-session') ||
  !available('gnome-keyring-daemon')
    ? '(skipped: needs Linux with dbus-run-session and gnome-keyring-daemon)'
    : '';

describe.skipIf(why !== '')(`with-keyring.sh ${why}`, () => {
  // Run outside the session the test run itself may be in, so the script makes its own.
  const env = { ...process.env, KURA_IN_KEYRING_SESSION: '' };

  it("runs the command with a keyring folder of its own (the daemon's socket too), removed when it ends", () => {
    const out = execFileSync(
      script,
      [
        'bash',
        '-c',
        'echo "$XDG_DATA_HOME"; echo "$XDG_RUNTIME_DIR"; ls "$XDG_RUNTIME_DIR"; ls "$XDG_DATA_HOME"',
      ],
      { env, encoding: 'utf8' },
    );
    const [folder, runtime, ...listing] = out.trim().split('\n');
    // Not ~/.cache/keyring-XXXXXX, which nothing removes.
    expect(runtime).toBe(`${folder}/run`);
    expect(listing).toContain('keyring');
    expect(listing).toContain('keyrings');
    expect(existsSync(folder!)).toBe(false);
  });

  it("answers the command's exit code, and removes the folder after a failure too", () => {
    const r = spawnSync(script, ['bash', '-c', 'echo "$XDG_DATA_HOME"; exit 3'], {
      env,
      encoding: 'utf8',
    });
    expect(r.status).toBe(3);
    expect(existsSync(r.stdout.trim())).toBe(false);
  });
});

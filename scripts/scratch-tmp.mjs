// One temporary folder per test run: every suite's temporary files (local-aws data, download
// folders, Chromium profiles, keyrings) go under it, and it is removed when the run ends, passed
// or failed. Without it each run leaves gigabytes in /tmp, and a machine whose disk fills up fails
// its next run with ENOSPC however good the code is.
import { chmodSync, mkdtempSync, readdirSync, lstatSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set by the run that made the folder: nested runners (vitest inside npm test) keep it. */
export const SCRATCH_ENV = 'KURA_TEST_SCRATCH';

/**
 * Points TMPDIR (TEMP and TMP on Windows) of this process and its children at a fresh folder,
 * unless a run above already did. Returns the cleanup, which removes the folder and says how
 * much was left in it; undefined when the folder belongs to a run above.
 */
export function useScratchTmp(label = 'run') {
  if (process.env[SCRATCH_ENV]) return undefined;
  const dir = mkdtempSync(join(tmpdir(), `kura-test-${label}-`));
  // As open as /tmp itself (sticky): helpers that drop root, like squid, write their logs here.
  chmodSync(dir, 0o1777);
  process.env[SCRATCH_ENV] = dir;
  process.env.TMPDIR = dir;
  process.env.TEMP = dir;
  process.env.TMP = dir;
  return () => {
    const bytes = sizeOf(dir);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    return { dir, bytes };
  };
}

function sizeOf(path) {
  let total = 0;
  const stack = [path];
  while (stack.length > 0) {
    const p = stack.pop();
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    total += st.size;
    if (st.isDirectory()) {
      try {
        for (const name of readdirSync(p)) stack.push(join(p, name));
      } catch {
        // unreadable: counted as its own size only
      }
    }
  }
  return total;
}

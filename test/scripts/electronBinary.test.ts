import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveElectronBinary } from '../../scripts/electronBinary';

const root = new URL('../..', import.meta.url).pathname;

describe("Electron's binary for the _electron specs and the demo", () => {
  it("is found through require('electron') even without the path.txt an older install left", () => {
    // Electron's documented override of where its binary lives (a CI cache, a local build).
    const dist = mkdtempSync(join(tmpdir(), 'kura-electron-dist-'));
    writeFileSync(join(dist, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    const found = resolveElectronBinary(root, {
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: dist,
    });
    expect(found).toEqual({ path: join(dist, 'electron') });
  });

  it('says why when it cannot be had (no download possible, or nothing at the path)', () => {
    const dist = mkdtempSync(join(tmpdir(), 'kura-electron-dist-'));
    const found = resolveElectronBinary(root, {
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: dist,
    });
    expect(found.path).toBeNull();
    expect(found.path === null && found.reason).toBe(`no binary at ${join(dist, 'electron')}`);
  });
});

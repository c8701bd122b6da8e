/**
 * The same app under real Electron (Playwright `_electron`). These machines cannot download the
 * Electron binary, so here the spec reports itself skipped with that reason; wherever the binary
 * exists (`npm ci` with network access) it runs.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const root = new URL('..', import.meta.url).pathname;
function electronBinary(): string | null {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}
const binary = electronBinary();

test.skip(
  binary === null,
  'no Electron binary on this machine (its download is not possible here); runs where `npm ci` could fetch it',
);

test('launches one isolated window on app:// (no Node in the page) that asks for a connection profile', async () => {
  const app = await electron.launch({
    executablePath: binary!,
    args: [root],
    env: { ...process.env, KURA_DATA_DIR: mkdtempSync(join(tmpdir(), 'kura-electron-')) },
  });
  try {
    const win = await app.firstWindow();
    await expect(
      win.getByRole('heading', { name: /Connect to your organisation|組織に接続/ }),
    ).toBeVisible();
    expect(win.url()).toBe('app://kura/index.html');
    expect(
      await win.evaluate(() => [
        typeof (globalThis as { require?: unknown }).require,
        typeof (globalThis as { process?: unknown }).process,
      ]),
    ).toEqual(['undefined', 'undefined']);
    expect(
      await win.evaluate(() =>
        Object.keys((globalThis as unknown as { kura: object }).kura).sort(),
      ),
    ).toContain('listFolder');
  } finally {
    await app.close();
  }
});

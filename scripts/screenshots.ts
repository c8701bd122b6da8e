/**
 * Screenshots of the main screens for the README, in English and Japanese, light and dark:
 * the real UI and services on the local demo stack (browser transport, Debian Chromium), as the
 * e2e suite runs them. Writes docs/screenshots/<screen>-<lang>-<scheme>.png.
 * Usage: npm run screenshots (needs the fonts-noto-cjk and fonts-noto-color-emoji packages).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startLocalAws } from '../local-aws/server';
import {
  CHROMIUM_ARGS,
  chromiumPath,
  startBrowserApp,
} from '../src/main/browserTransport/browserApp';
import { MemorySecretStore, openSecretStore } from '../src/main/services/secretStore';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });

const fonts = spawnSync('fc-list', [':lang=ja'], { encoding: 'utf8' }).stdout ?? '';
if (!fonts.trim()) {
  console.error(
    'screenshots: no Japanese font; install fonts-noto-cjk and fonts-noto-color-emoji (apt-get install -y fonts-noto-cjk fonts-noto-color-emoji)',
  );
  process.exit(1);
}
execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], {
  cwd: root,
  stdio: 'ignore',
});

const aws = await startLocalAws({ seed: 'demo', seedLargeFileBytes: 64 * 1024 * 1024 });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const DEMO = { email: 'demo@example.com', password: 'Kura-Demo-2026!' };

async function shoot(page: Page, name: string) {
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  console.log(`docs/screenshots/${name}.png`);
}

const probe = await openSecretStore(`Kura-screenshots-${Date.now()}`);
const store = probe.problem ? new MemorySecretStore() : probe.store;

for (const lang of ['en', 'ja'] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    const suffix = `${lang}-${scheme}`;
    const app = await startBrowserApp({
      root,
      dataDir: mkdtempSync(join(tmpdir(), 'kura-shots-data-')),
      downloadsDir: mkdtempSync(join(tmpdir(), 'kura-shots-dl-')),
      // A keychain of its own (inside scripts/with-keyring.sh), so the app shows a remembered
      // session; memory when there is none.
      secrets: store,
    });
    const context = await browser.newContext({
      locale: lang === 'ja' ? 'ja-JP' : 'en-US',
      colorScheme: scheme,
      viewport: { width: 1200, height: 820 },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    await page.goto(app.transport.url);
    const t = (en: string, ja: string) => (lang === 'ja' ? ja : en);

    // First launch: the connection profile.
    await page.locator('textarea').fill(JSON.stringify(aws.profile, null, 2));
    await shoot(page, `profile-${suffix}`);
    await page.getByRole('button', { name: t('Connect', '接続') }).click();

    // Sign-in.
    await page.locator('input[type=email]').fill(DEMO.email);
    await page.locator('input[type=password]').fill(DEMO.password);
    await shoot(page, `sign-in-${suffix}`);
    await page.locator('input[type=password]').press('Enter');
    await page.getByRole('button', { name: '📁 docs' }).waitFor();

    // The browser with a selection, and downloads running (slowed so they show progress).
    aws.faults.add({ operation: 'GetObject', keyPrefix: 'videos/', bytesPerSecond: 256 * 1024 });
    await page.getByRole('button', { name: '📁 videos' }).click();
    await page
      .getByRole('button', { name: `${t('Download', 'ダウンロード')}: large-file.bin` })
      .click();
    await page.getByRole('button', { name: t('Top', 'トップ') }).click();
    await page.getByRole('button', { name: '📁 docs' }).click();
    await page.getByRole('button', { name: '📁 報告書' }).click();
    await page.getByRole('row').filter({ hasText: '2026年度' }).first().click();
    await page.mouse.move(600, 5);
    await page.waitForTimeout(1200);
    await shoot(page, `browser-${suffix}`);

    // A preview and the context menu.
    await page.getByRole('button', { name: t('Top', 'トップ') }).click();
    await page.getByRole('button', { name: '📁 photos' }).click();
    await page.getByRole('button', { name: '📁 写真' }).click();
    await page.getByRole('row').filter({ hasText: '東京タワー.png' }).dblclick();
    await page.getByRole('dialog').getByRole('img').waitFor();
    await shoot(page, `preview-${suffix}`);
    await page.keyboard.press('Escape');
    await page.getByRole('row').filter({ hasText: '東京タワー.png' }).click({ button: 'right' });
    await shoot(page, `menu-${suffix}`);
    await page.keyboard.press('Escape');
    aws.faults.clear();

    await context.close();
    await app.close();
  }
}
await browser.close();
await aws.stop();
process.exit(0);

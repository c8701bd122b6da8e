/**
 * Screenshots of the main screens for the README and docs/design.md, in English and Japanese,
 * light and dark, at 1200×800: the real UI and services on the local demo stack (browser
 * transport, Debian Chromium with its scrollbars drawn), as the e2e suite runs them. Writes
 * docs/screenshots/<screen>-<lang>-<scheme>.png for: profile, sign-in, browser, drawer (downloads
 * running), sorting (a large folder loading the rest first), quicklook, menu, settings, loading,
 * error, empty.
 * Usage: npm run screenshots (needs the fonts-noto-cjk and fonts-noto-color-emoji packages).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { chromium, type Page } from 'playwright-core';
import { startLocalAws } from '../local-aws/server';
import { CHROMIUM_ARGS, chromiumPath } from './chromium';
import { useScratchTmp } from './scratch-tmp.mjs';
import { startBrowserApp } from '../src/main/browserTransport/browserApp';
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

// The stack's data, the app's folders and Chromium's profiles: one temporary folder, removed at
// the end.
const cleanScratch = useScratchTmp('shots');
const aws = await startLocalAws({ seed: 'demo', seedLargeFileBytes: 64 * 1024 * 1024 });
// An empty folder, for the empty state.
await aws.store.put('kura-demo', 'projects/gamma/', Readable.from([Buffer.alloc(0)]));
const browser = await chromium.launch({
  executablePath: chromiumPath(),
  args: CHROMIUM_ARGS,
  // Desktops draw scrollbars; headless Chromium hides them unless told not to.
  ignoreDefaultArgs: ['--hide-scrollbars'],
});
const DEMO = { email: 'demo@example.com', password: 'Kura-Demo-2026!' };
// Places in the sidebar: the demo bucket, the user's home ("My files", named in the user's
// language) and a bucket this role may not read (the error state).
const profile = {
  ...aws.profile,
  locations: [
    { bucket: 'kura-demo', prefix: '', label: 'kura-demo' },
    { bucket: 'kura-demo', prefix: '${identityId}/', label: 'My files' },
    { bucket: 'kura-archive', prefix: '', label: 'kura-archive' },
  ],
};

async function shoot(page: Page, name: string) {
  await page.mouse.move(700, 792); // the status bar's text: no hover effect anywhere
  await page.screenshot({
    path: join(out, `${name}.png`),
    animations: 'disabled',
    caret: 'hide',
  });
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
      viewport: { width: 1200, height: 800 },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    await page.goto(app.transport.url);
    const t = (en: string, ja: string) => (lang === 'ja' ? ja : en);
    const row = (name: string) =>
      page.getByRole('row').filter({
        has: page.locator(`.mid-name[data-name=${JSON.stringify(name)}]`),
      });
    const open = async (name: string) => {
      await row(name).dblclick();
      await page
        .getByRole('navigation', { name: t('Path', 'パス') })
        .locator('[aria-current=page]', { hasText: name })
        .waitFor();
    };
    const top = () =>
      page
        .getByRole('navigation', { name: t('Path', 'パス') })
        .getByRole('button', { name: 'kura-demo' })
        .click();

    // First launch: the connection profile.
    await page.locator('textarea').fill(JSON.stringify(profile, null, 2));
    await shoot(page, `profile-${suffix}`);
    await page.getByRole('button', { name: t('Connect', '接続') }).click();

    // Sign-in.
    await page.locator('input[type=email]').fill(DEMO.email);
    await page.locator('input[type=password]').fill(DEMO.password);
    await shoot(page, `sign-in-${suffix}`);
    await page.locator('input[type=password]').press('Enter');
    await row('docs').waitFor();

    // The browser: a few folders visited (Recent), a selection in a folder of reports.
    await open('photos');
    await top();
    await open('docs');
    await row('manual.pdf').click();
    await row('empty.txt').click({ modifiers: ['Shift'] });
    await shoot(page, `browser-${suffix}`);

    // A context menu.
    await row('manual.pdf').click({ button: 'right' });
    await page.getByRole('menu').waitFor();
    await shoot(page, `menu-${suffix}`);
    await page.keyboard.press('Escape');

    // The Settings panel (rows, updates).
    await page.getByRole('button', { name: t('Settings', '設定'), exact: true }).click();
    await page.getByRole('dialog', { name: t('Settings', '設定') }).waitFor();
    await shoot(page, `settings-${suffix}`);
    await page.keyboard.press('Escape');

    // Quick Look on an image.
    await top();
    await open('photos');
    await open('写真');
    await row('東京タワー.png').click();
    await page.keyboard.press('Space');
    await page.getByRole('dialog').getByRole('img').waitFor();
    await page.getByRole('dialog').getByText('CRC64NVME', { exact: false }).waitFor();
    await shoot(page, `quicklook-${suffix}`);
    await page.keyboard.press('Escape');

    // Downloads running (slowed so they show progress): the panel opens by itself.
    aws.faults.add({ operation: 'GetObject', keyPrefix: 'videos/', bytesPerSecond: 256 * 1024 });
    await top();
    await open('videos');
    await page
      .getByRole('button', { name: `${t('Download', 'ダウンロード')}: large-file.bin` })
      .click();
    await top();
    await open('logs');
    await row('2026').click();
    await page
      .getByRole('toolbar', { name: t('Actions on the selection', '選択項目の操作') })
      .getByRole('button', { name: t('Download', 'ダウンロード'), exact: true })
      .click();
    await open('2026');
    await page
      .getByRole('complementary', { name: t('Downloads', 'ダウンロード') })
      .getByText(/\/s|\/秒/)
      .first()
      .waitFor();
    await shoot(page, `drawer-${suffix}`);
    await page.getByRole('button', { name: t('Close downloads', 'ダウンロードを閉じる') }).click();
    aws.faults.clear();

    // Sorting 2,500 files: the rest of the folder is loaded first, and the window says so.
    aws.faults.add({ operation: 'ListObjectsV2', latencyMs: 1500 });
    const nameHeader = page.getByRole('columnheader', { name: t('Name', '名前') });
    await nameHeader.getByRole('button').click();
    await page
      .getByRole('status')
      .filter({ hasText: t('Sorting by', 'で並べ替えるため') })
      .waitFor();
    await shoot(page, `sorting-${suffix}`);
    aws.faults.clear();
    await page.locator('[role=columnheader][aria-sort=descending]').waitFor();
    await nameHeader.getByRole('button').click(); // back to A–Z for the next pictures

    // A folder opening on a slow network: the loading state.
    aws.faults.add({ operation: 'ListObjectsV2', latencyMs: 60_000, times: 1 });
    await top();
    await page
      .getByRole('status')
      .filter({ hasText: t('Opening', '開いています') })
      .waitFor();
    await shoot(page, `loading-${suffix}`);
    await page.keyboard.press('F5'); // the frozen request is cancelled; a fresh one answers
    await row('docs').waitFor();

    // An empty folder.
    await open('projects');
    await open('gamma');
    await page.getByRole('main').getByRole('status').waitFor();
    await shoot(page, `empty-${suffix}`);

    // A place this role may not read: the error inside the list.
    await page
      .getByRole('navigation', { name: t('Sidebar', 'サイドバー') })
      .getByRole('button', { name: 'kura-archive' })
      .click();
    await page.getByRole('main').getByRole('alert').waitFor();
    await shoot(page, `error-${suffix}`);

    await context.close();
    await app.close();
  }
}
await browser.close();
await aws.stop();
cleanScratch?.();
process.exit(0);

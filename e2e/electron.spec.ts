/**
 * The app under real Electron (Playwright `_electron`): launch, sign-in, browse, download, a
 * restart without a password, drag-out and quitting. These machines cannot download the
 * Electron binary, so here the specs report themselves skipped with that reason; wherever it can
 * be had (`npm ci` then `npx install-electron`, or the first `require('electron')`) they run.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test';
import { startLocalAws, type LocalAws } from '../local-aws/server';
import { resolveElectronBinary } from '../scripts/electronBinary';

const root = new URL('..', import.meta.url).pathname;
// `require('electron')`, as Electron ≥ 42 documents it: the path, downloaded on first use.
const electronBinary = resolveElectronBinary(root);
const binary = electronBinary.path;
const DEMO = { email: 'demo@example.com', password: 'Kura-Demo-2026!' };

test.skip(
  binary === null,
  `no Electron binary on this machine (${electronBinary.path === null ? electronBinary.reason : ''}); runs where Electron can be downloaded (CI: npx install-electron)`,
);

let aws: LocalAws;
test.beforeAll(async () => {
  aws = await startLocalAws({ seed: 'demo', seedLargeFileBytes: 1024 * 1024 });
});
test.afterAll(() => aws?.stop());

interface Launched {
  app: ElectronApplication;
  win: Page;
  dataDir: string;
  downloadsDir: string;
}

async function launch(
  dataDir = mkdtempSync(join(tmpdir(), 'kura-electron-')),
  downloadsDir = mkdtempSync(join(tmpdir(), 'kura-electron-dl-')),
): Promise<Launched> {
  const app = await electron.launch({
    executablePath: binary!,
    args: [root],
    env: {
      ...process.env,
      KURA_DATA_DIR: dataDir,
      KURA_DOWNLOADS_DIR: downloadsDir,
      LANG: 'en_US.UTF-8',
    },
  });
  return { app, win: await app.firstWindow(), dataDir, downloadsDir };
}

async function signIn(win: Page) {
  await win.getByLabel('Connection profile (JSON)').fill(JSON.stringify(aws.profile));
  await win.getByRole('button', { name: 'Connect' }).click();
  await win.getByLabel('Email').fill(DEMO.email);
  await win.getByLabel('Password').fill(DEMO.password);
  await win.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(win.getByText(`Signed in as ${DEMO.email}`)).toBeVisible();
}

const objectBytes = async (key: string) =>
  Buffer.concat(
    (await aws.store
      .openRead('kura-demo', aws.store.head('kura-demo', key)!)
      .toArray()) as Buffer[],
  );

test('launches one isolated window on app:// (no Node in the page) that asks for a connection profile', async () => {
  const { app, win } = await launch();
  try {
    await expect(win.getByRole('heading', { name: 'Connect to your organisation' })).toBeVisible();
    expect(win.url()).toBe('app://kura/index.html');
    // Kept by CI as an artifact: the real window on each OS.
    await win.screenshot({ path: join(root, 'test-results', `electron-${process.platform}.png`) });
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
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  } finally {
    await app.close();
  }
});

test('signs in, browses, downloads; a restart needs no password', async () => {
  const first = await launch();
  try {
    await signIn(first.win);
    await first.win.getByRole('row', { name: /^docs\b/ }).dblclick();
    await first.win.getByRole('button', { name: 'Download: manual.pdf' }).click();
    await expect(first.win.getByRole('complementary', { name: 'Downloads' })).toContainText('Done');
    expect(
      readFileSync(join(first.downloadsDir, 'manual.pdf')).equals(
        await objectBytes('docs/manual.pdf'),
      ),
    ).toBe(true);
  } finally {
    await first.app.close();
  }
  const again = await launch(first.dataDir, first.downloadsDir);
  try {
    await expect(again.win.getByText(`Signed in as ${DEMO.email}`)).toBeVisible();
  } finally {
    await again.app.close();
  }
});

test('drags a finished file out of the cache', async () => {
  const { app, win } = await launch();
  try {
    await signIn(win);
    // Record what the shell hands to the OS instead of starting a real OS drag.
    await app.evaluate(({ BrowserWindow }) => {
      const seen: string[][] = [];
      (globalThis as { kuraDrags?: string[][] }).kuraDrags = seen;
      BrowserWindow.getAllWindows()[0]!.webContents.startDrag = (item) =>
        void seen.push(item.files ?? [item.file]);
    });
    await win.getByRole('row', { name: /^docs\b/ }).dblclick();
    const row = win.getByRole('row').filter({ hasText: 'manual.pdf' });
    await row.hover();
    await expect(row).toHaveAttribute('data-drag', 'ready');
    await row.dispatchEvent('dragstart');
    await expect
      .poll(() =>
        app.evaluate(() => (globalThis as { kuraDrags?: string[][] }).kuraDrags?.length ?? 0),
      )
      .toBe(1);
    const drags: string[][] = await app.evaluate(
      () => (globalThis as { kuraDrags?: string[][] }).kuraDrags ?? [],
    );
    const path = drags[0]?.[0] ?? '';
    expect(readFileSync(path).equals(await objectBytes('docs/manual.pdf'))).toBe(true);
  } finally {
    await app.close();
  }
});

test('asks before quitting while a download runs, and quits when told to', async () => {
  const { app, win } = await launch();
  const exited = new Promise((resolve) => app.process().once('exit', resolve));
  try {
    await signIn(win);
    aws.faults.set([{ operation: 'GetObject', keyPrefix: 'videos/', bytesPerSecond: 64 * 1024 }]);
    await win.getByRole('row', { name: /^videos\b/ }).dblclick();
    await win.getByRole('button', { name: 'Download: large-file.bin' }).click();
    await expect(win.getByRole('complementary', { name: 'Downloads' })).toContainText(
      'Downloading',
    );
    await app.evaluate(({ dialog }) => {
      (globalThis as { kuraAsked?: number }).kuraAsked = 0;
      dialog.showMessageBoxSync = () => {
        (globalThis as { kuraAsked?: number }).kuraAsked! += 1;
        return 1; // "Keep downloading"
      };
    });
    await app.evaluate(({ app: electronApp }) => electronApp.quit());
    expect(await app.evaluate(() => (globalThis as { kuraAsked?: number }).kuraAsked)).toBe(1);
    expect(win.isClosed()).toBe(false);
    await app.evaluate(({ dialog }) => {
      dialog.showMessageBoxSync = () => 0; // "Quit"
    });
    await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => undefined);
    await exited;
  } finally {
    aws.faults.clear();
    if (app.process().exitCode === null) await app.close();
  }
});

import { Readable } from 'node:stream';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import {
  createSmsUser,
  crumb,
  launchKura,
  openFolder,
  openSignedIn,
  rowNamed,
  test,
  expect,
  type KuraInstance,
} from './fixtures';

let kura: KuraInstance | undefined;
test.afterEach(async () => {
  await kura?.stop();
  kura = undefined;
});

/** No serious or critical axe violation on the screen as it is now. */
async function expectAccessible(page: Page, screen: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

test('every screen passes an axe scan, in English and Japanese', async ({ page, aws, secrets }) => {
  kura = await launchKura({ secrets });
  await page.goto(kura.transport.url);
  await expect(page.getByRole('heading', { name: 'Connect to your organisation' })).toBeVisible();
  await expectAccessible(page, 'profile import');
  await page.getByLabel('Connection profile (JSON)').fill('{"version":1}');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'profile import with an error');
  await page.getByLabel('Connection profile (JSON)').fill(JSON.stringify(aws.profile));
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page, 'sign-in');
  await page.getByRole('button', { name: 'Forgot password?' }).click();
  await expectAccessible(page, 'forgot password');
  await page.getByRole('button', { name: 'Back to sign-in' }).click();
  await page.getByLabel('Email').fill('new.user@example.com');
  await page.getByLabel('Password').fill('Temp-Pass-2026!');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expectAccessible(page, 'new password');
  await page.getByLabel('New password', { exact: true }).fill('Chosen-Pass-2026!');
  await page.getByLabel('Repeat new password').fill('Chosen-Pass-2026!');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(rowNamed(page, 'docs')).toBeVisible();
  await expectAccessible(page, 'browser');
  await openFolder(page, 'docs');
  await page.getByRole('button', { name: 'Download: manual.pdf' }).click();
  await expect(page.getByRole('complementary', { name: 'Downloads' })).toContainText('Done');
  await expectAccessible(page, 'browser with downloads');
  // Selection, the context menu, a preview, search results, the history.
  await rowNamed(page, 'manual.pdf').click({ button: 'right' });
  await expect(page.getByRole('menu')).toBeVisible();
  await expectAccessible(page, 'context menu');
  await page.getByRole('menuitem', { name: 'Preview' }).click();
  await expect(page.getByRole('dialog').getByRole('status')).toHaveText('Page 1 of 1');
  await expectAccessible(page, 'PDF preview');
  await page.keyboard.press('Escape');
  await page.getByRole('radio', { name: 'Subfolders' }).click();
  await page.getByRole('searchbox', { name: 'Search subfolders' }).fill('txt');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('grid', { name: 'Search results' })).toBeVisible();
  await expectAccessible(page, 'search results');
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByRole('region', { name: 'History' })).toBeVisible();
  await expectAccessible(page, 'download history');
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(page.getByRole('button', { name: 'アカウント' })).toBeVisible();
  await expectAccessible(page, 'browser (ja)');
  await page.getByRole('button', { name: 'アカウント' }).click();
  await expect(page.getByRole('dialog', { name: 'アカウント' })).toBeVisible();
  await expectAccessible(page, 'account menu (ja)');
});

test('the window’s states pass an axe scan: loading, error, empty, Quick Look, the downloads panel, menus — light and dark', async ({
  page,
  aws,
  secrets,
}) => {
  await aws.store.put('kura-demo', 'empty/', Readable.from([Buffer.alloc(0)]));
  kura = await openSignedIn(
    page,
    {
      ...aws.profile,
      // Declared, so the denied bucket is a place to open (main does not probe declared ones).
      locations: [
        { bucket: 'kura-demo', prefix: '', label: 'kura-demo' },
        { bucket: 'kura-archive', prefix: '', label: 'kura-archive' },
      ],
    },
    secrets,
  );
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(rowNamed(page, 'docs')).toBeVisible();
    // Loading: a folder whose listing has not answered yet.
    aws.faults.add({ operation: 'ListObjectsV2', latencyMs: 600_000, times: 1 });
    await rowNamed(page, 'photos').dblclick();
    await expect(page.getByRole('status').filter({ hasText: 'Opening photos…' })).toBeVisible();
    await expectAccessible(page, `loading (${scheme})`);
    await page.keyboard.press('F5');
    await expect(rowNamed(page, 'thumbnail.png')).toBeVisible();
    // Quick Look on an image, with its details.
    await rowNamed(page, 'thumbnail.png').click();
    await page.keyboard.press('Space');
    await expect(page.getByRole('dialog').getByRole('img')).toBeVisible();
    await expect(page.getByRole('dialog')).toContainText('CRC64NVME');
    await expectAccessible(page, `Quick Look (${scheme})`);
    await page.keyboard.press('Escape');
    // Selection, hover, and the View menu.
    await rowNamed(page, 'thumbnail.png').hover();
    await page.getByRole('button', { name: 'View', exact: true }).click();
    await expect(page.getByRole('menu')).toBeVisible();
    await expectAccessible(page, `View menu (${scheme})`);
    await page.keyboard.press('Escape');
    // The downloads panel, open.
    await page.getByRole('button', { name: 'Download: thumbnail.png' }).click();
    // (It opens by itself only on the session's first download: the second time, by hand.)
    await page
      .getByRole('navigation', { name: 'Sidebar' })
      .getByRole('button', { name: 'Downloads' })
      .click();
    await expect(page.getByRole('complementary', { name: 'Downloads' })).toContainText('Done');
    await expectAccessible(page, `downloads panel (${scheme})`);
    await page.getByRole('button', { name: 'Close downloads' }).click();
    // Empty: an empty folder, a filter that matches nothing.
    await crumb(page, 'kura-demo').click();
    await openFolder(page, 'empty');
    await expect(page.getByRole('main').getByRole('status')).toHaveText('This folder is empty.');
    await expectAccessible(page, `empty folder (${scheme})`);
    await crumb(page, 'kura-demo').click();
    await page.getByRole('searchbox', { name: 'Filter this folder' }).fill('zzz');
    await expect(page.getByRole('button', { name: 'Clear filter' })).toBeVisible();
    await expectAccessible(page, `no match (${scheme})`);
    await page.getByRole('button', { name: 'Clear filter' }).click();
    // An error where the rows would be.
    await page
      .getByRole('navigation', { name: 'Sidebar' })
      .getByRole('button', { name: 'kura-archive' })
      .click();
    await expect(page.getByRole('main').getByRole('alert')).toBeVisible();
    await expectAccessible(page, `error (${scheme})`);
    // The sidebar hidden.
    await page.getByRole('button', { name: 'Hide sidebar' }).click();
    await expectAccessible(page, `sidebar hidden (${scheme})`);
    await page.getByRole('button', { name: 'Show sidebar' }).click();
    await page
      .getByRole('navigation', { name: 'Sidebar' })
      .getByRole('button', { name: 'kura-demo' })
      .first()
      .click();
  }
});

test('the transfers drawer and the sign-in challenges pass an axe scan, in English and Japanese', async ({
  page,
  aws,
  secrets,
}) => {
  const email = 'sms.axe@example.com';
  const { codes } = createSmsUser(aws, email, 'Sms-Pass-2026!');
  kura = await launchKura({ secrets, engine: { backoffMs: 2_000 } });
  await page.goto(kura.transport.url);
  await page.getByLabel('Connection profile (JSON)').fill(JSON.stringify(aws.profile));
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('Sms-Pass-2026!');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Enter your code' })).toBeVisible();
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'SMS code with an error');
  await page.getByRole('button', { name: 'Send a new code' }).click();
  await expect(page.getByRole('status')).toBeVisible();
  await expectAccessible(page, 'SMS code sent again');
  await page.getByLabel('Code').fill(codes().at(-1)!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();

  // The drawer with a row of each kind: running (a folder, expanded), retrying, done, failed.
  aws.faults.add({ operation: 'GetObject', keyPrefix: 'logs/2026/', latencyMs: 300 });
  aws.faults.add({ operation: 'GetObject', keyPrefix: 'videos/', status: 503 });
  await page.evaluate(async () => {
    const kura = (
      globalThis as unknown as {
        kura: Record<string, (b: string, k: string) => Promise<unknown>>;
      }
    ).kura;
    await kura.download!('kura-demo', 'README.txt');
    // A bucket outside the role's policy: refused at once.
    await kura.download!('kura-archive', 'not-for-you.txt');
    await kura.download!('kura-demo', 'videos/large-file.bin');
    await kura.downloadFolder!('kura-demo', 'logs/2026/');
  });
  const drawer = page.getByRole('complementary', { name: 'Downloads' });
  await expect(drawer.getByRole('listitem').filter({ hasText: 'README.txt' })).toContainText(
    'Done',
  );
  await expect(drawer.getByRole('listitem').filter({ hasText: 'not-for-you.txt' })).toContainText(
    'Failed',
  );
  await expect(drawer.getByRole('listitem').filter({ hasText: 'large-file.bin' })).toContainText(
    'Retrying',
  );
  await drawer.getByRole('button', { name: 'Show files' }).click();
  await expect(drawer.getByRole('list', { name: 'Files of 2026' })).toBeVisible();
  await expectAccessible(page, 'transfers drawer');
  await drawer.getByRole('tab', { name: 'History' }).click();
  await expect(drawer.getByRole('region', { name: 'History' })).toContainText('README.txt');
  await expectAccessible(page, 'transfers history');
  await page.getByRole('button', { name: '日本語' }).click();
  const ja = page.getByRole('complementary', { name: 'ダウンロード' });
  await ja.getByRole('tab', { name: 'ダウンロード' }).click();
  await expect(ja.getByRole('listitem').filter({ hasText: 'not-for-you.txt' })).toContainText(
    '失敗',
  );
  await expectAccessible(page, 'transfers drawer (ja)');
  await ja
    .getByRole('listitem')
    .filter({ hasText: 'large-file.bin' })
    .getByRole('button', { name: 'キャンセル' })
    .click();
  await ja
    .getByRole('listitem')
    .filter({ hasText: '2026' })
    .first()
    .getByRole('button', { name: 'キャンセル' })
    .click();
});

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { launchKura, openFolder, rowNamed, test, expect, type KuraInstance } from './fixtures';

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
  await page.getByRole('button', { name: 'Sign in' }).click();
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
  await expect(page.getByRole('button', { name: 'サインアウト' })).toBeVisible();
  await expectAccessible(page, 'browser (ja)');
});

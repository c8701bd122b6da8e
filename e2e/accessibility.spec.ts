import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createSmsUser, launchKura, test, expect, type KuraInstance } from './fixtures';

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
  await expect(page.getByRole('button', { name: '📁 docs' })).toBeVisible();
  await expectAccessible(page, 'browser');
  await page.getByRole('button', { name: '📁 docs' }).click();
  await page.getByRole('button', { name: 'Download: manual.pdf' }).click();
  await expect(page.getByRole('complementary', { name: 'Downloads' })).toContainText('Done');
  await expectAccessible(page, 'browser with downloads');
  // Selection, the context menu, a preview, search results, the history.
  await page.getByRole('row').filter({ hasText: 'manual.pdf' }).click({ button: 'right' });
  await expect(page.getByRole('menu')).toBeVisible();
  await expectAccessible(page, 'context menu');
  await page.getByRole('menuitem', { name: 'Preview' }).click();
  await expect(page.getByRole('dialog').getByRole('status')).toHaveText('Page 1 of 1');
  await expectAccessible(page, 'PDF preview');
  await page.keyboard.press('Escape');
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

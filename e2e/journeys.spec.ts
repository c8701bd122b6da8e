import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import {
  DEMO,
  importProfile,
  keychainProblem,
  launchKura,
  openFolder,
  openSignedIn,
  rowNamed,
  signInWith,
  test,
  expect,
  type KuraInstance,
  signOutInWindow,
  openWithProfile,
} from './fixtures';

const FRESH = { email: 'new.user@example.com', temporary: 'Temp-Pass-2026!' };

let kura: KuraInstance | undefined;

/** Scrolls an element (typed structurally: the e2e project has no DOM library). */
type Scrollable = { scrollTo(x: number, y: number): void; scrollHeight: number };
const scrollToEnd = (l: Locator) => l.evaluate((el: Scrollable) => el.scrollTo(0, el.scrollHeight));
const scrollToTop = (l: Locator) => l.evaluate((el: Scrollable) => el.scrollTo(0, 0));

test.afterEach(async () => {
  await kura?.stop();
  kura = undefined;
});

test('imports a connection profile: a broken one is explained field by field, a good one leads to sign-in', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await launchKura({ secrets });
  await page.goto(kura.transport.url);
  await expect(page.getByRole('heading', { name: 'Connect to your organisation' })).toBeVisible();
  await page
    .getByLabel('Connection profile (JSON)')
    .fill(JSON.stringify({ ...aws.profile, region: 'tokyo' }));
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('alert')).toContainText('region must be an AWS region');
  await importProfile(page, aws.profile);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a wrong password is explained, in English and in Japanese', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openWithProfile(page, aws.profile, secrets);
  await signInWith(page, DEMO.email, 'Not-The-Password-1');
  await expect(page.getByRole('alert')).toHaveText(
    'The email or password is not correct. Check both and try again.',
  );
  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'メールアドレスまたはパスワードが正しくありません。確認してもう一度お試しください。',
  );
});

test('an open folder is listed once, not again on every render', async ({ page, aws, secrets }) => {
  kura = await launchKura({ secrets });
  const listings: string[] = [];
  page.on('request', (r) => r.url().endsWith('/ipc/listFolder') && listings.push(r.url()));
  await page.goto(kura.transport.url);
  await importProfile(page, aws.profile);
  await signInWith(page, DEMO.email, DEMO.password);
  await expect(rowNamed(page, 'docs')).toBeVisible();
  await openFolder(page, 'docs');
  await expect(rowNamed(page, '報告書')).toBeVisible();
  // Wait for the page to be idle, then count: one listing per folder opened.
  await page.waitForLoadState('networkidle');
  expect(listings).toHaveLength(2);
});

test('first sign-in with a temporary password sets a new one, then browses and downloads', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openWithProfile(page, aws.profile, secrets);
  await signInWith(page, FRESH.email, FRESH.temporary);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill('weakpassword');
  await page.getByLabel('Repeat new password').fill('weakpassword');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'The new password is not accepted: it needs an uppercase letter. Choose another one.',
  );
  await page.getByLabel('New password', { exact: true }).fill('Chosen-Pass-2026!');
  await page.getByLabel('Repeat new password').fill('Chosen-Pass-2026!');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText(`Signed in as ${FRESH.email}`)).toBeVisible();

  await openFolder(page, 'docs');
  await openFolder(page, '報告書');
  await page.getByRole('button', { name: 'Download: 2026年度 事業計画.txt' }).click();
  await expect(page.getByRole('complementary', { name: 'Downloads' })).toContainText('Done');
  const saved = readFileSync(join(kura.downloadsDir, '2026年度 事業計画.txt'));
  const original = await aws.store
    .openRead('kura-demo', aws.store.head('kura-demo', 'docs/報告書/2026年度 事業計画.txt')!)
    .toArray();
  expect(saved.equals(Buffer.concat(original as Buffer[]))).toBe(true);
});

test('a profile file dropped on the window is read like a chosen one', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await launchKura({ secrets });
  await page.goto(kura.transport.url);
  await expect(page.getByRole('heading', { name: 'Connect to your organisation' })).toBeVisible();
  await page.evaluate(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([${JSON.stringify(JSON.stringify(aws.profile))}], 'kura-profile.json', { type: 'application/json' }));
    window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
  })()`);
  await expect(page.getByLabel('Connection profile (JSON)')).toHaveValue(
    JSON.stringify(aws.profile),
  );
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('stays signed in across a restart, and sign-out empties the keychain', async ({
  page,
  aws,
  secrets,
}) => {
  test.skip(
    keychainProblem !== undefined,
    `no usable keychain here (${keychainProblem}); npm test runs e2e inside scripts/with-keyring.sh`,
  );
  kura = await openSignedIn(page, aws.profile, secrets);
  await expect(page.getByText(`Signed in as ${DEMO.email}`)).toBeVisible();

  // Restart: a new main side over the same data folder and keychain; no password asked.
  const { dataDir, downloadsDir } = kura;
  await kura.stop();
  kura = await launchKura({ dataDir, downloadsDir, secrets });
  await page.goto(kura.transport.url);
  await expect(page.getByText(`Signed in as ${DEMO.email}`)).toBeVisible();
  await expect(rowNamed(page, 'logs')).toBeVisible();

  await signOutInWindow(page);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const profileId = (
    JSON.parse(readFileSync(join(dataDir, 'profiles.json'), 'utf8')) as { activeId: string }
  ).activeId;
  expect(await secrets.get(profileId)).toBeNull();
});

test('a session revoked while browsing sends the user back to sign-in with the reason', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  await expect(rowNamed(page, 'docs')).toBeVisible();
  aws.userPool.globalSignOut(aws.userPool.findUser(DEMO.email)!);
  aws.identityPool.expireAllCredentials();
  // Nothing is asked of AWS until the user acts: the page still shows the folder.
  await expect(rowNamed(page, 'docs')).toBeVisible();
  await rowNamed(page, 'docs').dblclick();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Your session ended. Sign in again.');
});

test('drag-out hands the OS a finished file from the cache; sign-out wipes the cache', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  await openFolder(page, 'docs');
  const row = rowNamed(page, 'manual.pdf');
  await row.hover(); // small files are fetched ahead
  await expect(row).toHaveAttribute('data-drag', 'ready');
  await row.dispatchEvent('dragstart');
  await expect.poll(() => kura!.drags.length).toBe(1);
  const [path] = kura.drags[0]!;
  expect(path!.startsWith(kura.cacheBase + '/')).toBe(true);
  const original = await aws.store
    .openRead('kura-demo', aws.store.head('kura-demo', 'docs/manual.pdf')!)
    .toArray();
  expect(readFileSync(path!).equals(Buffer.concat(original as Buffer[]))).toBe(true);
  await signOutInWindow(page);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect.poll(() => existsSync(kura!.cacheBase)).toBe(false);
});

test('a 2,500-file folder loads page by page as you scroll, sorts and filters', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  await openFolder(page, 'logs');
  await openFolder(page, '2026');
  await expect(rowNamed(page, 'app-0001.log')).toBeVisible();
  const more = page.getByRole('status').filter({ hasText: 'more load as you scroll' });
  await expect(more).toBeVisible();
  // Only what is on screen is in the DOM.
  expect(await page.getByRole('row').count()).toBeLessThan(80);
  // Scrolling to the end loads the remaining pages.
  const scroller = page.getByRole('grid');
  for (let i = 0; i < 6 && (await more.count()) > 0; i++) {
    await scrollToEnd(scroller);
    await page.waitForLoadState('networkidle');
  }
  await expect(more).toHaveCount(0);
  await expect(page.getByRole('grid')).toHaveAttribute('aria-rowcount', '2501');
  await expect(page.getByRole('status').filter({ hasText: '2,500 items' })).toBeVisible();
  await scrollToEnd(scroller);
  await expect(rowNamed(page, 'app-2500.log')).toBeVisible();
  // Sort by name, descending: the last file comes first.
  await scrollToTop(scroller);
  await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
  await expect(page.getByRole('row').nth(1)).toContainText('app-2500.log');
  // Ctrl+F filters this folder.
  await page.keyboard.press('Control+f');
  await expect(page.getByRole('searchbox', { name: 'Filter this folder' })).toBeFocused();
  await page.keyboard.type('app-0042');
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('row').nth(1)).toContainText('app-0042.log');
});

test('a forgotten password is reset with the emailed code, typed twice', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openWithProfile(page, aws.profile, secrets);
  await page.getByRole('button', { name: 'Forgot password?' }).click();
  await page.getByLabel('Email').fill(DEMO.email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('status')).toHaveText('We sent a code to d***@e***.');
  const code = aws.userPool
    .outbox()
    .filter((m) => m.kind === 'FORGOT_PASSWORD' && m.to === DEMO.email)
    .at(-1)!.code;
  await page.getByLabel('Code').fill(code);
  await page.getByLabel('New password', { exact: true }).fill('Reset-Pass-2026!');
  await page.getByLabel('Repeat new password').fill('Reset-Pass-2027!');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('alert')).toHaveText('The two passwords differ.');
  await page.getByLabel('Repeat new password').fill('Reset-Pass-2026!');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('status')).toHaveText('Password changed. Sign in with the new one.');
  await signInWith(page, DEMO.email, 'Reset-Pass-2026!');
  await expect(page.getByText(`Signed in as ${DEMO.email}`)).toBeVisible();
});

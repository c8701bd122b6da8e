/**
 * The browser transport in real Chromium (security review #2): the printed URL opens the app
 * once, the page's key leaves the address bar at once and survives a reload (sessionStorage),
 * and neither the used URL nor the cookie alone gets anywhere.
 */
import { expect, importProfile, launchKura, test, type KuraInstance } from './fixtures';

let kura: KuraInstance | undefined;
test.afterEach(async () => {
  await kura?.stop();
  kura = undefined;
});

test('the URL opens the app once; the key leaves the address bar and survives a reload', async ({
  page,
  browser,
  aws,
  secrets,
}) => {
  kura = await launchKura({ secrets });
  const url = kura.transport.url;
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Connect to your organisation' })).toBeVisible();
  expect(page.url()).toBe(`${kura.transport.origin}/index.html`);

  await page.reload();
  await importProfile(page, aws.profile);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // The same URL in another browser: used up.
  const other = await browser.newPage();
  const refused = await other.goto(url);
  expect(refused?.status()).toBe(403);
  await expect(other.locator('body')).toContainText('already used');
  // The cookie alone (this page's context has it) calls nothing without the key.
  const status = await page.evaluate(async () => {
    const res = await fetch('/ipc/sessionView', { method: 'POST', body: '[]' });
    return res.status;
  });
  expect(status).toBe(403);
  await other.close();
});

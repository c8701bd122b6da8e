/**
 * Column headers aligned with their columns whatever the scrollbar (#11 item 12). Chromium's
 * headless mode hides scrollbars by default; this file draws them, as desktops do.
 */
import type { Locator } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../src/main/browserTransport/browserApp';
import { openFolder, openSignedIn, rowNamed, test, expect, type KuraInstance } from './fixtures';

test.use({
  launchOptions: {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ['--hide-scrollbars'],
  },
});

let kura: KuraInstance | undefined;
test.afterEach(async () => {
  await kura?.stop();
  kura = undefined;
});

type Box = { x: number; y: number; width: number; height: number };
const box = async (l: Locator): Promise<Box> => {
  const b = await l.boundingBox();
  if (!b) throw new Error('not on screen');
  return b;
};

test('the column headers stay aligned with their columns whatever the scrollbar', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  await openFolder(page, 'logs');
  await openFolder(page, '2026');
  await expect(rowNamed(page, 'app-0001.log')).toBeVisible();
  const grid = page.getByRole('grid');
  type El = { offsetWidth: number; clientWidth: number };
  expect(await grid.evaluate((el: El) => el.offsetWidth - el.clientWidth)).toBeGreaterThan(0);
  const headers = page.getByRole('columnheader');
  const cells = page.getByRole('row').nth(1).getByRole('gridcell');
  await expect(headers).toHaveCount(await cells.count());
  for (let i = 0; i < (await cells.count()); i++) {
    const h = await box(headers.nth(i));
    const c = await box(cells.nth(i));
    expect(Math.abs(h.x - c.x), `column ${i} starts`).toBeLessThan(1);
    expect(Math.abs(h.width - c.width), `column ${i} width`).toBeLessThan(1);
  }
});

/**
 * Column headers aligned with their columns whatever the scrollbar (#11 item 12). Chromium's
 * headless mode hides scrollbars by default; this file draws them, as desktops do.
 */
import type { Locator } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium';
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

test('columns are reordered by dragging a header and resized by dragging its edge', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  await openFolder(page, 'docs');
  const labels = () => page.locator('[role=columnheader] .sort .label').allTextContents();
  expect(await labels()).toEqual(['Name', 'Size', 'Modified', 'Type']);
  await page
    .getByRole('columnheader', { name: 'Type' })
    .dragTo(page.getByRole('columnheader', { name: 'Name' }));
  await expect.poll(labels).toEqual(['Type', 'Name', 'Size', 'Modified']);

  const edge = page.getByRole('separator', { name: 'Name column width' });
  const before = Number(await edge.getAttribute('aria-valuenow'));
  const b = await box(edge);
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2 + 80, b.y + b.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect(edge).toHaveAttribute('aria-valuenow', String(before + 80));
  // The header and the cells moved together.
  const header = await box(page.getByRole('columnheader', { name: 'Size' }));
  const cell = await box(rowNamed(page, 'manual.pdf').getByRole('gridcell').nth(2));
  expect(Math.abs(header.x - cell.x)).toBeLessThan(1);
});

/**
 * The file browser beyond the basics: keyboard use and multi-select, the context menu
 * (Download, Download to…, Copy S3 URI), a cancellable recursive search, previews (image,
 * Shift_JIS text, PDF), and the downloads panel (pause, resume, show in folder, history and
 * its export). Same harness as journeys.spec.ts: real services, local-aws, Debian Chromium.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalAws } from '../local-aws/server';
import {
  crumb,
  openFolder,
  openSignedIn,
  rowNamed,
  test,
  expect,
  type KuraInstance,
} from './fixtures';

let kura: KuraInstance | undefined;

const objectBytes = async (aws: LocalAws, key: string) =>
  Buffer.concat(
    (await aws.store
      .openRead('kura-demo', aws.store.head('kura-demo', key)!)
      .toArray()) as Buffer[],
  );

test.afterEach(async () => {
  await kura?.stop();
  kura = undefined;
});

test('the keyboard alone opens folders, selects several files and downloads them', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  await expect(rowNamed(page, 'docs')).toBeVisible();
  const grid = page.getByRole('grid');
  await grid.focus();
  // Type-to-find jumps to "docs"; Enter opens it.
  await page.keyboard.type('do');
  await expect(page.getByRole('row', { selected: true })).toContainText('docs');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('row').filter({ hasText: 'manual.pdf' })).toBeVisible();
  // End, then Shift+ArrowUp: the last two files selected.
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+ArrowUp');
  await expect(page.getByRole('row', { selected: true })).toHaveCount(2);
  await expect(page.getByRole('status').filter({ hasText: '2 selected' })).toBeVisible();
  const names = await page
    .getByRole('row', { selected: true })
    .locator('.mid-name')
    .evaluateAll((els: { getAttribute(n: string): string | null }[]) =>
      els.map((e) => e.getAttribute('data-name') ?? ''),
    );
  expect(names.sort()).toEqual(['empty.txt', 'manual.pdf']);
  await page.keyboard.press('Enter');
  await expect.poll(() => readdirSync(kura!.downloadsDir).sort()).toEqual(names.sort());
  // Backspace goes back up, to the folder it came from; Home and Ctrl+A select everything.
  await page.keyboard.press('Backspace');
  await expect(page.getByRole('row', { selected: true })).toHaveCount(1);
  await expect(page.getByRole('row', { selected: true })).toContainText('docs');
  await page.keyboard.press('Home');
  await page.keyboard.press('Control+a');
  const all = await page.getByRole('grid').getAttribute('aria-rowcount');
  await expect(page.getByRole('row', { selected: true })).toHaveCount(Number(all) - 1);
});

test('clicks with Shift and Ctrl select ranges and single rows; the context menu acts on them', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  await openFolder(page, 'logs');
  await openFolder(page, '2026');
  const log = (n: string) => rowNamed(page, `app-${n}.log`);
  await log('0001').click();
  await log('0003').click({ modifiers: ['Shift'] });
  await expect(page.getByRole('row', { selected: true })).toHaveCount(3);
  await log('0002').click({ modifiers: ['Control'] });
  await expect(page.getByRole('row', { selected: true })).toHaveCount(2);
  await expect(log('0002')).toHaveAttribute('aria-selected', 'false');

  await crumb(page, 'kura-demo').click();
  await openFolder(page, 'docs');

  // Copy S3 URI of a right-clicked row (it becomes the selection).
  const manual = rowNamed(page, 'manual.pdf');
  await manual.click({ button: 'right' });
  await expect(page.getByRole('menu')).toBeVisible();
  await expect(page.getByRole('menuitem').first()).toBeFocused();
  await page.getByRole('menuitem', { name: 'Copy S3 URI' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  expect(kura.desktop.copied).toEqual(['s3://kura-demo/docs/manual.pdf']);

  // Download to…: main asks for the folder; cancelled, nothing happens; chosen, it lands there.
  await manual.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Download to…' }).click();
  kura.desktop.nextFolder = join(kura.downloadsDir, 'chosen');
  await manual.click({ button: 'right' });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Download to…' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(() => existsSync(join(kura!.downloadsDir, 'chosen', 'manual.pdf'))).toBe(true);
  expect(readFileSync(join(kura.downloadsDir, 'chosen', 'manual.pdf'))).toEqual(
    await objectBytes(aws, 'docs/manual.pdf'),
  );
  expect(readdirSync(kura.downloadsDir)).toEqual(['chosen']);
  // Escape closes the menu.
  await manual.click({ button: 'right' });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
});

test('a recursive search finds files in subfolders, can be stopped, and results download', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  await page.getByRole('radio', { name: 'Subfolders' }).click();
  await page.getByRole('searchbox', { name: 'Search subfolders' }).fill('design');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 found' })).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Search results' })).toBeVisible();
  await expect(
    page.getByRole('row').filter({ hasText: 'projects/alpha/specs/v1/design.md' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Download: projects/alpha/specs/v2/design.md' }).click();
  await expect.poll(() => existsSync(join(kura!.downloadsDir, 'design.md'))).toBe(true);
  expect(readFileSync(join(kura.downloadsDir, 'design.md'))).toEqual(
    await objectBytes(aws, 'projects/alpha/specs/v2/design.md'),
  );
  await page.getByRole('button', { name: 'Back to the folder' }).click();
  await expect(rowNamed(page, 'docs')).toBeVisible();

  // A search over the 2,500 logs answered slowly can be stopped mid-way.
  aws.faults.add({ operation: 'ListObjectsV2', latencyMs: 400 });
  await page.getByRole('searchbox', { name: 'Search subfolders' }).fill('app-');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Search stopped' })).toBeVisible();
  aws.faults.clear();
});

test('previews an image, a Shift_JIS text and a PDF, fetched through main', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  await openFolder(page, 'photos');
  await rowNamed(page, 'thumbnail.png').dblclick();
  const dialog = page.getByRole('dialog', { name: 'Preview of thumbnail.png' });
  await expect(dialog.getByRole('img', { name: 'thumbnail.png' })).toBeVisible();
  expect(
    await dialog.getByRole('img').evaluate((img: { naturalWidth: number }) => img.naturalWidth),
  ).toBe(64);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  await crumb(page, 'kura-demo').click();
  await openFolder(page, 'docs');
  await openFolder(page, 'shift_jis');
  const invoice = rowNamed(page, '請求書_2026-04.txt');
  await invoice.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Preview' }).click();
  const text = page.getByRole('dialog');
  await expect(text).toContainText('株式会社サンプル 御中');
  await expect(text).toContainText('Encoding: Shift_JIS');
  // 0x5C in Shift_JIS text is the yen sign to its readers (#11 item 11).
  await expect(text).toContainText('合計金額: ¥128,000');
  await text.getByRole('button', { name: 'Close' }).click();

  await crumb(page, 'docs').click();
  await rowNamed(page, 'manual.pdf').dblclick();
  const pdf = page.getByRole('dialog', { name: 'Preview of manual.pdf' });
  await expect(pdf.getByRole('status')).toHaveText('Page 1 of 1');
  // The page was drawn: the canvas holds non-white pixels.
  type Canvas = {
    width: number;
    height: number;
    getContext(kind: '2d'): { getImageData(...a: number[]): { data: Uint8ClampedArray } };
  };
  const inked = await pdf.locator('canvas').evaluate((c: Canvas) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! < 128) n++;
    return n;
  });
  expect(inked).toBeGreaterThan(100);
});

test('the downloads panel pauses, resumes, shows the file, and keeps a verified history', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  // The 2 MiB seeded file at 256 KiB/s: time to pause it.
  aws.faults.add({ operation: 'GetObject', keyPrefix: 'videos/', bytesPerSecond: 256 * 1024 });
  await openFolder(page, 'videos');
  const name = 'large-file.bin';
  await page.getByRole('button', { name: `Download: ${name}` }).click();
  const panel = page.getByRole('complementary', { name: 'Downloads' });
  const item = panel.getByRole('listitem').filter({ hasText: name });
  await expect(item).toContainText('/s');
  await item.getByRole('button', { name: 'Pause' }).click();
  await expect(item).toContainText('Paused');
  expect(readdirSync(kura.downloadsDir).filter((f) => f.endsWith('.partial'))).toHaveLength(1);
  aws.faults.clear();
  await item.getByRole('button', { name: 'Resume' }).click();
  await expect(item).toContainText('Done');
  await item.getByRole('button', { name: 'Show in folder' }).click();
  expect(kura.desktop.revealed).toEqual([join(kura.downloadsDir, name)]);
  expect(readdirSync(kura.downloadsDir)).toEqual([name]);

  await panel.getByRole('tab', { name: 'History' }).click();
  const history = panel.getByRole('region', { name: 'History' });
  await expect(history.getByRole('listitem').filter({ hasText: name })).toContainText(
    'verified: CRC64NVME',
  );
  await history.getByRole('button', { name: 'Export CSV' }).click();
  await expect(history.getByRole('status')).toHaveText('Saved the download log.');
  const csv = readFileSync(kura.desktop.saved[0]!, 'utf8');
  expect(csv).toContain(`kura-demo,videos/${name},`);
});

/**
 * The transfers drawer and honest progress (#11, the transfers half): where a download went and
 * under which name, Open and Show in folder, Clear finished, a folder as one expandable row,
 * Cancel then Retry going on in the same folder, retrying said with its reason during 503s and
 * silences, and errors in words. Downloads start through the contract (`kuraApi`: `window.kura` unwrapped), so these
 * journeys do not depend on how the file list looks.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import type { Page } from '@playwright/test';
import { startLocalAws, type LocalAws } from '../local-aws/server';
import type { TransferView } from '../src/shared/ipc';
import { openSignedIn, test, expect, type KuraInstance } from './fixtures';

let kura: KuraInstance | undefined;
test.afterEach(async () => {
  await kura?.stop();
  kura = undefined;
});

/** Calls the contract as the renderer does (typed loosely: e2e has no DOM library). */
const call = <T>(page: Page, method: string, ...args: unknown[]) =>
  page.evaluate(
    ([m, a]) =>
      (globalThis as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>)
        .kuraApi![m]!(...a),
    [method, args] as const,
  ) as Promise<T>;

const drawerOf = (page: Page, name = 'Downloads') => page.getByRole('complementary', { name });
const rowOf = (page: Page, text: string, drawer = 'Downloads') =>
  drawerOf(page, drawer).getByRole('listitem').filter({ hasText: text }).first();
const put = (aws: LocalAws, key: string, body: Buffer | string) =>
  aws.store.put('kura-demo', key, Readable.from([Buffer.from(body)]));

test('the drawer says where a download went and under which name; Open and Show in folder act on it', async ({
  page,
  aws,
  secrets,
}) => {
  await page.setViewportSize({ width: 1200, height: 820 });
  kura = await openSignedIn(page, aws.profile, secrets);
  writeFileSync(join(kura.downloadsDir, 'README.txt'), 'a file of the same name');
  await call<TransferView>(page, 'download', 'kura-demo', 'README.txt');
  const row = rowOf(page, 'README (1).txt');
  await expect(row).toContainText(
    `Done — saved as README (1).txt in ${basename(kura.downloadsDir)}`,
  );
  // The drawer is on screen at 1200×820, its actions reachable without scrolling the page.
  await expect(drawerOf(page)).toBeInViewport();
  await expect(row.getByRole('button', { name: 'Open' })).toBeInViewport();
  await row.getByRole('button', { name: 'Open' }).click();
  await expect
    .poll(() => kura!.desktop.opened)
    .toEqual([join(kura.downloadsDir, 'README (1).txt')]);
  await row.getByRole('button', { name: 'Show in folder' }).click();
  await expect
    .poll(() => kura!.desktop.revealed)
    .toEqual([join(kura.downloadsDir, 'README (1).txt')]);
  expect(readFileSync(join(kura.downloadsDir, 'README.txt'), 'utf8')).toBe(
    'a file of the same name',
  );

  // History keeps the name it was saved under.
  await drawerOf(page).getByRole('tab', { name: 'History' }).click();
  const history = drawerOf(page).getByRole('region', { name: 'History' });
  await expect(history.getByRole('listitem').first()).toContainText('README (1).txt');
  await expect(history.getByRole('listitem').first()).toContainText('verified: CRC64NVME');
});

test('Open refuses a program, whatever the renderer asks, and says why in words', async ({
  page,
  aws,
  secrets,
}) => {
  await put(aws, 'tools/invoice.pdf.exe', 'MZ a program');
  kura = await openSignedIn(page, aws.profile, secrets);
  const v = await call<TransferView>(page, 'download', 'kura-demo', 'tools/invoice.pdf.exe');
  const row = rowOf(page, 'invoice.pdf.exe');
  await expect(row).toContainText('Done');
  // No Open button for it; and asked directly, main refuses.
  await expect(row.getByRole('button', { name: 'Open' })).toHaveCount(0);
  const refused = await page.evaluate(
    (id) =>
      (globalThis as unknown as { kuraApi: { openTransfer(id: string): Promise<void> } }).kuraApi
        .openTransfer(id)
        .then(
          () => 'opened',
          (e: { view?: { code: string; detail?: string } }) => e.view,
        ),
    v.id,
  );
  expect(refused).toEqual({ code: 'OPEN_REFUSED', detail: '.exe' });
  expect(kura.desktop.opened).toEqual([]);
});

test('Cancel then Retry on a folder goes on in the same folder; the cancelled row is not "still listing"', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  // Slow enough to cancel half-way, with the listing's second page still on its way.
  aws.faults.add({ operation: 'GetObject', keyPrefix: 'logs/2026/', latencyMs: 400 });
  aws.faults.add({ operation: 'ListObjectsV2', latencyMs: 1_500 });
  await call<TransferView>(page, 'downloadFolder', 'kura-demo', 'logs/2026/');
  const row = rowOf(page, '2026');
  await expect(row).toContainText('still listing');
  await expect.poll(() => existsSync(join(kura!.downloadsDir, '2026'))).toBe(true);
  await expect
    .poll(
      () => readdirSync(join(kura!.downloadsDir, '2026')).filter((f) => f.endsWith('.log')).length,
    )
    .toBeGreaterThan(0);
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toContainText('Cancelled');
  await expect(row).not.toContainText('still listing');

  aws.faults.clear();
  await row.getByRole('button', { name: 'Retry' }).click();
  await expect(row).toContainText('Done — saved as 2026', { timeout: 60_000 });
  await expect(row).toContainText('2,500 files');
  // One folder, every file once: nothing beside it as "2026 (1)", no file numbered twice.
  expect(readdirSync(kura.downloadsDir)).toEqual(['2026']);
  const files = readdirSync(join(kura.downloadsDir, '2026'));
  expect(files).toHaveLength(2500);
  expect(files.filter((f) => f.includes(' ('))).toEqual([]);
});

test('during 503s the row says it is retrying, why and when, with no speed; then it finishes', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  aws.faults.add({ operation: 'GetObject', keyPrefix: 'videos/', status: 503 });
  await call<TransferView>(page, 'download', 'kura-demo', 'videos/large-file.bin');
  const row = rowOf(page, 'large-file.bin');
  await expect(row).toContainText(
    /Retrying (in \d+ s|now) — the service (asked Kura to slow down|is busy or not answering) \(attempt [3-9]\)/,
  );
  await expect(row).not.toContainText('/s');
  await expect(row).not.toContainText('left');
  await expect(page.getByRole('button', { name: /^Downloads: Retrying…/ })).toBeVisible();
  aws.faults.clear();
  await expect(row).toContainText('Done — saved as large-file.bin', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: /^Downloads: 1 done$/ })).toBeVisible();
});

test('during an outage (the backend stopped) the row says it is retrying and why, and goes on when it is back', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  aws.faults.add({ operation: 'GetObject', keyPrefix: 'videos/', bytesPerSecond: 384 * 1024 });
  await call<TransferView>(page, 'download', 'kura-demo', 'videos/large-file.bin');
  const row = rowOf(page, 'large-file.bin');
  await expect(row).toContainText('/s');
  // The whole backend goes away mid-download …
  await aws.stop();
  await expect(row).toContainText(
    /Retrying (in \d+ s|now) — the connection broke off or stopped sending data \(attempt \d\)/,
  );
  await expect(row).not.toContainText('/s');
  await expect(row).not.toContainText(' left');
  // … and comes back on the same address with the same data.
  const back = await startLocalAws({ port: Number(new URL(aws.url).port), dataDir: aws.dataDir });
  try {
    await expect(row).toContainText('Done — saved as large-file.bin', { timeout: 30_000 });
    expect(readFileSync(join(kura.downloadsDir, 'large-file.bin'))).toEqual(
      Buffer.concat(
        (await back.store
          .openRead('kura-demo', back.store.head('kura-demo', 'videos/large-file.bin')!)
          .toArray()) as Buffer[],
      ),
    );
  } finally {
    await back.stop();
  }
});

test('when data stops arriving the row says so instead of a frozen speed, then retries', async ({
  page,
  aws,
  secrets,
}) => {
  // A short watchdog, and a long first backoff so the retry can be seen.
  kura = await openSignedIn(page, aws.profile, secrets, { idleTimeoutMs: 6_000, backoffMs: 4_000 });
  aws.faults.add({
    operation: 'GetObject',
    keyPrefix: 'videos/',
    times: 1,
    bytesPerSecond: 512 * 1024,
    stallAfterBytes: 1536 * 1024,
  });
  await call<TransferView>(page, 'download', 'kura-demo', 'videos/large-file.bin');
  const row = rowOf(page, 'large-file.bin');
  await expect(row).toContainText('/s');
  await expect(row).toContainText(/No data for \d+ s — waiting for the server/);
  await expect(row).not.toContainText('/s');
  await expect(row).toContainText('the connection broke off or stopped sending data');
  await expect(row).toContainText('Done', { timeout: 30_000 });
});

test('a folder is one row: expanded, it lists the files in flight, failed and skipped, each with why', async ({
  page,
  aws,
  secrets,
}) => {
  for (let i = 0; i < 2; i++) await put(aws, `tricky/slow-${i}.bin`, Buffer.alloc(512 * 1024, i));
  await put(aws, 'tricky/../escape.txt', 'climbs out of the folder');
  await put(aws, 'tricky/broken.bin', Buffer.alloc(4096, 7));
  await put(aws, 'tricky/fine.txt', 'fine');
  aws.faults.add({ operation: 'GetObject', keyPrefix: 'tricky/slow-', bytesPerSecond: 64 * 1024 });
  aws.faults.add({ operation: 'GetObject', keyPrefix: 'tricky/broken', flipByteAt: 5 });
  kura = await openSignedIn(page, aws.profile, secrets);
  await call<TransferView>(page, 'downloadFolder', 'kura-demo', 'tricky/');
  const row = rowOf(page, 'tricky');
  await expect(row).toContainText('2 in progress · 1 failed · 1 skipped');
  await row.getByRole('button', { name: 'Show files' }).click();
  const files = row.getByRole('list', { name: 'Files of tricky' });
  await expect(files.getByRole('listitem').filter({ hasText: 'slow-0.bin' })).toContainText(
    /KB of 524\.3 KB/,
  );
  await expect(files.getByRole('listitem').filter({ hasText: 'broken.bin' })).toContainText(
    'The downloaded file did not match the original and was discarded.',
  );
  await expect(files.getByRole('listitem').filter({ hasText: '../escape.txt' })).toContainText(
    'skipped: the name cannot be saved safely here (".." in the name would leave the destination folder)',
  );
  await expect(row.getByRole('progressbar', { name: 'tricky' })).toHaveAttribute(
    'aria-valuenow',
    /\d+/,
  );
  aws.faults.clear();
  await expect(row).toContainText('Done — saved as tricky', { timeout: 30_000 });
  await expect(row).toContainText('3 files');
  expect(readdirSync(join(kura.downloadsDir, 'tricky')).sort()).toEqual([
    'fine.txt',
    'slow-0.bin',
    'slow-1.bin',
  ]);

  // Why each file was left out is worded by the window, in its language (main sends codes).
  await page.getByRole('button', { name: '日本語' }).click();
  const ja = rowOf(page, 'tricky', 'ダウンロード').getByRole('list', { name: 'tricky のファイル' });
  await expect(ja.getByRole('listitem').filter({ hasText: '../escape.txt' })).toContainText(
    'スキップ: この名前はここに安全に保存できません（名前に「..」があり、保存先フォルダーの外を指します）',
  );
  await expect(ja.getByRole('listitem').filter({ hasText: 'broken.bin' })).toContainText(
    'ダウンロードしたファイルが元のファイルと一致しなかったため破棄しました。',
  );
  await page.getByRole('button', { name: 'English' }).click();

  // History: the folder is one entry.
  await drawerOf(page).getByRole('tab', { name: 'History' }).click();
  const history = drawerOf(page).getByRole('region', { name: 'History' });
  await expect(history.getByRole('listitem')).toHaveCount(1);
  await expect(history.getByRole('listitem')).toContainText('tricky');
  await expect(history.getByRole('listitem')).toContainText('3 files');
});

test('Clear finished removes done, cancelled and failed rows and keeps what still runs', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets, { retries: 0 });
  aws.faults.add({ operation: 'GetObject', keyPrefix: 'videos/', bytesPerSecond: 64 * 1024 });
  aws.faults.add({ operation: 'HeadObject', keyPrefix: 'docs/manual', status: 500 });
  aws.faults.add({ operation: 'GetObject', keyPrefix: 'logs/2026/app-0001', bytesPerSecond: 8 });
  await call(page, 'download', 'kura-demo', 'README.txt');
  await call(page, 'download', 'kura-demo', 'docs/manual.pdf');
  await call(page, 'download', 'kura-demo', 'videos/large-file.bin');
  await call(page, 'download', 'kura-demo', 'logs/2026/app-0001.log');
  await expect(rowOf(page, 'README.txt')).toContainText('Done');
  await expect(rowOf(page, 'manual.pdf')).toContainText(
    'Failed — The storage service is busy or not answering properly right now. Try again in a few minutes.',
  );
  await rowOf(page, 'app-0001.log').getByRole('button', { name: 'Cancel' }).click();
  await expect(rowOf(page, 'app-0001.log')).toContainText('Cancelled');
  await drawerOf(page).getByRole('button', { name: 'Clear finished' }).click();
  await expect(drawerOf(page).getByRole('listitem')).toHaveCount(1);
  await expect(rowOf(page, 'large-file.bin')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Downloads: 1 downloading/ })).toBeVisible();
  await rowOf(page, 'large-file.bin').getByRole('button', { name: 'Cancel' }).click();
  await expect(rowOf(page, 'large-file.bin')).toContainText('Cancelled');
});

test('errors a user meets are words in their language: a HEAD answered 503 fails as "busy", never "Unknown"', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets, { retries: 1 });
  aws.faults.add({ operation: 'HeadObject', keyPrefix: 'docs/', status: 503 });
  await call(page, 'download', 'kura-demo', 'docs/manual.pdf');
  const row = rowOf(page, 'manual.pdf');
  await expect(row).toContainText(
    'Failed — The storage service is busy or not answering properly right now. Try again in a few minutes.',
    { timeout: 30_000 },
  );
  await expect(drawerOf(page)).not.toContainText('Unknown');
  await page.getByRole('button', { name: '日本語' }).click();
  const ja = rowOf(page, 'manual.pdf', 'ダウンロード');
  await expect(ja).toContainText(
    '失敗 — ストレージサービスが混み合っているか、正しく応答していません。数分後にもう一度お試しください。',
  );
  // Retry, once the service answers again, goes on and finishes.
  aws.faults.clear();
  await ja.getByRole('button', { name: '再試行' }).click();
  await expect(ja).toContainText('完了');
});

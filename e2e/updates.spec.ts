/**
 * The in-app update UI on the real services: a newer release published in the organisation's
 * bucket is downloaded and verified (electron-updater, Node-hosted here), "Restart to update"
 * waits while a download runs, and the setting turns checks off for good.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { LocalAws } from '../local-aws/server';
import { publishRelease } from '../src/cli/publishRelease';
import { makeRelease } from '../test/helpers/release';
import {
  DEMO,
  expect,
  importProfile,
  launchKura,
  openFolder,
  signInWith,
  test,
  type KuraInstance,
} from './fixtures';

let kura: KuraInstance | undefined;
test.afterEach(async () => {
  await kura?.stop();
  kura = undefined;
});

const RELEASES = 'kura-releases/';

async function publish(aws: LocalAws, version: string) {
  const s3 = new S3Client({
    region: aws.profile.region,
    endpoint: aws.url,
    forcePathStyle: true,
    credentials: { accessKeyId: aws.admin.accessKeyId, secretAccessKey: aws.admin.secretAccessKey },
  });
  await publishRelease(
    makeRelease(mkdtempSync(join(tmpdir(), 'kura-e2e-rel-')), version).dir,
    { bucket: aws.admin.bucket, prefix: RELEASES },
    s3,
  );
}

test('offers "Restart to update" for a newer release, and waits for a running download first', async ({
  page,
  aws,
  secrets,
}) => {
  await publish(aws, '0.2.0');
  kura = await launchKura({ secrets, updater: { version: '0.1.0' } });
  await page.goto(kura.transport.url);
  await importProfile(page, { ...aws.profile, updates: `s3://${aws.admin.bucket}/${RELEASES}` });
  await signInWith(page, DEMO.email, DEMO.password);
  const notice = page.getByRole('status').filter({ hasText: 'Kura 0.2.0 is ready.' });
  await expect(notice).toBeVisible();

  // A download that keeps running for a while: the 2 MiB file at 256 KiB/s.
  aws.faults.add({ operation: 'GetObject', keyPrefix: 'videos/', bytesPerSecond: 256 * 1024 });
  await openFolder(page, 'videos');
  await page.getByRole('button', { name: 'Download: large-file.bin' }).click();
  const item = page
    .getByRole('complementary', { name: 'Downloads' })
    .getByRole('listitem')
    .filter({ hasText: 'large-file.bin' });
  await expect(item).toContainText('/s');

  await notice.getByRole('button', { name: 'Restart to update' }).click();
  await expect(notice).toContainText('Kura restarts to update when your downloads finish.');
  expect(kura.restarts).toEqual([]);

  aws.faults.clear();
  await expect(item).toContainText('Done');
  await expect.poll(() => kura!.restarts.length).toBe(1);
});

test('the update setting turns checks off and stays off; the words are Japanese too', async ({
  page,
  aws,
  secrets,
}) => {
  await publish(aws, '0.1.0');
  kura = await launchKura({ secrets, updater: { version: '0.1.0' } });
  await page.goto(kura.transport.url);
  await importProfile(page, { ...aws.profile, updates: `s3://${aws.admin.bucket}/${RELEASES}` });
  await signInWith(page, DEMO.email, DEMO.password);
  // The setting lives in the toolbar's Settings panel.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByText('Updates', { exact: true }).click();
  const settings = page.locator('details.update-settings');
  await expect(settings.getByRole('status')).toHaveText('Kura is up to date.');
  await expect(settings).toContainText('This is Kura 0.1.0.');

  const checks = settings.getByRole('checkbox', { name: 'Check for updates automatically' });
  await checks.uncheck();
  await expect(settings.getByRole('status')).toContainText('Kura does not look for updates.');
  await page.reload();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByText('Updates', { exact: true }).click();
  await expect(checks).not.toBeChecked();

  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByRole('button', { name: '設定', exact: true }).click();
  await page.getByText('アップデート', { exact: true }).click();
  await expect(
    settings.getByRole('checkbox', { name: 'アップデートを自動的に確認する' }),
  ).not.toBeChecked();
});

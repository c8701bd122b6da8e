/**
 * Real office networks in the window (#18): offline and back (local-aws stopped in the middle of
 * a download, then started again), the proxy setting and the proxy's question through a real
 * squid (local-aws reachable only through it), a refused certificate named, and a clock far off
 * told — in English and Japanese. Downloads start through the contract (`kuraApi`), so these
 * journeys do not depend on how the file list looks.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Page } from '@playwright/test';
import { startLocalAws, type LocalAws } from '../local-aws/server';
import type { TransferView } from '../src/shared/ipc';
import {
  PROXY_SOURCE_ADDRESS,
  squidSkipReason,
  startSquid,
  type Squid,
} from '../test/helpers/squid';
import {
  DEMO,
  expect,
  importProfile,
  launchKura,
  openSignedIn,
  signInWith,
  test,
  type KuraInstance,
} from './fixtures';

let kura: KuraInstance | undefined;
let aws: LocalAws | undefined;
let squid: Squid | undefined;
test.afterEach(async () => {
  await kura?.stop();
  await aws?.stop();
  await squid?.stop();
  kura = aws = squid = undefined;
});

/** Calls the contract as the renderer does (typed loosely: e2e has no DOM library). */
const call = <T>(page: Page, method: string, ...args: unknown[]) =>
  page.evaluate(
    ([m, a]) =>
      (globalThis as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>)
        .kuraApi![m]!(...a),
    [method, args] as const,
  ) as Promise<T>;
const transferOf = async (page: Page, id: string) =>
  (await call<TransferView[]>(page, 'transfers')).find((x) => x.id === id)!;
const rowOf = (page: Page, text: string, drawer = 'Downloads') =>
  page
    .getByRole('complementary', { name: drawer })
    .getByRole('listitem')
    .filter({ hasText: text })
    .first();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const demoAws = (o: Parameters<typeof startLocalAws>[0] = {}) =>
  startLocalAws({ seed: 'demo', seedLargeFileBytes: 64 * 1024, ...o });

test('offline and back: the window says so, the download waits without burning retries, and finishes by itself', async ({
  page,
  secrets,
}) => {
  aws = await demoAws();
  const body = Buffer.from(Buffer.alloc(4 * 1024 * 1024).map((_, i) => (i * 7 + (i >> 10)) & 0xff));
  await aws.store.put(aws.bucket, 'big/offline.bin', Readable.from([body]));
  // Slow enough to be stopped in the middle.
  aws.faults.add({ operation: 'GetObject', keyPrefix: 'big/', bytesPerSecond: 512 * 1024 });
  // One retry only: an outage of several probes would use it up many times over.
  kura = await openSignedIn(
    page,
    aws.profile,
    secrets,
    { retries: 1, backoffMs: 20, rangeThreshold: 1024 * 1024, partSize: 1024 * 1024 },
    { minProbeMs: 50, maxProbeMs: 200 },
  );
  const status = page.getByRole('status', { name: 'Network' });
  await expect(status).toHaveText('Online');
  const started = await call<TransferView>(page, 'download', aws.bucket, 'big/offline.bin');
  await expect
    .poll(async () => (await transferOf(page, started.id)).bytesDone)
    .toBeGreaterThan(256 * 1024);

  // The servers go away mid-download.
  const { port, dataDir } = aws;
  await aws.stop();
  aws = undefined;
  const banner = page.getByRole('alert').filter({ hasText: 'No connection to the server' });
  await expect(banner).toContainText('Downloads wait and go on by themselves');
  await expect(status).toHaveText('Offline — waiting for the network');
  const row = rowOf(page, 'offline.bin');
  await expect(row).toContainText('Waiting for the network — goes on by itself');
  await expect(page.getByRole('button', { name: /Waiting for the network/ })).toBeVisible();
  // Several failed probes later it still waits, no retry counted.
  const monitor = kura.network.network.monitor;
  const probes = monitor.probes;
  await expect.poll(() => monitor.probes).toBeGreaterThanOrEqual(probes + 3);
  const waiting = await transferOf(page, started.id);
  expect(waiting).toMatchObject({ state: 'running', waitingForNetwork: true });
  expect(waiting.retry).toBeUndefined();

  // The same, in Japanese.
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'サーバーに接続できません' }),
  ).toBeVisible();
  await expect(page.getByRole('status', { name: 'ネットワーク' })).toHaveText(
    'オフライン — ネットワークの復旧を待っています',
  );
  await expect(rowOf(page, 'offline.bin', 'ダウンロード')).toContainText(
    'ネットワークの復旧を待っています',
  );
  await page.getByRole('button', { name: 'English' }).click();

  // Back: same port, same state (users, sessions, issued credentials); no slow fault now.
  aws = await startLocalAws({ seed: 'none', port, dataDir });
  await expect(row).toContainText('Done — saved as offline.bin', { timeout: 30_000 });
  await expect(banner).toHaveCount(0);
  await expect(status).toHaveText('Online');
  const done = await transferOf(page, started.id);
  expect(done.state).toBe('done');
  expect(done.waitingForNetwork).toBeUndefined();
  expect(sha(readFileSync(join(kura.downloadsDir, 'offline.bin')))).toBe(sha(body));
  // The session survived: still signed in, and listing works.
  await expect(page.getByText(`Signed in as ${DEMO.email}`)).toBeVisible();
  await call(page, 'listFolder', aws.bucket, 'big/');
});

test('behind a proxy that wants a password: set in the window, asked once (en/ja), kept in the keychain', async ({
  page,
  secrets,
}) => {
  test.skip(!!squidSkipReason, squidSkipReason);
  const user = { name: 'alice', password: 'Proxy-Pass-2026!' };
  aws = await demoAws({ proxyOnly: { from: PROXY_SOURCE_ADDRESS } });
  squid = await startSquid({ user });
  const dataDir = (kura = await launchKura({ secrets, env: {} })).dataDir;
  await page.goto(kura.transport.url);
  await importProfile(page, aws.profile);

  // Directly, nothing reaches the servers: the sign-in says so.
  await signInWith(page, DEMO.email, DEMO.password);
  await expect(page.getByText('Cannot reach the server.')).toBeVisible();

  // The proxy setting, in Japanese first, then set in English.
  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByText('ネットワーク', { exact: true }).click();
  await expect(
    page.getByRole('radio', { name: 'このコンピューターのプロキシ設定を使う' }),
  ).toBeChecked();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('radio', { name: 'Use this proxy:' }).check();
  await page.getByLabel('Proxy address (http://host:port)').fill('not a proxy');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('.network-settings').getByRole('alert')).toBeVisible();
  await page.getByLabel('Proxy address (http://host:port)').fill(squid.url);
  // The network's view changes meanwhile (here: a server answered): what is typed stays.
  const offline = page.getByRole('alert').filter({ hasText: 'No connection to the server' });
  await expect(offline).toBeVisible();
  kura.network.network.monitor.reachable();
  await expect(offline).toHaveCount(0);
  await expect(page.getByLabel('Proxy address (http://host:port)')).toHaveValue(squid.url);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('Proxy setting applied.')).toBeVisible();
  expect(JSON.parse(readFileSync(join(dataDir, 'network-settings.json'), 'utf8'))).toMatchObject({
    mode: 'manual',
    url: squid.url,
  });

  // Signing in, the proxy asks: a wrong password is refused and asked again.
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Proxy sign-in' });
  await expect(dialog).toContainText(`The proxy server ${squid.url} asks for a user name`);
  await expect(dialog).toContainText('Kura test proxy');
  await dialog.getByLabel('User name').fill(user.name);
  await dialog.getByLabel('Password').fill('wrong');
  await dialog.getByRole('button', { name: 'Sign in to the proxy' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'The proxy refused the user name and password. Check them and try again.',
  );
  // Cancelled: the sign-in says what the proxy wants, in words.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText(`The proxy server ${squid.url} refused`)).toBeVisible();
  expect(await secrets.get(`proxy:${squid.url}`)).toBeNull();

  // In Japanese this time, with the right password.
  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  const ja = page.getByRole('dialog', { name: 'プロキシへのサインイン' });
  await expect(ja).toContainText(
    `プロキシサーバー ${squid.url} がユーザー名とパスワードを求めています`,
  );
  await ja.getByLabel('ユーザー名').fill(user.name);
  await ja.getByLabel('パスワード').fill(user.password);
  await ja.getByRole('button', { name: 'プロキシにサインイン' }).click();
  await expect(ja).toHaveCount(0);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByText(`Signed in as ${DEMO.email}`)).toBeVisible();
  expect(JSON.parse((await secrets.get(`proxy:${squid.url}`))!)).toEqual({
    username: user.name,
    password: user.password,
  });

  // Listing and a download go through the proxy (the direct route is closed).
  const before = squid.accessLog().length;
  const t = await call<TransferView>(page, 'download', aws.bucket, 'README.txt');
  await expect(rowOf(page, 'README.txt')).toContainText('Done');
  expect((await transferOf(page, t.id)).state).toBe('done');
  expect(existsSync(join(kura.downloadsDir, 'README.txt'))).toBe(true);
  expect(
    squid
      .accessLog()
      .slice(before)
      .some((l) => l.includes('README.txt')),
  ).toBe(true);

  // A new launch: the setting and the keychain answer, nobody is asked.
  await kura.stop();
  kura = await launchKura({ secrets, env: {}, dataDir });
  await page.goto(kura.transport.url);
  await expect(page.getByText(`Signed in as ${DEMO.email}`)).toBeVisible();
  await call(page, 'listFolder', aws.bucket, '');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await secrets.delete(`proxy:${squid.url}`);
});

test('an organisation CA Kura does not know: the refused certificate named (en/ja); trusted from the profile', async ({
  page,
  secrets,
}) => {
  aws = await demoAws({ tls: true });
  kura = await launchKura({ secrets, env: {} });
  await page.goto(kura.transport.url);
  await importProfile(page, aws.profile);
  await signInWith(page, DEMO.email, DEMO.password);
  await expect(
    page.getByText(
      'Kura refused the certificate of 127.0.0.1 (“127.0.0.1”, issued by “local-aws test CA”): its issuer is not a certificate authority this computer trusts.',
    ),
  ).toBeVisible();
  // Errors are worded when they happen: in Japanese, the next attempt says it in Japanese.
  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  await expect(
    page.getByText(
      'Kura は 127.0.0.1（「127.0.0.1」、発行者「local-aws test CA」）: 発行者がこのコンピューターで信頼されている認証局ではありません',
    ),
  ).toBeVisible();
  await kura.stop();

  // The same servers, the CA in the profile (caBundle): signed in, a download done.
  kura = await openSignedIn(page, { ...aws.profile, caBundle: aws.ca!.pem }, secrets);
  await call<TransferView>(page, 'download', aws.bucket, 'README.txt');
  await expect(rowOf(page, 'README.txt')).toContainText('Done');
  expect(existsSync(join(kura.downloadsDir, 'README.txt'))).toBe(true);
});

test('a clock 20 minutes off: signed in and downloading all the same, and the window tells it', async ({
  page,
  secrets,
}) => {
  aws = await demoAws();
  aws.clock.setSkew(20 * 60 * 1000);
  kura = await openSignedIn(page, aws.profile, secrets);
  await expect(
    page.getByText("This computer's clock is 20 minutes behind the servers'"),
  ).toBeVisible();
  await call<TransferView>(page, 'download', aws.bucket, 'README.txt');
  await expect(rowOf(page, 'README.txt')).toContainText('Done');
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(
    page.getByText('このコンピューターの時計はサーバーより 20 分遅れています'),
  ).toBeVisible();
});

/**
 * Sign-in through the organisation, end to end: local-aws's hosted pages in Chromium (the PKCE
 * flow), and the app over the browser transport where "the system browser" is a second
 * Playwright page — sign in through the federated test provider, browse, download, restart
 * without a password, sign out (refresh token revoked, no keychain item). And the CLI:
 * `kura login --sso --no-browser`, its URL completed in Chromium, then whoami and ls without a
 * prompt.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { kura as runKura, kuraArgs, root } from '../test/helpers/cli';
import {
  keychainProblem,
  launchKura,
  test,
  expect,
  type KuraInstance,
  openFolder,
  openWithProfile,
} from './fixtures';

let kura: KuraInstance | undefined;
test.afterEach(async () => {
  await kura?.stop();
  kura = undefined;
});

/** The test identity provider's user, as admin.json lists them. */
const idpUser = (aws: {
  admin: { identityProviderUsers?: { email: string; password: string; name: string }[] };
}) => aws.admin.identityProviderUsers![0]!;

/** Signs in on the test IdP's own page (the "system browser" page). */
async function signInAtIdp(browser: Page, user: { email: string; password: string }) {
  await expect(browser.getByRole('heading', { name: 'Test IdP — sign in' })).toBeVisible();
  await browser.getByLabel('Email').fill(user.email);
  await browser.getByLabel('Password').fill(user.password);
  await browser.getByRole('button', { name: 'Sign in to Test IdP' }).click();
}

test('local-aws: a PKCE flow through the hosted page in Chromium, then the code exchanged with the verifier', async ({
  page,
  aws,
}) => {
  // The app's side of RFC 8252, played by the test: a loopback listener and a verifier.
  let received: (u: URL) => void = () => undefined;
  const got = new Promise<URL>((resolve) => (received = resolve));
  const server = createServer((req, res) => {
    res.end('ok');
    server.close();
    received(new URL(req.url!, 'http://127.0.0.1'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address() as AddressInfo;
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = `http://127.0.0.1:${address.port}/callback`;
  const domain = aws.profile.managedLogin!.domain;
  const authorize = new URL('/oauth2/authorize', domain);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: aws.profile.userPoolClientId,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state: 'e2e-state',
    nonce: 'e2e-nonce',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }))
    authorize.searchParams.set(k, v);

  await page.goto(authorize.toString());
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill('demo@example.com');
  await page.getByLabel('Password').fill('Kura-Demo-2026!');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const back = await got;
  expect(back.searchParams.get('state')).toBe('e2e-state');
  const res = await fetch(`${domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: aws.profile.userPoolClientId,
      code: back.searchParams.get('code')!,
      code_verifier: verifier,
      redirect_uri: redirectUri,
    }),
  });
  const tokens = (await res.json()) as { id_token: string };
  expect(decodeJwt(tokens.id_token)).toMatchObject({
    email: 'demo@example.com',
    nonce: 'e2e-nonce',
  });
});

test('signs in through the federated test provider in the system browser, browses, downloads, stays signed in across a restart, and signs out (refresh token revoked, no keychain item)', async ({
  page,
  aws,
  secrets,
}) => {
  test.skip(
    keychainProblem !== undefined,
    `no usable keychain here (${keychainProblem}); npm test runs e2e inside scripts/with-keyring.sh`,
  );
  kura = await openWithProfile(page, aws.profile, secrets);
  await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'in your web browser' })).toContainText(
    'Continue signing in with Test IdP in your web browser.',
  );
  // The "system browser": main asked the desktop to open this URL.
  const desktop = kura.desktop;
  await expect.poll(() => desktop.external.length).toBe(1);
  const browser = await page.context().newPage();
  await browser.goto(desktop.external[0]!);
  await signInAtIdp(browser, idpUser(aws));
  await expect(browser.getByText('You are signed in to Kura.')).toBeVisible();
  await browser.close();

  await expect(page.getByText(`Signed in as ${idpUser(aws).email}`)).toBeVisible();
  expect(desktop.focused).toBe(1);
  // Browse and download, with the same identity-pool credentials a password sign-in gets.
  await openFolder(page, 'docs');
  await page.getByRole('button', { name: 'Download: manual.pdf' }).click();
  await expect(page.getByRole('complementary', { name: 'Downloads' })).toContainText('Done');
  const saved = readFileSync(join(kura.downloadsDir, 'manual.pdf'));
  expect(saved.subarray(0, 5).toString()).toBe('%PDF-');

  // Restart: no browser, no password.
  const { dataDir, downloadsDir } = kura;
  await kura.stop();
  kura = await launchKura({ dataDir, downloadsDir, secrets });
  await page.goto(kura.transport.url);
  await expect(page.getByText(`Signed in as ${idpUser(aws).email}`)).toBeVisible();
  expect(kura.desktop.external).toEqual([]);

  const profileId = (
    JSON.parse(readFileSync(join(dataDir, 'profiles.json'), 'utf8')) as { activeId: string }
  ).activeId;
  const { refreshToken } = JSON.parse((await secrets.get(profileId))!) as { refreshToken: string };
  // Sign out from the account menu, out of the organisation in the browser too.
  await page.getByRole('button', { name: 'Account' }).click();
  const menu = page.getByRole('dialog', { name: 'Account' });
  await expect(menu).toContainText('through your organisation’s sign-in');
  await expect(menu).toContainText('Managed by your organisation’s sign-in.');
  await menu.getByLabel('Also sign out of your organisation in the browser').check();
  await menu.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(await secrets.get(profileId)).toBeNull();
  const refresh = await fetch(`${aws.profile.managedLogin!.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: aws.profile.userPoolClientId,
      refresh_token: refreshToken,
    }),
  });
  expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
  // The browser is sent to /logout, and comes back to a page Kura serves once.
  await expect.poll(() => kura!.desktop.external.length).toBe(1);
  const logout = new URL(kura.desktop.external[0]!);
  expect(logout.pathname).toBe('/logout');
  const browser2 = await page.context().newPage();
  await browser2.goto(logout.toString());
  await expect(
    browser2.getByText('You are signed out of your organisation in this browser.'),
  ).toBeVisible();
});

test('Cancel stops waiting for the browser (nothing listens any more); the same button starts a new sign-in', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openWithProfile(page, aws.profile, secrets);
  await page.getByRole('button', { name: 'Sign in with local-aws managed login' }).click();
  const desktop = kura.desktop;
  await expect.poll(() => desktop.external.length).toBe(1);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(
    page.getByRole('button', { name: 'Sign in with local-aws managed login' }),
  ).toBeVisible();
  const stale = kura.desktop.external[0]!;
  const redirect = new URL(new URL(stale).searchParams.get('redirect_uri')!);
  // Nothing listens for that sign-in any more.
  await expect(
    fetch(redirect).then(
      () => 'answered',
      () => 'refused',
    ),
  ).resolves.toBe('refused');
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Again, this time to the end: the hosted page's own form.
  await page.getByRole('button', { name: 'Sign in with local-aws managed login' }).click();
  await expect.poll(() => desktop.external.length).toBe(2);
  expect(new URL(desktop.external[1]!).searchParams.get('state')).not.toBe(
    new URL(stale).searchParams.get('state'),
  );
  const browser = await page.context().newPage();
  await browser.goto(desktop.external[1]!);
  await browser.getByLabel('Email').fill('demo@example.com');
  await browser.getByLabel('Password').fill('Kura-Demo-2026!');
  await browser.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(browser.getByText('You are signed in to Kura.')).toBeVisible();
  await expect(page.getByText('Signed in as demo@example.com')).toBeVisible();
});

test('CLI: kura login --sso --no-browser prints the URL; completed in the browser, whoami and ls run in new processes without a prompt', async ({
  page,
  aws,
}) => {
  test.skip(
    keychainProblem !== undefined,
    `no usable keychain here (${keychainProblem}); npm test runs e2e inside scripts/with-keyring.sh`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'kura-cli-sso-'));
  const profilePath = aws.profilePath;
  const child = spawn(
    process.execPath,
    kuraArgs(['--profile', profilePath, 'login', '--sso', '--no-browser']),
    {
      cwd: root,
      env: { ...process.env, KURA_DATA_DIR: dataDir, KURA_LANG: 'en', NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /Open this URL to sign in: (\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`kura exited: ${stderr}`)));
  });
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code) => resolve(code ?? -1)),
  );
  await page.goto(url);
  await signInAtIdp(page, idpUser(aws));
  await expect(page.getByText('You are signed in to Kura.')).toBeVisible();
  expect(await exited).toBe(0);
  expect(stderr).toContain(`Signed in as ${idpUser(aws).email}.`);

  // New processes, stdin closed: nothing may be asked.
  const who = await runKura(dataDir, ['whoami', '--json']);
  expect(who.code, who.stderr).toBe(0);
  expect(JSON.parse(who.stdout)).toMatchObject({ email: idpUser(aws).email });
  const ls = await runKura(dataDir, ['ls', `s3://${aws.bucket}/docs/`]);
  expect(ls.code, ls.stderr).toBe(0);
  expect(ls.stdout).toContain('manual.pdf');
  const out = await runKura(dataDir, ['logout']);
  expect(out.code, out.stderr).toBe(0);
});

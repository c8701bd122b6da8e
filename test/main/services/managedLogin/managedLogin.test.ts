/**
 * Sign-in through the organisation (managed login) in main, against local-aws's hosted pages and
 * the real keychain: the browser is a form client that follows what main opens. What RFC 8252
 * and RFC 7636 ask of a native app: a fresh state, nonce and S256 verifier each time, the
 * redirect on a loopback port taken once with its state checked, the ID token verified — and
 * nothing left behind by a cancel, a timeout or a refusal.
 */
import { composeCore } from '../../../../src/main/compose/core';
import { createConnection } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../../local-aws/server';
import { TokenSigner } from '../../../../local-aws/cognito/tokens';
import type { BrowserHooks } from '../../../../src/main/services/managedLogin/browserSignIn';
import { ManagedLoginClient } from '../../../../src/main/services/managedLogin/managedLoginClient';
import { MemorySecretStore, type SecretStore } from '../../../../src/main/services/secretStore';
import { FormBrowser } from '../../../helpers/formBrowser';
import { keychainSkipReason, tempDir, testKeychain } from '../../../helpers/kura';
import { createConfirmedUser, startTestAws } from '../../../helpers/localAws';

const PASSWORD = 'Browser-Sign-In-4!';
const EMAIL = 'browser.user@example.com';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startTestAws();
  createConfirmedUser(aws, EMAIL, PASSWORD);
});
afterAll(() => aws.stop());

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (e: { code?: string }) => e.code,
  );

/** What main opened, and a browser that can finish it: the pool user's form, or the test IdP's. */
function browserHooks() {
  const opened: string[] = [];
  let next: ((url: string) => void) | null = null;
  const hooks: BrowserHooks & { focused: number } = {
    focused: 0,
    open(url) {
      opened.push(url);
      next?.(url);
      return Promise.resolve();
    },
    focus() {
      hooks.focused++;
    },
  };
  /** The next URL main opens. */
  const nextUrl = () => new Promise<string>((resolve) => (next = resolve));
  return { hooks, opened, nextUrl };
}

/** Follows an authorize URL as a person would: signs in on the page it shows, returns to the app. */
async function completeInBrowser(url: string, as: 'pool' | 'idp' = 'pool') {
  const browser = new FormBrowser();
  const page = await browser.go(url);
  const fields: Record<string, string> =
    as === 'pool'
      ? { username: EMAIL, password: PASSWORD }
      : {
          email: aws.admin.identityProviderUsers![0]!.email,
          password: aws.admin.identityProviderUsers![0]!.password,
        };
  return browser.submit(page, fields);
}

function newCore(
  secrets: SecretStore,
  hooks: BrowserHooks,
  dataDir = tempDir('kura-data-'),
  timeoutMs?: number,
  now?: () => number,
) {
  const { core } = composeCore({
    dataDir,
    secrets,
    browser: hooks,
    browserSignInTimeoutMs: timeoutMs,
    ...(now ? { now } : {}),
  });
  core.profiles.add(aws.profile);
  return { core, dataDir };
}

const portIsClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

describe.skipIf(keychainSkipReason)('sign-in through the organisation (the keychain)', () => {
  it('opens /oauth2/authorize with code, S256, a fresh state and nonce, and the provider; stores the session like a password one; restores it without the browser; signs out with /oauth2/revoke', async () => {
    const secrets = testKeychain();
    const b = browserHooks();
    const { core, dataDir } = newCore(secrets, b.hooks);
    const { session, profileId } = core.active();
    expect(session.browserSignInProviders.map((p) => p.label)).toEqual([
      'Test IdP',
      'local-aws managed login',
    ]);

    const opened = b.nextUrl();
    const signingIn = session.signInWithBrowser(0);
    const url = new URL(await opened);
    expect(session.view()).toMatchObject({
      status: 'signedOut',
      browserSignIn: { label: 'Test IdP' },
    });
    const q = url.searchParams;
    expect(`${url.origin}${url.pathname}`).toBe(
      `${aws.profile.managedLogin!.domain}/oauth2/authorize`,
    );
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(aws.profile.userPoolClientId);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')).toMatch(/^[\w-]{43}$/);
    expect(q.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(q.get('identity_provider')).toBe('TestIdP');
    expect(q.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const back = await completeInBrowser(url.toString(), 'idp');
    expect(back.html).toContain('You are signed in to Kura');
    const view = await signingIn;
    expect(view).toMatchObject({
      status: 'signedIn',
      email: 'federated@example.com',
      managedLogin: true,
    });
    expect(b.hooks.focused).toBe(1);
    // The listener is gone once the redirect came.
    expect(await portIsClosed(Number(new URL(q.get('redirect_uri')!).port))).toBe(true);

    // A second sign-in uses a new state, nonce and verifier.
    const stored = JSON.parse((await secrets.get(profileId))!) as {
      refreshToken: string;
      via: string;
    };
    expect(stored.via).toBe('managedLogin');
    // The same identity-pool exchange and locations as a password sign-in.
    expect((await core.active().access.current().locations()).length).toBeGreaterThan(0);

    // "Restart": a new core on the same folders refreshes through the token endpoint, no browser.
    const again = newCore(secrets, browserHooks().hooks, dataDir).core.active().session;
    expect(await again.restore()).toMatchObject({ status: 'signedIn', managedLogin: true });
    const idToken = await again.idToken();
    expect(decodeJwt(idToken)['cognito:username']).toMatch(/^TestIdP_/);

    await again.signOut(false);
    expect(await secrets.get(profileId)).toBeNull();
    const refused = await fetch(`${aws.profile.managedLogin!.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: aws.profile.userPoolClientId,
        refresh_token: stored.refreshToken,
      }),
    });
    expect(await refused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('keeps a rotated refresh token (the pool rotates at the token endpoint)', async () => {
    const secrets = testKeychain();
    const b = browserHooks();
    const { core, dataDir } = newCore(secrets, b.hooks);
    const { session, profileId } = core.active();
    const opened = b.nextUrl();
    const signingIn = session.signInWithBrowser(1);
    await completeInBrowser(await opened);
    await signingIn;
    const first = JSON.parse((await secrets.get(profileId))!) as { refreshToken: string };
    aws.applySettings({ refreshTokenRotation: true });
    try {
      // A start 56 minutes on: the kept tokens are due for renewal, so the pool is asked.
      const later = () => Date.now() + 56 * 60_000;
      const restored = newCore(secrets, b.hooks, dataDir, undefined, later).core.active().session;
      expect(await restored.restore()).toMatchObject({ status: 'signedIn' });
      const second = JSON.parse((await secrets.get(profileId))!) as { refreshToken: string };
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await restored.signOut(false);
    } finally {
      aws.applySettings({ refreshTokenRotation: false });
    }
  });
});

describe('what a browser sign-in refuses, and leaves behind', () => {
  it('refuses a redirect without this sign-in’s state (missing or altered): nothing is signed in, and the real one still completes', async () => {
    const secrets = new MemorySecretStore();
    const b = browserHooks();
    const { core } = newCore(secrets, b.hooks);
    const { session, profileId } = core.active();
    const opened = b.nextUrl();
    const signingIn = session.signInWithBrowser(1);
    const url = new URL(await opened);
    const redirectUri = url.searchParams.get('redirect_uri')!;

    // An attacker's own code, delivered to Kura's listener (login CSRF, RFC 6749 §10.12).
    const attackerUrl = new URL(url);
    attackerUrl.searchParams.set('redirect_uri', 'http://127.0.0.1:1/callback');
    const attacker = new FormBrowser((u) => u.port === '1');
    const got = await attacker.submit(await attacker.go(attackerUrl.toString()), {
      username: EMAIL,
      password: PASSWORD,
    });
    const stolenCode = got.stoppedAt!.searchParams.get('code')!;
    for (const forged of [
      `${redirectUri}?code=${stolenCode}`,
      `${redirectUri}?code=${stolenCode}&state=${url.searchParams.get('state')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
    ]) {
      const res = await fetch(forged);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('not started by Kura');
    }
    expect(session.view().status).toBe('signedOut');
    expect(await secrets.get(profileId)).toBeNull();

    await completeInBrowser(url.toString());
    expect(await signingIn).toMatchObject({ status: 'signedIn', email: EMAIL });
  });

  it('cancel closes the listener and keeps nothing', async () => {
    const secrets = new MemorySecretStore();
    const b = browserHooks();
    const { session, profileId } = newCore(secrets, b.hooks).core.active();
    const opened = b.nextUrl();
    const signingIn = codeOf(session.signInWithBrowser(0));
    const port = Number(new URL(new URL(await opened).searchParams.get('redirect_uri')!).port);
    expect(await portIsClosed(port)).toBe(false);
    expect(session.cancelBrowserSignIn()).toEqual({ status: 'signedOut' });
    expect(await signingIn).toBe('CANCELLED');
    expect(await portIsClosed(port)).toBe(true);
    expect(await secrets.get(profileId)).toBeNull();
  });

  it('a sign-in not finished in time ends the same way (SIGN_IN_TIMEOUT)', async () => {
    const secrets = new MemorySecretStore();
    const b = browserHooks();
    const { session, profileId } = newCore(
      secrets,
      b.hooks,
      tempDir('kura-data-'),
      200,
    ).core.active();
    const opened = b.nextUrl();
    const signingIn = codeOf(session.signInWithBrowser(1));
    const port = Number(new URL(new URL(await opened).searchParams.get('redirect_uri')!).port);
    expect(await signingIn).toBe('SIGN_IN_TIMEOUT');
    expect(session.view()).toEqual({ status: 'signedOut' });
    expect(await portIsClosed(port)).toBe(true);
    expect(await secrets.get(profileId)).toBeNull();
  });

  it('refuses an ID token that does not carry this sign-in’s nonce', async () => {
    const secrets = new MemorySecretStore();
    const b = browserHooks();
    const { session, profileId } = newCore(secrets, b.hooks).core.active();
    const opened = b.nextUrl();
    const signingIn = codeOf(session.signInWithBrowser(1));
    const url = new URL(await opened);
    url.searchParams.set('nonce', 'a-nonce-this-sign-in-never-sent-aaaaaaaaaaaaa');
    await completeInBrowser(url.toString());
    expect(await signingIn).toBe('SIGN_IN_UNTRUSTED');
    expect(await secrets.get(profileId)).toBeNull();
  });

  it('says what the authorization server refused, in words, when it sends an error back', async () => {
    const b = browserHooks();
    const { session } = newCore(new MemorySecretStore(), b.hooks).core.active();
    const opened = b.nextUrl();
    const signingIn = codeOf(session.signInWithBrowser(1));
    const url = new URL(await opened);
    url.searchParams.set('scope', 'openid not-a-scope');
    const res = await fetch(url, { redirect: 'manual' });
    await fetch(res.headers.get('location')!);
    expect(await signingIn).toBe('BROWSER_SIGN_IN_FAILED');
  });

  it('verifies ID tokens: signature (the pool’s JWKS), issuer, audience, expiry, use', async () => {
    const client = new ManagedLoginClient(aws.profile);
    const p = aws.profile;
    const issuer = `https://cognito-idp.${p.region}.amazonaws.com/${p.userPoolId}`;
    const pool = await TokenSigner.create(aws.state.data.signingKey, issuer);
    const now = Math.floor(Date.now() / 1000);
    const good = { sub: 'u', aud: p.userPoolClientId, token_use: 'id', nonce: 'n' };
    expect(await codeOf(client.verifyIdToken(await pool.sign(good, now, 300), 'n'))).toBe(
      'allowed',
    );
    const other = await TokenSigner.create(
      {
        ...(await import('../../../../local-aws/cognito/tokens').then((m) =>
          m.createKeyMaterial(),
        )),
        kid: aws.state.data.signingKey.kid,
      },
      issuer,
    );
    const cases: [string, Promise<string>][] = [
      ['another key, same kid', other.sign(good, now, 300)],
      [
        'another issuer',
        TokenSigner.create(aws.state.data.signingKey, 'https://evil.example/pool').then((s) =>
          s.sign(good, now, 300),
        ),
      ],
      ['another audience', pool.sign({ ...good, aud: 'someoneelse' }, now, 300)],
      ['expired', pool.sign(good, now - 7200, 3600)],
      ['an access token', pool.sign({ ...good, token_use: 'access' }, now, 300)],
    ];
    for (const [name, token] of cases)
      expect(await codeOf(client.verifyIdToken(await token, 'n')), name).toBe('SIGN_IN_UNTRUSTED');
  });

  it('tries the fixed ports a profile names, and says so when all are taken', async () => {
    const { createServer } = await import('node:net');
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const taken = (busy.address() as { port: number }).port;
    try {
      const b = browserHooks();
      const profile = {
        ...aws.profile,
        managedLogin: { ...aws.profile.managedLogin!, redirectPorts: [taken] },
      };
      const { core } = composeCore({
        dataDir: tempDir('kura-data-'),
        secrets: new MemorySecretStore(),
        browser: b.hooks,
      });
      core.profiles.add(profile);
      expect(await codeOf(core.active().session.signInWithBrowser(1))).toBe('REDIRECT_PORT_BUSY');
      expect(b.opened).toEqual([]);
    } finally {
      busy.close();
    }
  });
});

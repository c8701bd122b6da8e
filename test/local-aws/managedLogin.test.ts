/**
 * local-aws's managed login, judged by real clients: a browser-like form client through the
 * hosted pages, plain OAuth token requests, jose against the published JWKS, the AWS SDK for the
 * federated user and the identity pool. The refusals RFC 6749 and RFC 7636 require, and
 * federation through the test OIDC provider (first sign-in creates the user, attributes mapped).
 */
import { createHash, randomBytes } from 'node:crypto';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { FormBrowser } from '../helpers/formBrowser';
import {
  adminCall,
  adminIdp,
  createConfirmedUser,
  roleCredentials,
  startTestAws,
} from '../helpers/localAws';

const PASSWORD = 'Managed-Login-9!';
const EMAIL = 'pkce.user@example.com';
const APP = 'http://127.0.0.1:49321/callback';

let aws: LocalAws;
let domain: string;
let clientId: string;

beforeAll(async () => {
  aws = await startTestAws();
  domain = aws.profile.managedLogin!.domain;
  clientId = aws.profile.userPoolClientId;
  createConfirmedUser(aws, EMAIL, PASSWORD);
});
afterAll(() => aws.stop());

const verifierAndChallenge = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

function authorizeUrl(o: {
  challenge?: string;
  state?: string;
  nonce?: string;
  redirectUri?: string;
  extra?: Record<string, string>;
}) {
  const u = new URL('/oauth2/authorize', domain);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', clientId);
  u.searchParams.set('redirect_uri', o.redirectUri ?? APP);
  u.searchParams.set('scope', 'openid email profile aws.cognito.signin.user.admin');
  if (o.state) u.searchParams.set('state', o.state);
  if (o.nonce) u.searchParams.set('nonce', o.nonce);
  if (o.challenge) {
    u.searchParams.set('code_challenge', o.challenge);
    u.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [k, v] of Object.entries(o.extra ?? {})) u.searchParams.set(k, v);
  return u.toString();
}

const isApp = (u: URL) => u.hostname === '127.0.0.1' && u.pathname === '/callback';

/** Signs in on the hosted page as a pool user; returns where the browser was sent back to. */
async function hostedSignIn(
  browser: FormBrowser,
  url: string,
  email = EMAIL,
  password = PASSWORD,
): Promise<URL> {
  const page = await browser.go(url);
  if (page.stoppedAt) return page.stoppedAt;
  const after = await browser.submit(page, { username: email, password });
  if (!after.stoppedAt) throw new Error(`not sent back to the app: ${after.status} ${after.html}`);
  return after.stoppedAt;
}

function token(form: Record<string, string>) {
  return fetch(`${domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
}

async function codeFor(o: { redirectUri?: string; nonce?: string } = {}) {
  const pkce = verifierAndChallenge();
  const state = randomBytes(16).toString('base64url');
  const back = await hostedSignIn(
    new FormBrowser(isApp),
    authorizeUrl({ ...pkce, state, nonce: o.nonce, redirectUri: o.redirectUri }),
  );
  expect(back.searchParams.get('state')).toBe(state);
  return { code: back.searchParams.get('code')!, ...pkce, redirectUri: o.redirectUri ?? APP };
}

const exchange = (c: { code: string; verifier: string; redirectUri: string }) =>
  token({
    grant_type: 'authorization_code',
    client_id: clientId,
    code: c.code,
    code_verifier: c.verifier,
    redirect_uri: c.redirectUri,
  });

describe('managed login (authorization code + PKCE)', () => {
  it('publishes OIDC discovery at the issuer, naming the domain’s endpoints and the JWKS', async () => {
    const p = aws.profile;
    const res = await fetch(`${aws.url}/${p.userPoolId}/.well-known/openid-configuration`);
    const d = (await res.json()) as Record<string, unknown>;
    expect(d).toMatchObject({
      issuer: `https://cognito-idp.${p.region}.amazonaws.com/${p.userPoolId}`,
      authorization_endpoint: `${domain}/oauth2/authorize`,
      token_endpoint: `${domain}/oauth2/token`,
      revocation_endpoint: `${domain}/oauth2/revoke`,
      userinfo_endpoint: `${domain}/oauth2/userInfo`,
      end_session_endpoint: `${domain}/logout`,
      jwks_uri: `${aws.url}/${p.userPoolId}/.well-known/jwks.json`,
    });
  });

  it('signs a pool user in on a plain page (labelled Email and Password), then exchanges the code with the verifier for tokens the JWKS verifies', async () => {
    const page = await new FormBrowser(isApp).go(
      authorizeUrl({ ...verifierAndChallenge(), state: 's' }),
    );
    expect(new URL(page.url).pathname).toBe('/login');
    expect(FormBrowser.labels(page.html)).toEqual(['Email', 'Password']);
    expect(page.html).toContain('Sign in with TestIdP');

    const nonce = randomBytes(16).toString('base64url');
    const c = await codeFor({ nonce });
    const res = await exchange(c);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const t = (await res.json()) as Record<string, string>;
    expect(Object.keys(t).sort()).toEqual(
      ['access_token', 'expires_in', 'id_token', 'refresh_token', 'token_type'].sort(),
    );
    const p = aws.profile;
    const jwks = createRemoteJWKSet(new URL(`${aws.url}/${p.userPoolId}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(t.id_token!, jwks, {
      issuer: `https://cognito-idp.${p.region}.amazonaws.com/${p.userPoolId}`,
      audience: clientId,
    });
    expect(payload).toMatchObject({ email: EMAIL, nonce, token_use: 'id' });
    const access = decodeJwt(t.access_token!);
    expect(String(access.scope).split(' ').sort()).toEqual(
      ['aws.cognito.signin.user.admin', 'email', 'openid', 'profile'].sort(),
    );
    // The identity pool takes the managed-login ID token as it takes an SRP one.
    const creds = await roleCredentials(aws, t.id_token!);
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    // userInfo answers for the access token.
    const info = await fetch(`${domain}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    expect(await info.json()).toMatchObject({ sub: payload.sub, email: EMAIL });
  });

  it('refuses a wrong verifier, a missing one, and then the code itself (spent by the first try)', async () => {
    const c = await codeFor();
    const wrong = await exchange({ ...c, verifier: verifierAndChallenge().verifier });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await (await exchange(c)).json()).toMatchObject({ error: 'invalid_grant' });

    const d = await codeFor();
    const missing = await token({
      grant_type: 'authorization_code',
      client_id: clientId,
      code: d.code,
      redirect_uri: d.redirectUri,
    });
    expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a code used twice, and revokes the tokens the first use gave', async () => {
    const c = await codeFor();
    const first = (await (await exchange(c)).json()) as { refresh_token: string };
    const again = await exchange(c);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
    const refresh = await token({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: first.refresh_token,
    });
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a code after five minutes, at another redirect URI, or for another client', async () => {
    const late = await codeFor();
    await adminCall(aws, 'POST', 'clock', { skewMs: 5 * 60 * 1000 + 1000 });
    try {
      expect(await (await exchange(late)).json()).toMatchObject({ error: 'invalid_grant' });
    } finally {
      await adminCall(aws, 'POST', 'clock', { skewMs: 0 });
    }
    const elsewhere = await codeFor();
    const moved = await exchange({ ...elsewhere, redirectUri: 'http://127.0.0.1:49322/callback' });
    expect(await moved.json()).toMatchObject({ error: 'invalid_grant' });
    const other = await codeFor();
    const res = await token({
      grant_type: 'authorization_code',
      client_id: 'someotherclient',
      code: other.code,
      code_verifier: other.verifier,
      redirect_uri: other.redirectUri,
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('matches redirect URIs exactly, a loopback IP literal with any port (RFC 8252 §7.3), and never redirects to a foreign one', async () => {
    for (const ok of ['http://127.0.0.1:1024/callback', 'http://127.0.0.1:65535/callback']) {
      const back = await hostedSignIn(new FormBrowser(isApp), authorizeUrl({ redirectUri: ok }));
      expect(back.toString().startsWith(ok)).toBe(true);
    }
    for (const foreign of [
      'https://attacker.example/callback',
      'http://localhost:49321/callback',
      'http://127.0.0.1:49321/callback/',
      'http://127.0.0.1:49321/callbackx',
      'http://127.0.0.1:49321/callback?x=1',
      'http://127.0.0.2:49321/callback',
      'http://127.0.0.1:0/callback',
    ]) {
      const res = await fetch(authorizeUrl({ redirectUri: foreign, state: 'x' }), {
        redirect: 'manual',
      });
      expect(res.status, foreign).toBe(400);
      expect(res.headers.get('location'), foreign).toBeNull();
      expect(await res.text()).toContain('redirect_mismatch');
    }
  });

  it('sends request errors back to the app with its state: no S256, implicit grant, unknown scope, unknown provider', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: 'x'.repeat(43) }, 'invalid_request'],
      [{ response_type: 'token' }, 'unauthorized_client'],
      [{ scope: 'openid admin:everything' }, 'invalid_scope'],
      [{ identity_provider: 'Nobody' }, 'invalid_request'],
    ];
    for (const [extra, error] of cases) {
      const res = await fetch(authorizeUrl({ state: 'keep-me', extra }), { redirect: 'manual' });
      expect(res.status, JSON.stringify(extra)).toBe(302);
      const back = new URL(res.headers.get('location')!);
      expect(`${back.origin}${back.pathname}`).toBe(APP);
      expect(back.searchParams.get('error')).toBe(error);
      expect(back.searchParams.get('state')).toBe('keep-me');
    }
  });

  it('refreshes through the token endpoint, rotating the refresh token when the client rotates', async () => {
    const t = (await (await exchange(await codeFor())).json()) as { refresh_token: string };
    const plain = (await (
      await token({
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: t.refresh_token,
      })
    ).json()) as Record<string, string>;
    expect(plain.id_token).toBeTruthy();
    expect(plain.refresh_token).toBeUndefined();
    aws.applySettings({ refreshTokenRotation: true });
    try {
      const rotated = (await (
        await token({
          grant_type: 'refresh_token',
          client_id: clientId,
          refresh_token: t.refresh_token,
        })
      ).json()) as Record<string, string>;
      expect(rotated.refresh_token).toBeTruthy();
      expect(rotated.refresh_token).not.toBe(t.refresh_token);
      // The old one is spent (no grace period here); the new one works.
      const old = await token({
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: t.refresh_token,
      });
      expect(await old.json()).toMatchObject({ error: 'invalid_grant' });
      const next = await token({
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: rotated.refresh_token!,
      });
      expect(next.status).toBe(200);
    } finally {
      aws.applySettings({ refreshTokenRotation: false });
    }
  });

  it('revokes a refresh token at /oauth2/revoke (an access token is not revocable there)', async () => {
    const t = (await (await exchange(await codeFor())).json()) as Record<string, string>;
    const revoke = (tokenValue: string) =>
      fetch(`${domain}/oauth2/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: tokenValue, client_id: clientId }),
      });
    expect(await (await revoke(t.access_token!)).json()).toMatchObject({
      error: 'unsupported_token_type',
    });
    expect((await revoke(t.refresh_token!)).status).toBe(200);
    const after = await token({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: t.refresh_token!,
    });
    expect(await after.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('keeps a managed-login session until /logout, which goes only to a registered sign-out URL', async () => {
    const browser = new FormBrowser(isApp);
    await hostedSignIn(browser, authorizeUrl({ state: 'one' }));
    // Signed in on the domain: the next request comes straight back with a code.
    const again = await browser.go(authorizeUrl({ state: 'two' }));
    expect(again.stoppedAt?.searchParams.get('code')).toBeTruthy();

    const foreign = await browser.go(
      `${domain}/logout?client_id=${clientId}&logout_uri=${encodeURIComponent('https://attacker.example/')}`,
    );
    expect(foreign.status).toBe(400);
    browser.stopAt = (u) => u.pathname === '/signed-out';
    const gone = await browser.go(
      `${domain}/logout?client_id=${clientId}&logout_uri=${encodeURIComponent('http://127.0.0.1:50000/signed-out')}`,
    );
    expect(gone.stoppedAt?.toString()).toBe('http://127.0.0.1:50000/signed-out');
    browser.stopAt = isApp;
    const form = await browser.go(authorizeUrl({ state: 'three' }));
    expect(form.stoppedAt).toBeUndefined();
    expect(new URL(form.url).pathname).toBe('/login');
  });
});

describe('federation through the test OIDC provider', () => {
  const idpUser = () => aws.admin.identityProviderUsers![0]!;

  async function federatedSignIn(password = idpUser().password) {
    const browser = new FormBrowser(isApp);
    const pkce = verifierAndChallenge();
    const idpPage = await browser.go(
      authorizeUrl({ ...pkce, state: 'fed', extra: { identity_provider: 'TestIdP' } }),
    );
    expect(new URL(idpPage.url).origin).toBe(aws.testIdp!.url);
    expect(FormBrowser.labels(idpPage.html)).toEqual(['Email', 'Password']);
    const back = await browser.submit(idpPage, { email: idpUser().email, password });
    return { back, pkce };
  }

  it('creates the user on the first sign-in, maps the attributes, and signs the same user in again', async () => {
    const wrong = await federatedSignIn('Not-The-Password-1');
    expect(wrong.back.stoppedAt).toBeUndefined();
    expect(wrong.back.html).toContain('The email or password is not correct.');

    const { back, pkce } = await federatedSignIn();
    expect(back.stoppedAt?.searchParams.get('state')).toBe('fed');
    const t = (await (
      await exchange({
        code: back.stoppedAt!.searchParams.get('code')!,
        verifier: pkce.verifier,
        redirectUri: APP,
      })
    ).json()) as Record<string, string>;
    const id = decodeJwt(t.id_token!);
    const idpSub = aws.testIdp!.users.find((u) => u.email === idpUser().email)!.sub;
    expect(id['cognito:username']).toBe(`TestIdP_${idpSub}`);
    expect(id).toMatchObject({
      email: idpUser().email,
      name: idpUser().name,
      email_verified: true,
    });
    expect(id['cognito:groups']).toEqual([`${aws.profile.userPoolId}_TestIdP`]);
    expect(id.identities).toEqual([
      expect.objectContaining({ providerName: 'TestIdP', providerType: 'OIDC', userId: idpSub }),
    ]);
    const user = await adminIdp(aws).send(
      new AdminGetUserCommand({
        UserPoolId: aws.profile.userPoolId,
        Username: `TestIdP_${idpSub}`,
      }),
    );
    expect(user.UserStatus).toBe('EXTERNAL_PROVIDER');

    // The provider renames them; the next sign-in maps the new name onto the same user.
    aws.testIdp!.addUser({ ...idpUser(), name: 'Renamed At The Provider' });
    try {
      const second = await federatedSignIn();
      const t2 = (await (
        await exchange({
          code: second.back.stoppedAt!.searchParams.get('code')!,
          verifier: second.pkce.verifier,
          redirectUri: APP,
        })
      ).json()) as Record<string, string>;
      const id2 = decodeJwt(t2.id_token!);
      expect(id2.sub).toBe(id.sub);
      expect(id2.name).toBe('Renamed At The Provider');
    } finally {
      aws.testIdp!.addUser(idpUser());
    }
  });

  it('never signs a federated user in with a password (they have none in the pool)', async () => {
    const browser = new FormBrowser(isApp);
    const page = await browser.go(authorizeUrl({}));
    const after = await browser.submit(page, {
      username: `TestIdP_${aws.testIdp!.users[0]!.sub}`,
      password: idpUser().password,
    });
    expect(after.stoppedAt).toBeUndefined();
    expect(after.html).toContain('Incorrect username or password.');
  });
});

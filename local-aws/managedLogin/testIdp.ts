/**
 * A test OpenID Connect identity provider — local-aws's stand-in for an organisation's Entra ID
 * or Okta — on a loopback port of its own (its own origin, as a real provider is): discovery, a
 * sign-in page with labelled Email and Password fields, authorization codes, a token endpoint
 * (client_secret_post or client_secret_basic) and its JWKS. Its users are its own (not the user
 * pool's); they are listed, with their passwords, in admin.json. The managed-login server is its
 * only client, federating exactly as Cognito federates an OIDC provider.
 */
import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock';
import { createKeyMaterial, TokenSigner } from '../cognito/tokens';
import type { StateFile, TestIdpUser } from '../state';
import { cookie, readForm, redirect, sameSecret, sendOAuthJson, withQuery } from './http';
import { escapeHtml, hiddenFields, sendErrorPage, sendPage } from './pages';

/** The provider's name in the user pool (`identity_provider=TestIdP`) and on buttons. */
export const TEST_IDP_NAME = 'TestIdP';

/** Its users as admin.json lists them (passwords included: it is a test directory). */
export interface TestIdpUserInfo {
  email: string;
  password: string;
  name: string;
}

export const DEMO_IDP_USERS: TestIdpUserInfo[] = [
  { email: 'federated@example.com', password: 'Idp-Pass-2026!', name: 'Federated Demo User' },
];

interface PendingCode {
  sub: string;
  clientId: string;
  redirectUri: string;
  nonce?: string;
  expiresAt: number;
}

const hashPassword = (password: string, salt: string) =>
  scryptSync(password, salt, 32).toString('hex');

export class TestIdentityProvider {
  url = '';
  private server?: Server;
  private readonly codes = new Map<string, PendingCode>();
  private signer!: TokenSigner;

  constructor(
    private readonly state: StateFile,
    private readonly clock: Clock,
    /** The one client: the user pool (its provider settings' client id and secret). */
    readonly client: { id: string; secret: string; redirectUri: () => string },
  ) {}

  get users(): TestIdpUser[] {
    return (this.state.data.testIdpUsers ??= []);
  }

  /** Adds a user to the provider's directory (or sets the password of one it has). */
  addUser(u: TestIdpUserInfo): TestIdpUser {
    const salt = randomBytes(16).toString('hex');
    const existing = this.users.find((x) => x.email.toLowerCase() === u.email.toLowerCase());
    const user: TestIdpUser = existing ?? {
      sub: randomUUID(),
      email: u.email,
      name: u.name,
      salt,
      passwordHash: '',
    };
    user.name = u.name;
    user.salt = salt;
    user.passwordHash = hashPassword(u.password, salt);
    if (!existing) this.users.push(user);
    this.state.save(this.clock.now());
    return user;
  }

  async start(): Promise<void> {
    this.state.data.testIdpKey ??= await createKeyMaterial();
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        console.error('local-aws test IdP: unhandled error', err);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.signer = await TokenSigner.create(this.state.data.testIdpKey, this.url);
    this.state.save(this.clock.now());
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((done) => s.close(() => done()));
  }

  private async route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.url);
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /.well-known/openid-configuration':
        return sendOAuthJson(res, 200, {
          issuer: this.url,
          authorization_endpoint: `${this.url}/authorize`,
          token_endpoint: `${this.url}/token`,
          jwks_uri: `${this.url}/jwks.json`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'email', 'profile'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        });
      case 'GET /jwks.json':
        return sendOAuthJson(res, 200, this.signer.jwks());
      case 'GET /authorize':
        return this.authorizePage(res, url.searchParams);
      case 'POST /authorize':
        return this.signIn(req, res);
      case 'POST /token':
        return this.token(req, res);
      default:
        return sendErrorPage(res, 404, 'not_found', 'There is nothing here.');
    }
  }

  /** The checks every authorization request gets; a request that fails them is not redirected. */
  private checkRequest(q: URLSearchParams): string | null {
    if (q.get('client_id') !== this.client.id) return 'unknown client_id';
    if (q.get('redirect_uri') !== this.client.redirectUri())
      return 'redirect_uri is not registered';
    if (q.get('response_type') !== 'code') return 'response_type must be code';
    if (!(q.get('scope') ?? '').split(' ').includes('openid')) return 'scope must include openid';
    return null;
  }

  private authorizePage(res: ServerResponse, q: URLSearchParams, error?: string) {
    const problem = this.checkRequest(q);
    if (problem) return sendErrorPage(res, 400, 'invalid_request', problem);
    const csrf = randomBytes(16).toString('base64url');
    const carried = Object.fromEntries(
      ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce'].map((k) => [
        k,
        q.get(k) ?? undefined,
      ]),
    );
    sendPage(
      res,
      error ? 401 : 200,
      'Test IdP — sign in',
      `<h1>Test IdP — sign in</h1>
<p class="small">Your organisation's identity provider (local-aws's test stand-in).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/authorize">
      ${hiddenFields({ ...carried, _csrf: csrf })}
  <label for="idp-email">Email</label>
  <input id="idp-email" name="email" type="email" autocomplete="username" required autofocus>
  <label for="idp-password">Password</label>
  <input id="idp-password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in to Test IdP</button>
</form>`,
      { 'set-cookie': `local-aws-idp-csrf=${csrf}; HttpOnly; SameSite=Strict; Path=/` },
    );
  }

  private async signIn(req: IncomingMessage, res: ServerResponse) {
    const form = await readForm(req);
    if (!form) return sendErrorPage(res, 400, 'invalid_request', 'not a form');
    const problem = this.checkRequest(form);
    if (problem) return sendErrorPage(res, 400, 'invalid_request', problem);
    const csrf = cookie(req, 'local-aws-idp-csrf');
    if (!csrf || !sameSecret(csrf, form.get('_csrf') ?? ''))
      return sendErrorPage(
        res,
        403,
        'invalid_request',
        'The form expired. Go back and sign in again.',
      );
    const email = (form.get('email') ?? '').trim().toLowerCase();
    const user = this.users.find((u) => u.email.toLowerCase() === email);
    const password = form.get('password') ?? '';
    if (!user || !sameSecret(hashPassword(password, user.salt), user.passwordHash))
      return this.authorizePage(res, form, 'The email or password is not correct.');
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, {
      sub: user.sub,
      clientId: this.client.id,
      redirectUri: form.get('redirect_uri')!,
      nonce: form.get('nonce') ?? undefined,
      expiresAt: this.clock.now() + 60_000,
    });
    redirect(
      res,
      withQuery(form.get('redirect_uri')!, { code, state: form.get('state') ?? undefined }),
    );
  }

  private async token(req: IncomingMessage, res: ServerResponse) {
    const form = await readForm(req);
    if (!form) return sendOAuthJson(res, 400, { error: 'invalid_request' });
    let id = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic)
      [id = '', secret = ''] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    if (id !== this.client.id || !sameSecret(secret, this.client.secret))
      return sendOAuthJson(res, 401, { error: 'invalid_client' });
    if (form.get('grant_type') !== 'authorization_code')
      return sendOAuthJson(res, 400, { error: 'unsupported_grant_type' });
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (
      !pending ||
      pending.expiresAt < this.clock.now() ||
      pending.redirectUri !== form.get('redirect_uri')
    )
      return sendOAuthJson(res, 400, { error: 'invalid_grant' });
    const user = this.users.find((u) => u.sub === pending.sub);
    if (!user) return sendOAuthJson(res, 400, { error: 'invalid_grant' });
    const now = this.clock.nowSeconds();
    const idToken = await this.signer.sign(
      {
        sub: user.sub,
        aud: this.client.id,
        email: user.email,
        email_verified: true,
        name: user.name,
        ...(pending.nonce ? { nonce: pending.nonce } : {}),
      },
      now,
      300,
    );
    sendOAuthJson(res, 200, {
      id_token: idToken,
      access_token: randomBytes(24).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 300,
    });
  }
}

/**
 * Managed login on the user pool's domain — what Cognito serves at
 * `https://<prefix>.auth.<region>.amazoncognito.com` — on a loopback port of its own (its own
 * origin): `/oauth2/authorize`, `/login` (a plain sign-in page for pool users with labelled
 * Email and Password fields, and a button per federated provider), `/oauth2/idpresponse` (the
 * return from an OIDC provider), `/oauth2/token` (authorization_code with PKCE S256, and
 * refresh_token with rotation when the client rotates), `/oauth2/revoke`, `/oauth2/userInfo` and
 * `/logout`. A sign-in leaves a managed-login session (a cookie): a later authorize request
 * without a provider signs in without the form, until `/logout`.
 *
 * What is checked, and in which order (RFC 6749 §4.1.2.1): an unknown client or a redirect URI
 * the client did not register is shown as an error page and never redirected to; every other
 * problem is redirected back to the app as `error=…` with its `state`. Redirect and sign-out URIs
 * match exactly, loopback IP literals with any port (redirectUris.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Clock } from '../clock';
import { AwsJsonError } from '../cognito/errors';
import type { UserPool } from '../cognito/userPool';
import type { UserRecord } from '../state';
import { isLoopbackHost } from '../http';
import { AuthorizationCodes } from './authorizationCodes';
import { cookie, readForm, redirect, sameSecret, sendOAuthJson, withQuery } from './http';
import { escapeHtml, hiddenFields, sendErrorPage, sendPage } from './pages';
import { redirectUriAllowed } from './redirectUris';

/** The scopes Cognito knows (custom resource-server scopes are not emulated). */
const KNOWN_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const SESSION_TTL_MS = 60 * 60 * 1000;
const FEDERATION_TTL_MS = 10 * 60 * 1000;
const MFA_STEP_TTL_MS = 3 * 60 * 1000;

/** A federated OIDC provider of the pool (CreateIdentityProvider with ProviderType OIDC). */
export interface OidcProvider {
  name: string;
  /** Its discovery base (`oidc_issuer`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** `authorize_scopes`. */
  scopes: string;
  /** IdpIdentifiers: names an app may give as `idp_identifier` instead of the provider's name. */
  identifiers: string[];
  /** AttributeMapping: user pool attribute ← provider claim. */
  attributeMapping: Record<string, string>;
}

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state?: string;
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  /** The provider named by identity_provider or idp_identifier (COGNITO: the pool's own page). */
  provider?: string;
}

type Checked =
  | { ok: true; request: AuthorizeRequest }
  | { ok: false; fatal: { error: string; words: string } }
  | {
      ok: false;
      fatal?: undefined;
      redirectUri: string;
      state?: string;
      error: string;
      description: string;
    };

const AUTHORIZE_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'state',
  'scope',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'identity_provider',
  'idp_identifier',
];

export class ManagedLoginServer {
  url = '';
  private server?: Server;
  readonly codes: AuthorizationCodes;
  /** Managed-login sessions (the browser's cookie): id → whose, until when. */
  private readonly sessions = new Map<string, { sub: string; expiresAt: number }>();
  /** Federations under way: our state at the provider → the app's request. */
  private readonly federations = new Map<
    string,
    { request: AuthorizeRequest; nonce: string; provider: OidcProvider; expiresAt: number }
  >();
  /** Sign-ins waiting for an authenticator code. */
  private readonly mfaSteps = new Map<
    string,
    { sub: string; request: AuthorizeRequest; expiresAt: number; attempts: number }
  >();

  constructor(
    private readonly pool: UserPool,
    private readonly clock: Clock,
    readonly providers: OidcProvider[],
  ) {
    this.codes = new AuthorizationCodes(clock);
  }

  private get cookieName() {
    return `local-aws-ml-${this.pool.poolName}`;
  }

  private get oauth() {
    return this.pool.settings.oauth!;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        console.error('local-aws managed login: unhandled error', err);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((done) => s.close(() => done()));
  }

  private async route(req: IncomingMessage, res: ServerResponse) {
    if (!isLoopbackHost(req.headers.host)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      return void res.end('local-aws answers only loopback names: 127.0.0.1, localhost, [::1]\n');
    }
    const url = new URL(req.url ?? '/', this.url);
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /oauth2/authorize':
        return this.authorize(req, res, url.searchParams);
      case 'GET /login':
        return this.loginPage(req, res, url.searchParams);
      case 'POST /login':
        return this.login(req, res);
      case 'POST /login/mfa':
        return this.loginMfa(req, res);
      case 'GET /oauth2/idpresponse':
        return this.idpResponse(req, res, url.searchParams);
      case 'POST /oauth2/token':
        return this.token(req, res);
      case 'POST /oauth2/revoke':
        return this.revoke(req, res);
      case 'GET /oauth2/userInfo':
      case 'POST /oauth2/userInfo':
        return this.userInfo(req, res);
      case 'GET /logout':
        return this.logout(req, res, url.searchParams);
      default:
        return sendErrorPage(res, 404, 'not_found', 'There is nothing here.');
    }
  }

  // ------------------------------------------------------------ authorize

  /** The authorization request's checks (the same for /oauth2/authorize, /login and its form). */
  private check(q: URLSearchParams): Checked {
    const clientId = q.get('client_id') ?? '';
    if (clientId !== this.pool.ids.clientId)
      return {
        ok: false,
        fatal: {
          error: 'invalid_request',
          words: 'The app is not known to this user pool (client_id).',
        },
      };
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!redirectUri || !redirectUriAllowed(redirectUri, this.oauth.callbackUrls))
      return {
        ok: false,
        fatal: {
          error: 'redirect_mismatch',
          words: 'The app asked to return to an address it did not register (redirect_uri).',
        },
      };
    const state = q.get('state') ?? undefined;
    const refuse = (error: string, description: string): Checked => ({
      ok: false,
      redirectUri,
      state,
      error,
      description,
    });
    const responseType = q.get('response_type');
    if (responseType === 'token')
      return refuse('unauthorized_client', 'implicit grant is not allowed for this client');
    if (responseType !== 'code')
      return refuse('unsupported_response_type', 'response_type must be code');
    const method = q.get('code_challenge_method');
    const challenge = q.get('code_challenge');
    if (method !== null && method !== 'S256')
      return refuse('invalid_request', 'code_challenge_method must be S256');
    if ((method === null) !== (challenge === null))
      return refuse('invalid_request', 'code_challenge and code_challenge_method go together');
    if (challenge !== null && !CHALLENGE.test(challenge))
      return refuse('invalid_request', 'code_challenge must be a base64url SHA-256');
    const asked = (q.get('scope') ?? '').split(' ').filter(Boolean);
    if (asked.some((s) => !KNOWN_SCOPES.includes(s)))
      return refuse('invalid_scope', 'unknown scope');
    // Scopes the client may not have are ignored, as Cognito does; none asked: all of the client's.
    const scopes = asked.length
      ? asked.filter((s) => this.oauth.scopes.includes(s))
      : [...this.oauth.scopes];
    if (!scopes.includes('openid') && scopes.some((s) => ['email', 'phone', 'profile'].includes(s)))
      return refuse('invalid_scope', 'email, phone and profile need openid');
    let provider = q.get('identity_provider') ?? undefined;
    const identifier = q.get('idp_identifier');
    if (!provider && identifier) {
      provider = this.providers.find((p) => p.identifiers.includes(identifier.toLowerCase()))?.name;
      if (!provider)
        return refuse('invalid_request', 'no identity provider has that idp_identifier');
    }
    if (provider !== undefined && !this.oauth.identityProviders.includes(provider))
      return refuse('invalid_request', 'that identity provider is not enabled for this client');
    const nonce = q.get('nonce') ?? undefined;
    return {
      ok: true,
      request: {
        clientId,
        redirectUri,
        state,
        scopes,
        nonce,
        codeChallenge: challenge ?? undefined,
        provider,
      },
    };
  }

  /** Answers a failed check: an error page, or the error sent back to the app. */
  private refuse(res: ServerResponse, c: Extract<Checked, { ok: false }>) {
    if (c.fatal) return sendErrorPage(res, 400, c.fatal.error, c.fatal.words);
    redirect(
      res,
      withQuery(c.redirectUri, {
        error: c.error,
        error_description: c.description,
        state: c.state,
      }),
    );
  }

  private authorize(req: IncomingMessage, res: ServerResponse, q: URLSearchParams) {
    const c = this.check(q);
    if (!c.ok) return this.refuse(res, c);
    const r = c.request;
    if (r.provider && r.provider !== 'COGNITO') return this.federate(res, r);
    const session = this.session(req);
    if (session && !r.provider) {
      const user = this.pool.findUser(session.sub);
      if (user?.enabled) return this.complete(res, r, user);
    }
    const login = new URL('/login', this.url);
    for (const k of AUTHORIZE_PARAMS) {
      const v = q.get(k);
      if (v !== null) login.searchParams.set(k, v);
    }
    redirect(res, login.toString());
  }

  private session(req: IncomingMessage) {
    const id = cookie(req, this.cookieName);
    const s = id ? this.sessions.get(id) : undefined;
    if (s && s.expiresAt > this.clock.now()) return s;
    if (id) this.sessions.delete(id);
    return undefined;
  }

  /** A signed-in user: a managed-login session and a code, back to the app. */
  private complete(res: ServerResponse, r: AuthorizeRequest, user: UserRecord) {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { sub: user.sub, expiresAt: this.clock.now() + SESSION_TTL_MS });
    const code = this.codes.issue({
      clientId: r.clientId,
      redirectUri: r.redirectUri,
      codeChallenge: r.codeChallenge,
      nonce: r.nonce,
      scopes: r.scopes,
      sub: user.sub,
    });
    redirect(res, withQuery(r.redirectUri, { code, state: r.state }), {
      'set-cookie': `${this.cookieName}=${id}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${SESSION_TTL_MS / 1000}`,
    });
  }

  // ---------------------------------------------------------------- login

  private carried(q: URLSearchParams) {
    return Object.fromEntries(AUTHORIZE_PARAMS.map((k) => [k, q.get(k) ?? undefined])) as Record<
      string,
      string | undefined
    >;
  }

  private loginPage(req: IncomingMessage, res: ServerResponse, q: URLSearchParams, error?: string) {
    const c = this.check(q);
    if (!c.ok) return this.refuse(res, c);
    const r = c.request;
    const csrf = randomBytes(16).toString('base64url');
    const federated =
      r.provider === 'COGNITO'
        ? []
        : this.providers.filter((p) => this.oauth.identityProviders.includes(p.name));
    const buttons = federated
      .map((p) => {
        const u = new URL('/oauth2/authorize', this.url);
        for (const [k, v] of Object.entries(this.carried(q)))
          if (v !== undefined && k !== 'identity_provider' && k !== 'idp_identifier')
            u.searchParams.set(k, v);
        u.searchParams.set('identity_provider', p.name);
        return `<a class="button" href="${escapeHtml(u.toString())}">Sign in with ${escapeHtml(p.name)}</a>`;
      })
      .join('\n');
    sendPage(
      res,
      error ? 401 : 200,
      'Sign in',
      `<h1>Sign in</h1>
<p class="small">User pool ${escapeHtml(this.pool.ids.userPoolId)} (local-aws managed login)</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login">
      ${hiddenFields({ ...this.carried(q), _csrf: csrf })}
  <label for="signInFormUsername">Email</label>
  <input id="signInFormUsername" name="username" type="email" autocomplete="username" required autofocus>
  <label for="signInFormPassword">Password</label>
  <input id="signInFormPassword" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>
${buttons ? `<p class="or">or</p>\n${buttons}` : ''}`,
      { 'set-cookie': `local-aws-ml-csrf=${csrf}; HttpOnly; SameSite=Strict; Path=/` },
    );
  }

  private csrfOk(req: IncomingMessage, form: URLSearchParams) {
    const c = cookie(req, 'local-aws-ml-csrf');
    return Boolean(c) && sameSecret(c!, form.get('_csrf') ?? '');
  }

  private async login(req: IncomingMessage, res: ServerResponse) {
    const form = await readForm(req);
    if (!form)
      return sendErrorPage(res, 400, 'invalid_request', 'The sign-in form was not sent as a form.');
    const c = this.check(form);
    if (!c.ok) return this.refuse(res, c);
    if (!this.csrfOk(req, form))
      return sendErrorPage(
        res,
        403,
        'invalid_request',
        'The sign-in form expired. Go back to the app and start again.',
      );
    let user: UserRecord;
    try {
      user = this.pool.checkPassword(
        (form.get('username') ?? '').trim(),
        form.get('password') ?? '',
      );
    } catch (err) {
      if (!(err instanceof AwsJsonError)) throw err;
      const words =
        err.type === 'PasswordResetRequiredException'
          ? 'Your password must be reset before you can sign in.'
          : /disabled/i.test(err.message)
            ? 'This account is disabled.'
            : /attempts exceeded/i.test(err.message)
              ? 'Too many wrong passwords. Wait a few minutes, then try again.'
              : 'Incorrect username or password.';
      return this.loginPage(req, res, form, words);
    }
    if (user.status === 'FORCE_CHANGE_PASSWORD')
      return this.loginPage(
        req,
        res,
        form,
        'This account must choose a new password first: sign in with your password in the app.',
      );
    const mfa = this.pool.settings.mfa ?? 'OPTIONAL';
    if (mfa !== 'OFF' && user.totpSecret && (user.totpEnabled || mfa === 'ON')) {
      const id = randomBytes(24).toString('base64url');
      this.mfaSteps.set(id, {
        sub: user.sub,
        request: c.request,
        expiresAt: this.clock.now() + MFA_STEP_TTL_MS,
        attempts: 0,
      });
      return this.mfaPage(res, id);
    }
    if (mfa === 'ON')
      return this.loginPage(
        req,
        res,
        form,
        'This account must set up an authenticator app first: sign in with your password in the app.',
      );
    this.complete(res, c.request, user);
  }

  private mfaPage(res: ServerResponse, step: string, error?: string) {
    sendPage(
      res,
      error ? 401 : 200,
      'Enter your code',
      `<h1>Enter your code</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login/mfa">
      ${hiddenFields({ step })}
  <label for="totpCode">Code from your authenticator app</label>
  <input id="totpCode" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus>
  <button type="submit">Verify</button>
</form>`,
    );
  }

  private async loginMfa(req: IncomingMessage, res: ServerResponse) {
    const form = await readForm(req);
    const id = form?.get('step') ?? '';
    const step = this.mfaSteps.get(id);
    if (!form || !step || step.expiresAt < this.clock.now()) {
      this.mfaSteps.delete(id);
      return sendErrorPage(
        res,
        400,
        'invalid_request',
        'This sign-in took too long. Go back to the app and start again.',
      );
    }
    const user = this.pool.findUser(step.sub);
    if (!user || !this.pool.verifyTotp(user, (form.get('code') ?? '').trim())) {
      step.attempts += 1;
      if (step.attempts >= 3) {
        this.mfaSteps.delete(id);
        return sendErrorPage(
          res,
          401,
          'access_denied',
          'Too many wrong codes. Go back to the app and start again.',
        );
      }
      return this.mfaPage(res, id, 'The code is not correct.');
    }
    this.mfaSteps.delete(id);
    this.complete(res, step.request, user);
  }

  // ----------------------------------------------------------- federation

  /** To the provider's own sign-in page, with a state and nonce of ours (Cognito as an OIDC client). */
  private async federate(res: ServerResponse, r: AuthorizeRequest) {
    const provider = this.providers.find((p) => p.name === r.provider);
    if (!provider)
      return redirect(
        res,
        withQuery(r.redirectUri, {
          error: 'invalid_request',
          error_description: 'unknown identity provider',
          state: r.state,
        }),
      );
    const state = randomBytes(24).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    this.federations.set(state, {
      request: r,
      nonce,
      provider,
      expiresAt: this.clock.now() + FEDERATION_TTL_MS,
    });
    const config = (await (
      await fetch(`${provider.issuer}/.well-known/openid-configuration`)
    ).json()) as { authorization_endpoint: string };
    redirect(
      res,
      withQuery(config.authorization_endpoint, {
        client_id: provider.clientId,
        redirect_uri: `${this.url}/oauth2/idpresponse`,
        response_type: 'code',
        scope: provider.scopes,
        state,
        nonce,
      }),
    );
  }

  private async idpResponse(req: IncomingMessage, res: ServerResponse, q: URLSearchParams) {
    const state = q.get('state') ?? '';
    const f = this.federations.get(state);
    this.federations.delete(state);
    if (!f || f.expiresAt < this.clock.now())
      return sendErrorPage(
        res,
        400,
        'invalid_request',
        'This sign-in is not one that started here, or it took too long. Go back to the app and start again.',
      );
    const back = (error: string, description: string) =>
      redirect(
        res,
        withQuery(f.request.redirectUri, {
          error,
          error_description: description,
          state: f.request.state,
        }),
      );
    if (q.get('error'))
      return back('invalid_request', `${f.provider.name} Error - ${q.get('error')}`);
    const p = f.provider;
    let claims: Record<string, unknown>;
    try {
      const config = (await (
        await fetch(`${p.issuer}/.well-known/openid-configuration`)
      ).json()) as { token_endpoint: string; jwks_uri: string };
      const tokenRes = await fetch(config.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: q.get('code') ?? '',
          redirect_uri: `${this.url}/oauth2/idpresponse`,
          client_id: p.clientId,
          client_secret: p.clientSecret,
        }),
      });
      if (!tokenRes.ok)
        return back('invalid_request', `${p.name} Error - ${tokenRes.status} error getting token`);
      const { id_token } = (await tokenRes.json()) as { id_token?: string };
      const jwks = createLocalJWKSet((await (await fetch(config.jwks_uri)).json()) as { keys: [] });
      const { payload } = await jwtVerify(id_token ?? '', jwks, {
        issuer: p.issuer,
        audience: p.clientId,
        algorithms: ['RS256'],
        currentDate: new Date(this.clock.now()),
      });
      if (payload.nonce !== f.nonce)
        return back('invalid_request', `${p.name} Error - nonce mismatch`);
      claims = payload;
    } catch (err) {
      if (err instanceof TypeError)
        return back('invalid_request', `${p.name} Error - connection failed`);
      return back('invalid_request', `${p.name} Error - invalid id_token`);
    }
    const mapped: Record<string, string> = {};
    for (const [attribute, claim] of Object.entries(p.attributeMapping)) {
      const v = claims[claim];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        mapped[attribute] = String(v);
    }
    let user: UserRecord;
    try {
      user = this.pool.federatedUser(
        { name: p.name, type: 'OIDC', issuer: p.issuer },
        String(claims.sub),
        mapped,
      );
    } catch (err) {
      if (err instanceof AwsJsonError) return back('invalid_request', err.message);
      throw err;
    }
    this.complete(res, f.request, user);
  }

  // ---------------------------------------------------------------- token

  /** The client of a token or revocation request (client_id, or HTTP Basic for a client with a secret). */
  private clientOf(req: IncomingMessage, form: URLSearchParams): string | null {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const id = basic
      ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0]!
      : (form.get('client_id') ?? '');
    return id === this.pool.ids.clientId ? id : null;
  }

  private async token(req: IncomingMessage, res: ServerResponse) {
    const form = await readForm(req);
    if (!form) return sendOAuthJson(res, 400, { error: 'invalid_request' });
    const grant = form.get('grant_type');
    if (!grant) return sendOAuthJson(res, 400, { error: 'invalid_request' });
    const clientId = this.clientOf(req, form);
    if (!clientId) return sendOAuthJson(res, 401, { error: 'invalid_client' });
    if (grant === 'client_credentials')
      return sendOAuthJson(res, 400, { error: 'unauthorized_client' });
    if (grant === 'refresh_token') {
      const token = form.get('refresh_token');
      if (!token) return sendOAuthJson(res, 400, { error: 'invalid_request' });
      try {
        return sendOAuthJson(res, 200, await this.pool.oauthRefresh(token, clientId));
      } catch (err) {
        if (err instanceof AwsJsonError && err.type === 'NotAuthorizedException')
          return sendOAuthJson(res, 400, { error: 'invalid_grant' });
        throw err;
      }
    }
    if (grant !== 'authorization_code')
      return sendOAuthJson(res, 400, { error: 'unsupported_grant_type' });
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (!code || !redirectUri) return sendOAuthJson(res, 400, { error: 'invalid_request' });
    const r = this.codes.redeem(code, clientId, redirectUri, form.get('code_verifier'));
    if (!r.ok) {
      // A code presented twice: someone else may hold it — what it produced is revoked.
      if (r.replayOf) this.pool.revokeSignIn(r.replayOf);
      return sendOAuthJson(res, 400, { error: r.error, error_description: r.description });
    }
    const user = this.pool.findUser(r.grant.sub);
    if (!user?.enabled) return sendOAuthJson(res, 400, { error: 'invalid_grant' });
    const tokens = await this.pool.oauthTokens(user, clientId, {
      scopes: r.grant.scopes,
      nonce: r.grant.nonce,
    });
    r.done(this.pool.originOf(String(tokens.refresh_token)));
    sendOAuthJson(res, 200, tokens);
  }

  private async revoke(req: IncomingMessage, res: ServerResponse) {
    const form = await readForm(req);
    if (!form) return sendOAuthJson(res, 400, { error: 'invalid_request' });
    const clientId = this.clientOf(req, form);
    if (!clientId) return sendOAuthJson(res, 401, { error: 'invalid_client' });
    const token = form.get('token');
    if (!token) return sendOAuthJson(res, 400, { error: 'invalid_request' });
    // Only refresh tokens can be revoked here (Cognito's access and ID tokens are JWTs).
    if (/^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token))
      return sendOAuthJson(res, 400, { error: 'unsupported_token_type' });
    if (this.pool.revokeRefreshToken(token, clientId) === 'otherClient')
      return sendOAuthJson(res, 400, { error: 'unauthorized_client' });
    res.writeHead(200, { 'cache-control': 'no-store', 'content-length': '0' });
    res.end();
  }

  private async userInfo(req: IncomingMessage, res: ServerResponse) {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!m)
      return sendOAuthJson(
        res,
        401,
        { error: 'invalid_request' },
        { 'www-authenticate': 'Bearer' },
      );
    let user: UserRecord;
    let scopes: string[];
    try {
      ({ user, scopes } = await this.pool.accessTokenScopes(m[1]!));
    } catch (err) {
      if (!(err instanceof AwsJsonError)) throw err;
      return sendOAuthJson(
        res,
        401,
        { error: 'invalid_token', error_description: err.message },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
    }
    if (!scopes.includes('openid'))
      return sendOAuthJson(
        res,
        403,
        { error: 'insufficient_scope' },
        { 'www-authenticate': 'Bearer error="insufficient_scope"' },
      );
    const a = user.attributes;
    const pick = (names: string[]) =>
      Object.fromEntries(names.filter((n) => a[n] !== undefined).map((n) => [n, a[n]]));
    sendOAuthJson(res, 200, {
      sub: user.sub,
      username: this.pool.usernameOf(user),
      ...(scopes.includes('email') ? pick(['email', 'email_verified']) : {}),
      ...(scopes.includes('profile')
        ? pick(['name', 'given_name', 'family_name', 'identities'])
        : {}),
      ...(scopes.includes('phone') ? pick(['phone_number', 'phone_number_verified']) : {}),
    });
  }

  // --------------------------------------------------------------- logout

  private logout(req: IncomingMessage, res: ServerResponse, q: URLSearchParams) {
    if (q.get('client_id') !== this.pool.ids.clientId)
      return sendErrorPage(
        res,
        400,
        'invalid_request',
        'The app is not known to this user pool (client_id).',
      );
    const logoutUri = q.get('logout_uri');
    let next: string;
    if (logoutUri !== null) {
      if (!redirectUriAllowed(logoutUri, this.oauth.logoutUrls))
        return sendErrorPage(
          res,
          400,
          'redirect_mismatch',
          'The app asked to return to an address it did not register (logout_uri).',
        );
      next = logoutUri;
    } else if (q.get('redirect_uri') !== null) {
      const c = this.check(q);
      if (!c.ok) return this.refuse(res, c);
      const login = new URL('/login', this.url);
      for (const k of AUTHORIZE_PARAMS) {
        const v = q.get(k);
        if (v !== null) login.searchParams.set(k, v);
      }
      next = login.toString();
    } else {
      return sendErrorPage(res, 400, 'invalid_request', 'logout_uri is missing.');
    }
    const id = cookie(req, this.cookieName);
    if (id) this.sessions.delete(id);
    redirect(res, next, {
      'set-cookie': `${this.cookieName}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`,
    });
  }
}

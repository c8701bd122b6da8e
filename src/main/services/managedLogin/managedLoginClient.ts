/**
 * The user pool's OAuth endpoints for one profile (its managed login domain): the authorize URL
 * a browser opens, the code exchange and refresh at /oauth2/token, revocation at /oauth2/revoke,
 * and /logout. Every ID token it hands out has been verified (OpenID Connect Core §3.1.3.7):
 * RS256 signature against the pool's JWKS, issuer, audience (this app client), expiry,
 * `token_use` id, and — for a new sign-in — the nonce this sign-in sent.
 */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import {
  DEFAULT_MANAGED_LOGIN_SCOPES,
  type ConnectionProfile,
  type ManagedLoginProvider,
} from '../../../shared/profile';
import { KuraError } from '../kuraError';
import type { Tokens } from '../userPoolAuth';
import { oauthHttp, type OAuthResponse, type OAuthTransport } from './oauthHttp';

export const CALLBACK_PATH = '/callback';
export const SIGNED_OUT_PATH = '/signed-out';

export class ManagedLoginClient {
  readonly domain: string;
  readonly issuer: string;
  private readonly jwksUrl: string;
  private jwks?: { keys: ReturnType<typeof createLocalJWKSet>; at: number };

  constructor(
    private readonly profile: ConnectionProfile,
    private readonly now: () => number = Date.now,
    /** The network's transport (proxy, trust); absent: the global fetch (tests of the flow alone). */
    private readonly transport?: OAuthTransport,
  ) {
    if (!profile.managedLogin) throw new KuraError('NO_MANAGED_LOGIN');
    this.domain = new URL(profile.managedLogin.domain).origin;
    this.issuer = `https://cognito-idp.${profile.region}.amazonaws.com/${profile.userPoolId}`;
    const base =
      profile.endpoints?.cognitoIdp?.replace(/\/+$/, '') ??
      this.issuer.replace(`/${profile.userPoolId}`, '');
    this.jwksUrl = `${base}/${profile.userPoolId}/.well-known/jwks.json`;
  }

  get scopes(): string[] {
    return this.profile.managedLogin?.scopes ?? DEFAULT_MANAGED_LOGIN_SCOPES;
  }

  get redirectPorts(): number[] | undefined {
    return this.profile.managedLogin?.redirectPorts;
  }

  authorizeUrl(o: {
    redirectUri: string;
    state: string;
    nonce: string;
    challenge: string;
    provider?: ManagedLoginProvider;
  }): string {
    const u = new URL('/oauth2/authorize', this.domain);
    const q = u.searchParams;
    q.set('response_type', 'code');
    q.set('client_id', this.profile.userPoolClientId);
    q.set('redirect_uri', o.redirectUri);
    q.set('scope', this.scopes.join(' '));
    q.set('state', o.state);
    q.set('nonce', o.nonce);
    q.set('code_challenge', o.challenge);
    q.set('code_challenge_method', 'S256');
    if (o.provider?.identityProvider) q.set('identity_provider', o.provider.identityProvider);
    if (o.provider?.idpIdentifier) q.set('idp_identifier', o.provider.idpIdentifier);
    return u.toString();
  }

  /** /logout, back to a registered sign-out URL (the app's loopback page). */
  logoutUrl(logoutUri: string): string {
    const u = new URL('/logout', this.domain);
    u.searchParams.set('client_id', this.profile.userPoolClientId);
    u.searchParams.set('logout_uri', logoutUri);
    return u.toString();
  }

  private token(form: Record<string, string>) {
    return oauthHttp(
      {
        url: `${this.domain}/oauth2/token`,
        method: 'POST',
        form: { client_id: this.profile.userPoolClientId, ...form },
      },
      this.transport,
    );
  }

  /** What a token endpoint error means for Kura (RFC 6749 §5.2). */
  private refusal(r: OAuthResponse, grant: 'code' | 'refresh'): KuraError {
    const raw = (r.body as { error?: unknown } | null)?.error;
    const error = typeof raw === 'string' ? raw : '';
    const detail = `token endpoint: HTTP ${r.status} ${error}`.trim();
    if (r.status === 429) return new KuraError('THROTTLED', detail);
    if (r.status >= 500) return new KuraError('UNAVAILABLE', detail);
    if (error === 'invalid_client' || error === 'unauthorized_client')
      return new KuraError('MANAGED_LOGIN_NOT_ALLOWED', detail);
    if (grant === 'refresh') return new KuraError('SESSION_EXPIRED', detail);
    return new KuraError('BROWSER_SIGN_IN_FAILED', detail);
  }

  /** Exchanges the code with the verifier (RFC 7636 §4.5); the ID token must carry `nonce`. */
  async exchangeCode(o: {
    code: string;
    verifier: string;
    redirectUri: string;
    nonce: string;
  }): Promise<Tokens> {
    const r = await this.token({
      grant_type: 'authorization_code',
      code: o.code,
      code_verifier: o.verifier,
      redirect_uri: o.redirectUri,
    });
    if (r.status !== 200) throw this.refusal(r, 'code');
    const t = r.body as {
      id_token?: unknown;
      access_token?: unknown;
      refresh_token?: unknown;
    } | null;
    if (
      typeof t?.id_token !== 'string' ||
      typeof t.access_token !== 'string' ||
      typeof t.refresh_token !== 'string'
    )
      throw new KuraError(
        'SIGN_IN_UNTRUSTED',
        'the token endpoint answered without an ID, access or refresh token',
      );
    const claims = await this.verifyIdToken(t.id_token, o.nonce);
    return {
      idToken: t.id_token,
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: (claims.exp ?? 0) * 1000,
    };
  }

  /** New tokens for a refresh token; a new refresh token too when the client rotates them. */
  async refresh(
    refreshToken: string,
  ): Promise<Omit<Tokens, 'refreshToken'> & { refreshToken?: string }> {
    const r = await this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    if (r.status !== 200) throw this.refusal(r, 'refresh');
    const t = r.body as {
      id_token?: unknown;
      access_token?: unknown;
      refresh_token?: unknown;
    } | null;
    if (typeof t?.id_token !== 'string' || typeof t.access_token !== 'string')
      throw new KuraError('SESSION_EXPIRED', 'the token endpoint answered without tokens');
    const claims = await this.verifyIdToken(t.id_token);
    return {
      idToken: t.id_token,
      accessToken: t.access_token,
      ...(typeof t.refresh_token === 'string' ? { refreshToken: t.refresh_token } : {}),
      expiresAt: (claims.exp ?? 0) * 1000,
    };
  }

  /** Revokes a refresh token (and what was issued from it) at /oauth2/revoke (RFC 7009). */
  async revoke(refreshToken: string): Promise<void> {
    const r = await oauthHttp(
      {
        url: `${this.domain}/oauth2/revoke`,
        method: 'POST',
        form: { token: refreshToken, client_id: this.profile.userPoolClientId },
      },
      this.transport,
    );
    if (r.status !== 200) throw this.refusal(r, 'refresh');
  }

  private async keys(refetch: boolean) {
    // A key set at most an hour old; a token signed by a key it lacks fetches it again once.
    if (!this.jwks || refetch || this.now() - this.jwks.at > 3600_000) {
      const r = await oauthHttp({ url: this.jwksUrl, method: 'GET' }, this.transport);
      if (r.status !== 200 || !Array.isArray((r.body as { keys?: unknown } | null)?.keys))
        throw new KuraError('UNAVAILABLE', `the user pool's keys (HTTP ${r.status})`);
      this.jwks = { keys: createLocalJWKSet(r.body as JSONWebKeySet), at: this.now() };
    }
    return this.jwks.keys;
  }

  /** Verifies an ID token of this pool for this app client (and its nonce, when one was sent). */
  async verifyIdToken(token: string, nonce?: string): Promise<JWTPayload> {
    const verify = async (refetch: boolean) =>
      (
        await jwtVerify(token, await this.keys(refetch), {
          issuer: this.issuer,
          audience: this.profile.userPoolClientId,
          algorithms: ['RS256'],
          currentDate: new Date(this.now()),
          // Clocks differ a little; Cognito's tokens last an hour.
          clockTolerance: 60,
        })
      ).payload;
    let claims: JWTPayload;
    try {
      try {
        claims = await verify(false);
      } catch (err) {
        if ((err as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw err;
        claims = await verify(true);
      }
    } catch (err) {
      if (err instanceof KuraError) throw err;
      throw new KuraError('SIGN_IN_UNTRUSTED', `ID token: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (claims.token_use !== 'id') throw new KuraError('SIGN_IN_UNTRUSTED', 'not an ID token');
    if (nonce !== undefined && claims.nonce !== nonce)
      throw new KuraError('SIGN_IN_UNTRUSTED', 'the ID token does not carry this sign-in’s nonce');
    return claims;
  }
}

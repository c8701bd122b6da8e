/**
 * The user pool's shared store: its users (created, found, their passwords, MFA settings and
 * attributes), the tokens it issues and what revokes them, and the checks every API call makes.
 * authFlows.ts (sign-in and the signed-in user's own calls) and admin.ts (the IAM-signed
 * administrator operations) work over it; userPool.ts dispatches to them.
 */
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { Clock } from '../clock';
import type { StateFile, UserRecord } from '../state';
import { AwsJsonError, invalidParameter, notAuthorized, resourceNotFound } from './errors';
import { groupClaims, UserPoolGroups } from './groups';
import { passwordProblem, type PasswordPolicy } from './passwordPolicy';
import { createVerifier, g, modPow, N, padHex } from './srp';
import type { TokenSigner } from './tokens';

export type Json = Record<string, unknown>;

export interface UserPoolSettings {
  passwordPolicy: PasswordPolicy;
  idTokenTtlSeconds: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshTokenRotation: boolean;
  rotationGracePeriodSeconds: number;
  /** Attributes a user must have; missing ones are asked for in NEW_PASSWORD_REQUIRED. */
  requiredAttributes: string[];
  preventUserExistenceErrors: boolean;
  /**
   * The pool's MfaConfiguration (TOTP): ON makes a user without an authenticator set one up at
   * sign-in (the MFA_SETUP challenge); absent: OPTIONAL.
   */
  mfa?: 'OFF' | 'OPTIONAL' | 'ON';
  /** The app client's OAuth settings, when the pool has a domain (managed login). */
  oauth?: AppClientOAuth;
}

/** What CreateUserPoolClient's OAuth fields say, for the one app client. */
export interface AppClientOAuth {
  /** The pool's domain: where managed login answers (`https://<prefix>.auth.<region>.amazoncognito.com`). */
  domain: string;
  /** AllowedOAuthFlows: code only (a public client with PKCE). */
  callbackUrls: string[];
  logoutUrls: string[];
  /** AllowedOAuthScopes. */
  scopes: string[];
  /** SupportedIdentityProviders: COGNITO and the federated providers' names. */
  identityProviders: string[];
}

/** How a managed-login (OAuth) session was granted: its scopes and the ID token's nonce. */
export interface OAuthGrant {
  scopes: string[];
  nonce?: string;
}

const CODE_TTL_S = 3600;
const LOCKOUT_AFTER = 5;

export const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

export function str(body: Json, name: string, required = true): string {
  const v = body[name];
  if (typeof v === 'string' && v.length > 0) return v;
  if (!required && (v === undefined || v === null)) return '';
  throw invalidParameter(
    `1 validation error detected: Value at '${name.charAt(0).toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must not be null`,
  );
}

export function record(body: Json, name: string): Record<string, string> {
  const v = body[name];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${name} must be a map`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Json)) if (typeof val === 'string') out[k] = val;
  return out;
}

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}

/** A new user's record: no password yet, no MFA, nothing failed or revoked. */
function newUser(
  sub: string,
  now: number,
  fields: Pick<UserRecord, 'attributes' | 'status'> & Partial<UserRecord>,
): UserRecord {
  return {
    sub,
    enabled: true,
    salt: '',
    verifier: '',
    createdAt: now,
    modifiedAt: now,
    totpEnabled: false,
    smsMfaEnabled: false,
    tokensValidAfter: 0,
    failedAttempts: 0,
    ...fields,
  };
}

export class UserStore {
  readonly groups: UserPoolGroups;

  constructor(
    readonly state: StateFile,
    readonly clock: Clock,
    private readonly signer: TokenSigner,
    readonly settings: UserPoolSettings,
  ) {
    this.groups = new UserPoolGroups(
      state,
      clock,
      () => this.ids.userPoolId,
      (username) => this.requireUser(username),
      (user) => this.userView(user, 'Attributes'),
    );
  }

  get ids() {
    return this.state.data.ids;
  }

  get poolName(): string {
    return this.ids.userPoolId.split('_')[1]!;
  }

  get poolArn(): string {
    return `arn:aws:cognito-idp:${this.ids.region}:${this.ids.accountId}:userpool/${this.ids.userPoolId}`;
  }

  // ---------------------------------------------------------------- users

  findUser(username: string): UserRecord | undefined {
    const users = this.state.data.users;
    const bySub = Object.hasOwn(users, username) ? users[username] : undefined;
    if (bySub) return bySub;
    const lower = username.toLowerCase();
    // A federated user is found by their username (`<Provider>_<id>`); a pool user by email. A
    // federated user's email never names them: it is the provider's to say, not a sign-in name.
    return (
      Object.values(users).find((u) => u.username?.toLowerCase() === lower) ??
      Object.values(users).find(
        (u) => u.status !== 'EXTERNAL_PROVIDER' && u.attributes.email?.toLowerCase() === lower,
      )
    );
  }

  /** The username Cognito gives a user: the `sub`, or a federated user's `<Provider>_<id>`. */
  usernameOf(user: UserRecord): string {
    return user.username ?? user.sub;
  }

  requireUser(username: string): UserRecord {
    const user = this.findUser(username);
    if (!user) throw new AwsJsonError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  setPassword(user: UserRecord, password: string) {
    const { salt, verifier } = createVerifier(this.poolName, user.sub, password);
    user.salt = salt;
    user.verifier = verifier;
    user.modifiedAt = this.clock.now();
  }

  checkPolicy(password: string) {
    const problem = passwordProblem(password, this.settings.passwordPolicy);
    if (problem) {
      throw new AwsJsonError(
        'InvalidPasswordException',
        `Password does not conform to policy: ${problem}`,
      );
    }
  }

  passwordMatches(user: UserRecord, password: string): boolean {
    const inner = createHash('sha256')
      .update(`${this.poolName}${user.sub}:${password}`)
      .digest('hex');
    const saltHex = padHex(BigInt('0x' + user.salt));
    const x = BigInt(
      '0x' +
        createHash('sha256')
          .update(Buffer.from(saltHex + inner, 'hex'))
          .digest('hex'),
    );
    return modPow(g, x, N).toString(16) === user.verifier;
  }

  /** The administrator's way to register a user: a temporary password, FORCE_CHANGE_PASSWORD. */
  createUser(
    email: string,
    temporaryPassword: string,
    attributes: Record<string, string> = {},
  ): UserRecord {
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw invalidParameter('Username should be an email.');
    if (this.findUser(email)) {
      throw new AwsJsonError(
        'UsernameExistsException',
        'An account with the given email already exists.',
      );
    }
    this.checkPolicy(temporaryPassword);
    const now = this.clock.now();
    const user = newUser(randomUUID(), now, {
      attributes: { email, email_verified: 'false', ...attributes },
      status: 'FORCE_CHANGE_PASSWORD',
      temporaryPasswordExpiresAt:
        now + this.settings.passwordPolicy.temporaryPasswordValidityDays * 86400_000,
    });
    user.attributes.sub = user.sub;
    this.setPassword(user, temporaryPassword);
    this.state.data.users[user.sub] = user;
    this.state.save(now);
    return user;
  }

  /** Sets a password directly (AdminSetUserPassword). */
  setUserPassword(username: string, password: string, permanent: boolean): void {
    const user = this.requireUser(username);
    this.checkPolicy(password);
    this.setPassword(user, password);
    if (permanent) {
      user.status = 'CONFIRMED';
      delete user.temporaryPasswordExpiresAt;
    } else {
      user.status = 'FORCE_CHANGE_PASSWORD';
      user.temporaryPasswordExpiresAt =
        this.clock.now() + this.settings.passwordPolicy.temporaryPasswordValidityDays * 86400_000;
    }
    user.failedAttempts = 0;
    delete user.lockedUntil;
    this.state.save(this.clock.now());
  }

  /**
   * The managed login page's password check (no SRP in a browser form): the same account rules
   * as an API sign-in — lockout, disabled, reset required — and the same answer for an unknown
   * user as for a wrong password.
   */
  checkPassword(username: string, password: string): UserRecord {
    const user = this.findUser(username);
    if (user?.status === 'RESET_REQUIRED')
      throw new AwsJsonError(
        'PasswordResetRequiredException',
        'Password reset required for the user',
      );
    if (user?.lockedUntil && user.lockedUntil > this.clock.now())
      throw notAuthorized('Password attempts exceeded');
    if (!user || user.status === 'EXTERNAL_PROVIDER' || !this.passwordMatches(user, password)) {
      this.recordFailure(user?.status === 'EXTERNAL_PROVIDER' ? undefined : user);
      throw notAuthorized();
    }
    user.failedAttempts = 0;
    delete user.lockedUntil;
    if (!user.enabled) throw notAuthorized('User is disabled.');
    return user;
  }

  recordFailure(user: UserRecord | undefined) {
    if (!user) return;
    user.failedAttempts += 1;
    if (user.failedAttempts >= LOCKOUT_AFTER) {
      const seconds = 2 ** Math.min(user.failedAttempts - LOCKOUT_AFTER, 10);
      user.lockedUntil = this.clock.now() + seconds * 1000;
    }
    this.state.save(this.clock.now());
  }

  /**
   * A federated sign-in: the first one creates the user (`<Provider>_<id>`, EXTERNAL_PROVIDER, in
   * the group `<poolId>_<Provider>`), every one updates the mapped attributes — as Cognito does.
   */
  federatedUser(
    provider: { name: string; type: 'OIDC' | 'SAML'; issuer: string },
    providerUserId: string,
    mapped: Record<string, string>,
  ): UserRecord {
    const username = `${provider.name}_${providerUserId}`;
    const now = this.clock.now();
    let user = Object.values(this.state.data.users).find((u) => u.username === username);
    if (!user) {
      const sub = randomUUID();
      user = newUser(sub, now, {
        username,
        attributes: {
          sub,
          identities: JSON.stringify([
            {
              userId: providerUserId,
              providerName: provider.name,
              providerType: provider.type,
              issuer: provider.issuer,
              primary: 'true',
              dateCreated: String(now),
            },
          ]),
        },
        status: 'EXTERNAL_PROVIDER',
      });
      this.state.data.users[sub] = user;
      const group = `${this.ids.userPoolId}_${provider.name}`;
      if (!this.groups.list().some((g) => g.name === group)) this.groups.create(group, {});
      this.groups.addUser(sub, group);
    }
    if (!user.enabled) throw notAuthorized('User is disabled.');
    for (const [k, v] of Object.entries(mapped))
      if (!['sub', 'identities', 'cognito:username'].includes(k)) user.attributes[k] = v;
    user.modifiedAt = now;
    this.state.save(now);
    return user;
  }

  userView(user: UserRecord, shape: 'Attributes' | 'UserAttributes') {
    const mfa: string[] = [];
    if (user.smsMfaEnabled) mfa.push('SMS_MFA');
    if (user.totpEnabled) mfa.push('SOFTWARE_TOKEN_MFA');
    return {
      Username: this.usernameOf(user),
      [shape]: Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
      UserCreateDate: user.createdAt / 1000,
      UserLastModifiedDate: user.modifiedAt / 1000,
      Enabled: user.enabled,
      UserStatus: user.status,
      ...(shape === 'UserAttributes'
        ? {
            UserMFASettingList: mfa,
            ...(mfa.length ? { PreferredMfaSetting: mfa[mfa.length - 1] } : {}),
          }
        : {}),
    };
  }

  setMfaPreference(user: UserRecord, body: Json) {
    const totp = body.SoftwareTokenMfaSettings as { Enabled?: boolean } | undefined;
    const sms = body.SMSMfaSettings as { Enabled?: boolean } | undefined;
    if (totp?.Enabled !== undefined) {
      if (totp.Enabled && !user.totpSecret) {
        throw invalidParameter('User has not verified software token mfa');
      }
      // Where the pool requires MFA, turning the only authenticator off is accepted and changes
      // nothing (as Cognito answers 200 and keeps asking for the code).
      if (totp.Enabled || (this.settings.mfa ?? 'OPTIONAL') !== 'ON')
        user.totpEnabled = totp.Enabled;
    }
    if (sms?.Enabled !== undefined) {
      if (sms.Enabled && !user.attributes.phone_number) {
        throw invalidParameter('User does not have delivery config set to turn on SMS_MFA');
      }
      user.smsMfaEnabled = sms.Enabled;
    }
    this.state.save(this.clock.now());
    return {};
  }

  /** A code from the user's verified authenticator (managed login's code step). */
  verifyTotp(user: UserRecord, code: string): boolean {
    return this.totpMatches(user.totpSecret ?? '', code);
  }

  totpMatches(secret: string, code: string): boolean {
    if (!secret) return false;
    const totp = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(secret),
      digits: 6,
      period: 30,
    });
    return totp.validate({ token: code, timestamp: this.clock.now(), window: 1 }) !== null;
  }

  issueResetCode(user: UserRecord) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.state.data.forgotCodes[user.sub] = {
      code,
      expiresAt: this.clock.nowSeconds() + CODE_TTL_S,
    };
    this.sendMessage(user, 'FORGOT_PASSWORD', code, user.attributes.email ?? '');
  }

  sendMessage(
    user: UserRecord,
    kind: 'FORGOT_PASSWORD' | 'SMS_MFA' | 'INVITATION',
    code: string,
    to: string,
  ) {
    this.state.data.outbox.push({ at: this.clock.now(), to, sub: user.sub, kind, code });
    this.state.save(this.clock.now());
  }

  /** For tests and the admin endpoint: the messages (codes) the pool "sent". */
  outbox() {
    return this.state.data.outbox;
  }
  // ------------------------------------------------------------- tokens

  async issueTokens(
    user: UserRecord,
    clientId: string,
    origin: { originJti: string; authTime: number; scopes?: string[] } | null,
    withRefreshToken: boolean,
    grant?: OAuthGrant,
  ) {
    const now = this.clock.nowSeconds();
    const originJti = origin?.originJti ?? randomUUID();
    const authTime = origin?.authTime ?? now;
    // Managed login grants the scopes asked for; an API sign-in (SRP) the user-pool API's own.
    const scopes = grant?.scopes ?? origin?.scopes;
    const eventId = randomUUID();
    const idClaims: Json = {
      sub: user.sub,
      'cognito:username': this.usernameOf(user),
      aud: clientId,
      token_use: 'id',
      auth_time: authTime,
      origin_jti: originJti,
      event_id: eventId,
      ...(grant?.nonce ? { nonce: grant.nonce } : {}),
    };
    for (const [k, v] of Object.entries(user.attributes)) {
      if (k === 'sub') continue;
      if (k === 'identities') {
        // Stored as Cognito stores it (a JSON string); the ID token carries the list itself.
        try {
          idClaims[k] = JSON.parse(v) as unknown;
        } catch {
          /* a malformed value is left out */
        }
        continue;
      }
      idClaims[k] = k.endsWith('_verified') ? v === 'true' : v;
    }
    const groups = groupClaims(this.groups.of(user));
    Object.assign(idClaims, groups);
    const accessToken = await this.signer.sign(
      {
        sub: user.sub,
        client_id: clientId,
        token_use: 'access',
        scope: scopes ? scopes.join(' ') : 'aws.cognito.signin.user.admin',
        auth_time: authTime,
        origin_jti: originJti,
        event_id: eventId,
        username: this.usernameOf(user),
        ...(groups['cognito:groups'] ? { 'cognito:groups': groups['cognito:groups'] } : {}),
      },
      now,
      this.settings.accessTokenTtlSeconds,
    );
    // OIDC Core 3.3.2.11: the left half of the access token's SHA-256, as Cognito's ID tokens
    // from managed login carry it.
    if (scopes) {
      const digest = createHash('sha256').update(accessToken).digest();
      idClaims.at_hash = digest.subarray(0, digest.length / 2).toString('base64url');
    }
    const idToken = await this.signer.sign(idClaims, now, this.settings.idTokenTtlSeconds);
    const result: Json = {
      AccessToken: accessToken,
      IdToken: idToken,
      ExpiresIn: this.settings.accessTokenTtlSeconds,
      TokenType: 'Bearer',
    };
    if (withRefreshToken) {
      const refreshToken = randomBytes(96).toString('base64url');
      this.state.data.refreshTokens[hashToken(refreshToken)] = {
        sub: user.sub,
        clientId,
        originJti,
        authTime,
        issuedAt: now,
        expiresAt: now + this.settings.refreshTokenTtlSeconds,
        revoked: false,
        ...(scopes ? { scopes } : {}),
      };
      result.RefreshToken = refreshToken;
    }
    this.state.save(this.clock.now());
    return result;
  }

  /** Verifies an access token of this pool: signature, expiry, use, and server-side state. */
  async userFromAccessToken(token: string): Promise<UserRecord> {
    let claims;
    try {
      claims = await this.signer.verify(token, this.clock.nowSeconds());
    } catch (err) {
      const expired = (err as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw notAuthorized(expired ? 'Access Token has expired' : 'Invalid Access Token');
    }
    if (claims.token_use !== 'access') throw notAuthorized('Invalid Access Token');
    if (!this.tokenIsActive(claims)) throw notAuthorized('Access Token has been revoked');
    return this.state.data.users[claims.sub!]!;
  }

  /** The scopes of a valid access token of this pool (managed login's userInfo checks `openid`). */
  async accessTokenScopes(token: string): Promise<{ user: UserRecord; scopes: string[] }> {
    const user = await this.userFromAccessToken(token);
    const claims = await this.signer.verify(token, this.clock.nowSeconds());
    return { user, scopes: typeof claims.scope === 'string' ? claims.scope.split(' ') : [] };
  }

  /** Whether a token (ID or access) of this pool is still active server-side. */
  tokenIsActive(claims: { sub?: unknown; iat?: unknown; origin_jti?: unknown }): boolean {
    const user = typeof claims.sub === 'string' ? this.state.data.users[claims.sub] : undefined;
    if (!user || !user.enabled) return false;
    if (typeof claims.iat !== 'number' || claims.iat < user.tokensValidAfter) return false;
    if (typeof claims.origin_jti === 'string' && this.revokedOrigins()[claims.origin_jti])
      return false;
    return true;
  }

  /** Signs the user out everywhere: refresh tokens revoked, earlier tokens rejected. */
  globalSignOut(user: UserRecord): void {
    const now = this.clock.nowSeconds();
    user.tokensValidAfter = now;
    for (const r of Object.values(this.state.data.refreshTokens)) {
      if (r.sub === user.sub) this.revokeOrigin(r.originJti);
    }
    this.state.save(this.clock.now());
  }

  revokeOrigin(originJti: string) {
    for (const r of Object.values(this.state.data.refreshTokens)) {
      if (r.originJti === originJti) r.revoked = true;
    }
    this.revokedOrigins()[originJti] =
      this.clock.nowSeconds() + this.settings.refreshTokenTtlSeconds;
  }

  private revokedOrigins(): Record<string, number> {
    const data = this.state.data as { revokedOrigins?: Record<string, number> };
    return (data.revokedOrigins ??= {});
  }

  /**
   * Revokes a refresh token and everything issued from the same sign-in (RevokeToken and the
   * revocation endpoint). An unknown token is no error (RFC 7009 §2.2); another client's is.
   */
  revokeRefreshToken(token: string, clientId: string): 'revoked' | 'unknown' | 'otherClient' {
    const rec = this.state.data.refreshTokens[hashToken(token)];
    if (!rec) return 'unknown';
    if (rec.clientId !== clientId) return 'otherClient';
    this.revokeOrigin(rec.originJti);
    this.state.save(this.clock.now());
    return 'revoked';
  }

  /** Revokes every session that began with the same sign-in as this refresh token (a code replayed). */
  revokeSignIn(originJti: string): void {
    this.revokeOrigin(originJti);
    this.state.save(this.clock.now());
  }

  /** The sign-in a refresh token belongs to (to revoke what a replayed code produced). */
  originOf(refreshToken: string): string | undefined {
    return this.state.data.refreshTokens[hashToken(refreshToken)]?.originJti;
  }

  /** Tokens for a managed-login sign-in, as the token endpoint answers (an ID token with `openid`). */
  async oauthTokens(user: UserRecord, clientId: string, grant: OAuthGrant) {
    const r = await this.issueTokens(user, clientId, null, true, grant);
    return {
      ...(grant.scopes.includes('openid') ? { id_token: r.IdToken } : {}),
      access_token: r.AccessToken,
      refresh_token: r.RefreshToken,
      expires_in: r.ExpiresIn,
      token_type: 'Bearer',
    };
  }

  // --------------------------------------------------- the API's checks

  checkClient(clientId: string) {
    if (clientId !== this.ids.clientId) {
      throw resourceNotFound(`User pool client ${clientId} does not exist.`);
    }
  }

  checkPool(body: Json) {
    const id = str(body, 'UserPoolId');
    if (id !== this.ids.userPoolId) throw resourceNotFound(`User pool ${id} does not exist.`);
  }
}

/** A temporary password that satisfies the default policy. */
export function generatePassword(): string {
  const pick = (chars: string) => chars[randomInt(chars.length)]!;
  const parts = [
    pick('ABCDEFGHJKLMNPQRSTUVWXYZ'),
    pick('abcdefghijkmnopqrstuvwxyz'),
    pick('23456789'),
    pick('!#%&*+-=?@^_'),
  ];
  for (let i = 0; i < 8; i++)
    parts.push(pick('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'));
  return parts.sort(() => randomInt(3) - 1).join('');
}

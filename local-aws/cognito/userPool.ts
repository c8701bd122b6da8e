/**
 * The user pool (cognito-idp, JSON 1.1): SRP sign-in and its challenges, refresh with and
 * without rotation, revocation, global sign-out, forgot password, TOTP and SMS MFA, and the
 * administrator operations. Errors carry Cognito's `__type` names and messages; with
 * PreventUserExistenceErrors a wrong user and a wrong password look the same.
 */
import {
  createHash,
  createHmac,
  randomBytes,
  randomInt,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { Clock } from '../clock';
import type { StateFile, UserRecord } from '../state';
import { AwsJsonError, invalidParameter, notAuthorized, resourceNotFound } from './errors';
import { GROUP_OPERATIONS, groupClaims, UserPoolGroups } from './groups';
import { passwordProblem, type PasswordPolicy } from './passwordPolicy';
import {
  createVerifier,
  deriveKey,
  g,
  modPow,
  N,
  padHex,
  parseSrpTimestamp,
  startHandshake,
  verifyClaim,
  type ServerHandshake,
} from './srp';
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
}

interface SrpPending {
  hs: ServerHandshake;
  A: bigint;
  sub: string | null;
  userIdForSrp: string;
  verifier: string;
  clientId: string;
  expiresAt: number;
}

interface ChallengeSession {
  name: 'NEW_PASSWORD_REQUIRED' | 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA';
  sub: string;
  clientId: string;
  expiresAt: number;
  attempts: number;
  smsCode?: string;
}

const SRP_TTL_MS = 5 * 60 * 1000;
const SESSION_TTL_MS = 3 * 60 * 1000;
const CODE_TTL_S = 3600;
/** Wrong ConfirmForgotPassword codes before the code is spent (Cognito: LimitExceededException). */
export const MAX_CODE_ATTEMPTS = 5;

const sameCode = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
const LOCKOUT_AFTER = 5;

const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

function str(body: Json, name: string, required = true): string {
  const v = body[name];
  if (typeof v === 'string' && v.length > 0) return v;
  if (!required && (v === undefined || v === null)) return '';
  throw invalidParameter(
    `1 validation error detected: Value at '${name.charAt(0).toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must not be null`,
  );
}

function record(body: Json, name: string): Record<string, string> {
  const v = body[name];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${name} must be a map`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Json)) if (typeof val === 'string') out[k] = val;
  return out;
}

function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}

export class UserPool {
  private readonly srp = new Map<string, SrpPending>();
  private readonly sessions = new Map<string, ChallengeSession>();
  readonly groups: UserPoolGroups;

  constructor(
    private readonly state: StateFile,
    private readonly clock: Clock,
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
    const bySub = users[username];
    if (bySub) return bySub;
    const lower = username.toLowerCase();
    return Object.values(users).find((u) => u.attributes.email?.toLowerCase() === lower);
  }

  private requireUser(username: string): UserRecord {
    const user = this.findUser(username);
    if (!user) throw new AwsJsonError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  private setPassword(user: UserRecord, password: string) {
    const { salt, verifier } = createVerifier(this.poolName, user.sub, password);
    user.salt = salt;
    user.verifier = verifier;
    user.modifiedAt = this.clock.now();
  }

  private checkPolicy(password: string) {
    const problem = passwordProblem(password, this.settings.passwordPolicy);
    if (problem) {
      throw new AwsJsonError(
        'InvalidPasswordException',
        `Password does not conform to policy: ${problem}`,
      );
    }
  }

  private passwordMatches(user: UserRecord, password: string): boolean {
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
    const user: UserRecord = {
      sub: randomUUID(),
      attributes: { email, email_verified: 'false', ...attributes },
      status: 'FORCE_CHANGE_PASSWORD',
      enabled: true,
      salt: '',
      verifier: '',
      temporaryPasswordExpiresAt:
        now + this.settings.passwordPolicy.temporaryPasswordValidityDays * 86400_000,
      createdAt: now,
      modifiedAt: now,
      totpEnabled: false,
      smsMfaEnabled: false,
      tokensValidAfter: 0,
      failedAttempts: 0,
    };
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

  /** Signs the user out everywhere: refresh tokens revoked, earlier tokens rejected. */
  globalSignOut(user: UserRecord): void {
    const now = this.clock.nowSeconds();
    user.tokensValidAfter = now;
    for (const r of Object.values(this.state.data.refreshTokens)) {
      if (r.sub === user.sub) this.revokeOrigin(r.originJti);
    }
    this.state.save(this.clock.now());
  }

  private revokeOrigin(originJti: string) {
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

  /** Whether a token (ID or access) of this pool is still active server-side. */
  tokenIsActive(claims: { sub?: unknown; iat?: unknown; origin_jti?: unknown }): boolean {
    const user = typeof claims.sub === 'string' ? this.state.data.users[claims.sub] : undefined;
    if (!user || !user.enabled) return false;
    if (typeof claims.iat !== 'number' || claims.iat < user.tokensValidAfter) return false;
    if (typeof claims.origin_jti === 'string' && this.revokedOrigins()[claims.origin_jti])
      return false;
    return true;
  }

  // ------------------------------------------------------------- tokens

  private async issueTokens(
    user: UserRecord,
    clientId: string,
    origin: { originJti: string; authTime: number } | null,
    withRefreshToken: boolean,
  ) {
    const now = this.clock.nowSeconds();
    const originJti = origin?.originJti ?? randomUUID();
    const authTime = origin?.authTime ?? now;
    const eventId = randomUUID();
    const idClaims: Json = {
      sub: user.sub,
      'cognito:username': user.sub,
      aud: clientId,
      token_use: 'id',
      auth_time: authTime,
      origin_jti: originJti,
      event_id: eventId,
    };
    for (const [k, v] of Object.entries(user.attributes)) {
      if (k === 'sub') continue;
      idClaims[k] = k.endsWith('_verified') ? v === 'true' : v;
    }
    const groups = groupClaims(this.groups.of(user));
    Object.assign(idClaims, groups);
    const idToken = await this.signer.sign(idClaims, now, this.settings.idTokenTtlSeconds);
    const accessToken = await this.signer.sign(
      {
        sub: user.sub,
        client_id: clientId,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        auth_time: authTime,
        origin_jti: originJti,
        event_id: eventId,
        username: user.sub,
        ...(groups['cognito:groups'] ? { 'cognito:groups': groups['cognito:groups'] } : {}),
      },
      now,
      this.settings.accessTokenTtlSeconds,
    );
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
      };
      result.RefreshToken = refreshToken;
    }
    this.state.save(this.clock.now());
    return result;
  }

  /** Verifies an access token of this pool: signature, expiry, use, and server-side state. */
  private async userFromAccessToken(token: string): Promise<UserRecord> {
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

  // ------------------------------------------------------- the API

  private checkClient(clientId: string) {
    if (clientId !== this.ids.clientId) {
      throw resourceNotFound(`User pool client ${clientId} does not exist.`);
    }
  }

  private checkPool(body: Json) {
    const id = str(body, 'UserPoolId');
    if (id !== this.ids.userPoolId) throw resourceNotFound(`User pool ${id} does not exist.`);
  }

  private newSession(s: Omit<ChallengeSession, 'expiresAt' | 'attempts'>): string {
    const id = randomBytes(96).toString('base64');
    this.sessions.set(id, { ...s, expiresAt: this.clock.now() + SESSION_TTL_MS, attempts: 0 });
    return id;
  }

  private takeSession(
    body: Json,
    name: ChallengeSession['name'],
    clientId: string,
  ): [string, ChallengeSession] {
    const id = str(body, 'Session', false);
    const s = id ? this.sessions.get(id) : undefined;
    if (!s || s.name !== name || s.clientId !== clientId || s.expiresAt < this.clock.now()) {
      if (id) this.sessions.delete(id);
      throw notAuthorized('Invalid session for the user, session is expired.');
    }
    return [id, s];
  }

  private recordFailure(user: UserRecord | undefined) {
    if (!user) return;
    user.failedAttempts += 1;
    if (user.failedAttempts >= LOCKOUT_AFTER) {
      const seconds = 2 ** Math.min(user.failedAttempts - LOCKOUT_AFTER, 10);
      user.lockedUntil = this.clock.now() + seconds * 1000;
    }
    this.state.save(this.clock.now());
  }

  /** A stable, fake SRP identity for an unknown user, so it looks like a real one. */
  private phantom(username: string) {
    const h = createHmac('sha256', this.ids.serverSecret)
      .update(username.toLowerCase())
      .digest('hex');
    const userIdForSrp = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    const salt = h.slice(32, 64);
    const x = BigInt('0x' + createHmac('sha256', this.ids.serverSecret).update(h).digest('hex'));
    return { userIdForSrp, salt, verifier: modPow(g, x, N).toString(16) };
  }

  private async initiateAuth(body: Json) {
    const clientId = str(body, 'ClientId');
    this.checkClient(clientId);
    const flow = str(body, 'AuthFlow');
    const params = record(body, 'AuthParameters');
    if (flow === 'USER_SRP_AUTH') return this.startSrp(clientId, params);
    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
      if (this.settings.refreshTokenRotation) {
        throw invalidParameter(
          'Refresh token rotation is enabled for this app client: use GetTokensFromRefreshToken.',
        );
      }
      const token = params.REFRESH_TOKEN;
      if (!token) throw invalidParameter('Missing required parameter REFRESH_TOKEN');
      return {
        AuthenticationResult: await this.refresh(token, clientId, false),
        ChallengeParameters: {},
      };
    }
    if (
      flow === 'USER_PASSWORD_AUTH' ||
      flow === 'ADMIN_NO_SRP_AUTH' ||
      flow === 'ADMIN_USER_PASSWORD_AUTH'
    ) {
      throw invalidParameter(`${flow} flow not enabled for this client`);
    }
    throw invalidParameter(`Unsupported AuthFlow ${flow}`);
  }

  private startSrp(clientId: string, params: Record<string, string>) {
    const username = params.USERNAME;
    const srpA = params.SRP_A;
    if (!username) throw invalidParameter('Missing required parameter USERNAME');
    if (!srpA || !/^[0-9a-fA-F]+$/.test(srpA))
      throw invalidParameter('Missing required parameter SRP_A');
    const user = this.findUser(username);
    if (user && user.status === 'RESET_REQUIRED') {
      throw new AwsJsonError(
        'PasswordResetRequiredException',
        'Password reset required for the user',
      );
    }
    if (user?.lockedUntil && user.lockedUntil > this.clock.now()) {
      throw notAuthorized('Password attempts exceeded');
    }
    if (!user && !this.settings.preventUserExistenceErrors) {
      throw new AwsJsonError('UserNotFoundException', 'User does not exist.');
    }
    const fake = user ? null : this.phantom(username);
    const userIdForSrp = user ? user.sub : fake!.userIdForSrp;
    const verifier = user ? user.verifier : fake!.verifier;
    const salt = user ? user.salt : fake!.salt;
    const A = BigInt('0x' + srpA);
    if (A % N === 0n) throw invalidParameter('Invalid SRP_A value.');
    const hs = startHandshake(verifier);
    const secretBlock = randomBytes(512).toString('base64');
    const now = this.clock.now();
    for (const [k, p] of this.srp) if (p.expiresAt < now) this.srp.delete(k);
    this.srp.set(secretBlock, {
      hs,
      A,
      sub: user?.sub ?? null,
      userIdForSrp,
      verifier,
      clientId,
      expiresAt: now + SRP_TTL_MS,
    });
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: {
        SALT: salt,
        SECRET_BLOCK: secretBlock,
        SRP_B: hs.B.toString(16),
        USERNAME: userIdForSrp,
        USER_ID_FOR_SRP: userIdForSrp,
      },
    };
  }

  private async respondToAuthChallenge(body: Json) {
    const clientId = str(body, 'ClientId');
    this.checkClient(clientId);
    const name = str(body, 'ChallengeName');
    const responses = record(body, 'ChallengeResponses');
    switch (name) {
      case 'PASSWORD_VERIFIER':
        return this.passwordVerifier(clientId, responses);
      case 'NEW_PASSWORD_REQUIRED':
        return this.newPasswordRequired(body, clientId, responses);
      case 'SOFTWARE_TOKEN_MFA':
      case 'SMS_MFA':
        return this.mfaAnswer(body, name, clientId, responses);
      default:
        throw invalidParameter(`Unsupported ChallengeName ${name}`);
    }
  }

  private async passwordVerifier(clientId: string, r: Record<string, string>) {
    const block = r.PASSWORD_CLAIM_SECRET_BLOCK ?? '';
    const pending = this.srp.get(block);
    this.srp.delete(block);
    if (!pending || pending.clientId !== clientId || pending.expiresAt < this.clock.now()) {
      throw notAuthorized('Invalid session for the user.');
    }
    const user = pending.sub ? this.state.data.users[pending.sub] : undefined;
    const ts = parseSrpTimestamp(r.TIMESTAMP ?? '');
    if (ts === null || Math.abs(ts - this.clock.now()) > 15 * 60 * 1000) {
      throw invalidParameter('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
    }
    const key = deriveKey(pending.verifier, pending.hs, pending.A);
    const ok =
      key !== null &&
      verifyClaim(
        key,
        this.poolName,
        pending.userIdForSrp,
        block,
        r.TIMESTAMP!,
        r.PASSWORD_CLAIM_SIGNATURE ?? '',
      );
    if (!ok || !user) {
      this.recordFailure(user);
      throw notAuthorized();
    }
    return this.afterPassword(user, clientId);
  }

  /** After a correct password: account state, then a challenge or tokens. */
  private async afterPassword(user: UserRecord, clientId: string) {
    user.failedAttempts = 0;
    delete user.lockedUntil;
    if (!user.enabled) throw notAuthorized('User is disabled.');
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      if ((user.temporaryPasswordExpiresAt ?? Infinity) < this.clock.now()) {
        throw notAuthorized(
          'Temporary password has expired and must be reset by an administrator.',
        );
      }
      const attributes = { ...user.attributes };
      delete attributes.sub;
      const missing = this.settings.requiredAttributes.filter((a) => !user.attributes[a]);
      return {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: this.newSession({ name: 'NEW_PASSWORD_REQUIRED', sub: user.sub, clientId }),
        ChallengeParameters: {
          USER_ID_FOR_SRP: user.sub,
          requiredAttributes: JSON.stringify(missing.map((a) => `userAttributes.${a}`)),
          userAttributes: JSON.stringify(attributes),
        },
      };
    }
    return this.mfaOrTokens(user, clientId);
  }

  private async mfaOrTokens(user: UserRecord, clientId: string) {
    if (user.totpEnabled && user.totpSecret) {
      return {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: this.newSession({ name: 'SOFTWARE_TOKEN_MFA', sub: user.sub, clientId }),
        ChallengeParameters: { USER_ID_FOR_SRP: user.sub },
      };
    }
    if (user.smsMfaEnabled && user.attributes.phone_number) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      this.sendMessage(user, 'SMS_MFA', code, user.attributes.phone_number);
      const phone = user.attributes.phone_number;
      return {
        ChallengeName: 'SMS_MFA',
        Session: this.newSession({ name: 'SMS_MFA', sub: user.sub, clientId, smsCode: code }),
        ChallengeParameters: {
          USER_ID_FOR_SRP: user.sub,
          CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
          CODE_DELIVERY_DESTINATION: `+*******${phone.slice(-4)}`,
        },
      };
    }
    this.state.save(this.clock.now());
    return {
      AuthenticationResult: await this.issueTokens(user, clientId, null, true),
      ChallengeParameters: {},
    };
  }

  private async newPasswordRequired(body: Json, clientId: string, r: Record<string, string>) {
    const [id, session] = this.takeSession(body, 'NEW_PASSWORD_REQUIRED', clientId);
    const user = this.state.data.users[session.sub];
    if (!user || user.status !== 'FORCE_CHANGE_PASSWORD')
      throw notAuthorized('Invalid session for the user.');
    const named = r.USERNAME ? this.findUser(r.USERNAME) : undefined;
    if (named?.sub !== user.sub) throw notAuthorized('Invalid session for the user.');
    const password = r.NEW_PASSWORD;
    if (!password) throw invalidParameter('Missing required parameter NEW_PASSWORD');
    this.checkPolicy(password);
    const given: Record<string, string> = {};
    for (const [k, v] of Object.entries(r)) {
      if (k.startsWith('userAttributes.')) given[k.slice('userAttributes.'.length)] = v;
    }
    for (const a of this.settings.requiredAttributes) {
      if (!user.attributes[a] && !given[a]) {
        throw invalidParameter(`Invalid attributes given, ${a} is missing`);
      }
    }
    for (const forbidden of ['sub', 'email_verified', 'phone_number_verified'])
      delete given[forbidden];
    Object.assign(user.attributes, given);
    this.setPassword(user, password);
    user.status = 'CONFIRMED';
    delete user.temporaryPasswordExpiresAt;
    this.sessions.delete(id);
    return this.mfaOrTokens(user, clientId);
  }

  private async mfaAnswer(
    body: Json,
    name: 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA',
    clientId: string,
    r: Record<string, string>,
  ) {
    const [id, session] = this.takeSession(body, name, clientId);
    const user = this.state.data.users[session.sub];
    if (!user) throw notAuthorized('Invalid session for the user.');
    const code = name === 'SMS_MFA' ? r.SMS_MFA_CODE : r.SOFTWARE_TOKEN_MFA_CODE;
    if (!code) throw invalidParameter(`Missing required parameter ${name}_CODE`);
    const ok =
      name === 'SMS_MFA' ? code === session.smsCode : this.totpMatches(user.totpSecret ?? '', code);
    if (!ok) {
      session.attempts += 1;
      if (session.attempts >= 3) this.sessions.delete(id);
      throw new AwsJsonError('CodeMismatchException', 'Invalid code received for user');
    }
    this.sessions.delete(id);
    return {
      AuthenticationResult: await this.issueTokens(user, clientId, null, true),
      ChallengeParameters: {},
    };
  }

  private totpMatches(secret: string, code: string): boolean {
    if (!secret) return false;
    const totp = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(secret),
      digits: 6,
      period: 30,
    });
    return totp.validate({ token: code, timestamp: this.clock.now(), window: 1 }) !== null;
  }

  /** REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken. */
  private async refresh(token: string, clientId: string, mayRotate: boolean) {
    const h = hashToken(token);
    const rec = this.state.data.refreshTokens[h];
    const now = this.clock.nowSeconds();
    if (!rec || rec.clientId !== clientId) throw notAuthorized('Invalid Refresh Token');
    if (rec.revoked) throw notAuthorized('Refresh Token has been revoked');
    if (rec.expiresAt <= now) throw notAuthorized('Refresh Token has expired');
    if (
      rec.rotatedAt !== undefined &&
      now - rec.rotatedAt >= this.settings.rotationGracePeriodSeconds
    ) {
      throw notAuthorized('Invalid Refresh Token');
    }
    const user = this.state.data.users[rec.sub];
    if (!user) throw notAuthorized('User does not exist.');
    if (!user.enabled) throw notAuthorized('User is disabled.');
    if (rec.issuedAt < user.tokensValidAfter) throw notAuthorized('Refresh Token has been revoked');
    const rotate = mayRotate && this.settings.refreshTokenRotation;
    const result = await this.issueTokens(user, clientId, rec, rotate);
    if (rotate) {
      rec.rotatedAt = now;
      this.state.save(this.clock.now());
    }
    return result;
  }

  private forgotPassword(body: Json) {
    const clientId = str(body, 'ClientId');
    this.checkClient(clientId);
    const username = str(body, 'Username');
    const user = this.findUser(username);
    if (!user) {
      if (!this.settings.preventUserExistenceErrors) {
        throw new AwsJsonError(
          'UserNotFoundException',
          'Username/client id combination not found.',
        );
      }
      return {
        CodeDeliveryDetails: {
          AttributeName: 'email',
          DeliveryMedium: 'EMAIL',
          Destination: maskEmail(username),
        },
      };
    }
    if (!user.enabled) throw notAuthorized('User is disabled.');
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      throw notAuthorized('User password cannot be reset in the current state.');
    }
    const email = user.attributes.email ?? username;
    this.issueResetCode(user);
    return {
      CodeDeliveryDetails: {
        AttributeName: 'email',
        DeliveryMedium: 'EMAIL',
        Destination: maskEmail(email),
      },
    };
  }

  private issueResetCode(user: UserRecord) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.state.data.forgotCodes[user.sub] = {
      code,
      expiresAt: this.clock.nowSeconds() + CODE_TTL_S,
    };
    this.sendMessage(user, 'FORGOT_PASSWORD', code, user.attributes.email ?? '');
  }

  private sendMessage(
    user: UserRecord,
    kind: 'FORGOT_PASSWORD' | 'SMS_MFA' | 'INVITATION',
    code: string,
    to: string,
  ) {
    this.state.data.outbox.push({ at: this.clock.now(), to, sub: user.sub, kind, code });
    this.state.save(this.clock.now());
  }

  private confirmForgotPassword(body: Json) {
    const clientId = str(body, 'ClientId');
    this.checkClient(clientId);
    const user = this.findUser(str(body, 'Username'));
    const code = str(body, 'ConfirmationCode');
    const password = str(body, 'Password');
    const entry = user ? this.state.data.forgotCodes[user.sub] : undefined;
    if (entry && (entry.attempts ?? 0) >= MAX_CODE_ATTEMPTS) {
      // The code is spent after too many wrong guesses (a 6-digit code must not be brute-forced).
      throw new AwsJsonError(
        'LimitExceededException',
        'Attempt limit exceeded, please try after some time.',
      );
    }
    if (!user || !entry || !sameCode(entry.code, code)) {
      if (entry) {
        entry.attempts = (entry.attempts ?? 0) + 1;
        this.state.save(this.clock.now());
      }
      throw new AwsJsonError(
        'CodeMismatchException',
        'Invalid verification code provided, please try again.',
      );
    }
    if (entry.expiresAt < this.clock.nowSeconds()) {
      throw new AwsJsonError(
        'ExpiredCodeException',
        'Invalid code provided, please request a code again.',
      );
    }
    this.checkPolicy(password);
    this.setPassword(user, password);
    user.status = 'CONFIRMED';
    user.failedAttempts = 0;
    delete user.lockedUntil;
    delete this.state.data.forgotCodes[user.sub];
    this.state.save(this.clock.now());
    return {};
  }

  private userView(user: UserRecord, shape: 'Attributes' | 'UserAttributes') {
    const mfa: string[] = [];
    if (user.smsMfaEnabled) mfa.push('SMS_MFA');
    if (user.totpEnabled) mfa.push('SOFTWARE_TOKEN_MFA');
    return {
      Username: user.sub,
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

  private setMfaPreference(user: UserRecord, body: Json) {
    const totp = body.SoftwareTokenMfaSettings as { Enabled?: boolean } | undefined;
    const sms = body.SMSMfaSettings as { Enabled?: boolean } | undefined;
    if (totp?.Enabled !== undefined) {
      if (totp.Enabled && !user.totpSecret) {
        throw invalidParameter('User has not verified software token mfa');
      }
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

  private listUsers(body: Json) {
    const filter = typeof body.Filter === 'string' ? body.Filter : '';
    const limit = Math.min(typeof body.Limit === 'number' ? body.Limit : 60, 60);
    const start =
      typeof body.PaginationToken === 'string'
        ? Number(Buffer.from(body.PaginationToken, 'base64').toString())
        : 0;
    let users = Object.values(this.state.data.users).sort(
      (a, b) => a.createdAt - b.createdAt || a.sub.localeCompare(b.sub),
    );
    if (filter) {
      const m = /^\s*([\w:]+)\s*(=|\^=)\s*"([^"]*)"\s*$/.exec(filter);
      if (!m) throw invalidParameter('Invalid search filter');
      const [, attr, op, value] = m as unknown as [string, string, string, string];
      const pick = (u: UserRecord) =>
        attr === 'username'
          ? u.sub
          : attr === 'status'
            ? u.enabled
              ? 'Enabled'
              : 'Disabled'
            : attr === 'cognito:user_status'
              ? u.status
              : (u.attributes[attr] ?? '');
      users = users.filter((u) => (op === '=' ? pick(u) === value : pick(u).startsWith(value)));
    }
    const page = users.slice(start, start + limit);
    const next =
      start + limit < users.length
        ? Buffer.from(String(start + limit)).toString('base64')
        : undefined;
    return {
      Users: page.map((u) => this.userView(u, 'Attributes')),
      ...(next ? { PaginationToken: next } : {}),
    };
  }

  /** Operations that need IAM (SigV4) credentials; the caller checked them. */
  static readonly ADMIN_OPERATIONS = new Set([
    'AdminCreateUser',
    'AdminSetUserPassword',
    'AdminDisableUser',
    'AdminEnableUser',
    'AdminDeleteUser',
    'AdminGetUser',
    'AdminResetUserPassword',
    'AdminUserGlobalSignOut',
    'AdminSetUserMFAPreference',
    'ListUsers',
    'DescribeUserPool',
    'DescribeUserPoolClient',
    ...GROUP_OPERATIONS,
  ]);

  async handle(op: string, body: Json): Promise<unknown> {
    if (UserPool.ADMIN_OPERATIONS.has(op)) return this.handleAdmin(op, body);
    switch (op) {
      case 'InitiateAuth':
        return this.initiateAuth(body);
      case 'RespondToAuthChallenge':
        return this.respondToAuthChallenge(body);
      case 'GetTokensFromRefreshToken': {
        const clientId = str(body, 'ClientId');
        this.checkClient(clientId);
        return {
          AuthenticationResult: await this.refresh(str(body, 'RefreshToken'), clientId, true),
        };
      }
      case 'RevokeToken': {
        const clientId = str(body, 'ClientId');
        this.checkClient(clientId);
        const rec = this.state.data.refreshTokens[hashToken(str(body, 'Token'))];
        if (rec && rec.clientId === clientId) {
          this.revokeOrigin(rec.originJti);
          this.state.save(this.clock.now());
        } else if (rec) {
          throw new AwsJsonError(
            'UnauthorizedException',
            'Client is not authorized to revoke this token.',
          );
        }
        return {};
      }
      case 'GlobalSignOut':
        this.globalSignOut(await this.userFromAccessToken(str(body, 'AccessToken')));
        return {};
      case 'GetUser': {
        const user = await this.userFromAccessToken(str(body, 'AccessToken'));
        return this.userView(user, 'UserAttributes');
      }
      case 'ChangePassword': {
        const user = await this.userFromAccessToken(str(body, 'AccessToken'));
        if (!this.passwordMatches(user, str(body, 'PreviousPassword'))) throw notAuthorized();
        const next = str(body, 'ProposedPassword');
        this.checkPolicy(next);
        this.setPassword(user, next);
        this.state.save(this.clock.now());
        return {};
      }
      case 'ForgotPassword':
        return this.forgotPassword(body);
      case 'ConfirmForgotPassword':
        return this.confirmForgotPassword(body);
      case 'AssociateSoftwareToken': {
        const user = await this.userFromAccessToken(str(body, 'AccessToken'));
        user.totpPendingSecret = new OTPAuth.Secret({ size: 20 }).base32;
        this.state.save(this.clock.now());
        return { SecretCode: user.totpPendingSecret };
      }
      case 'VerifySoftwareToken': {
        const user = await this.userFromAccessToken(str(body, 'AccessToken'));
        const pending = user.totpPendingSecret;
        if (!pending) throw invalidParameter('User has not associated a software token');
        if (!this.totpMatches(pending, str(body, 'UserCode'))) {
          throw new AwsJsonError('EnableSoftwareTokenMFAException', 'Code mismatch');
        }
        user.totpSecret = pending;
        delete user.totpPendingSecret;
        this.state.save(this.clock.now());
        return { Status: 'SUCCESS' };
      }
      case 'SetUserMFAPreference':
        return this.setMfaPreference(
          await this.userFromAccessToken(str(body, 'AccessToken')),
          body,
        );
      default:
        throw new AwsJsonError('UnknownOperationException', `Unknown operation ${op}`);
    }
  }

  private handleAdmin(op: string, body: Json): unknown {
    this.checkPool(body);
    if (GROUP_OPERATIONS.has(op)) return this.groups.handle(op, body);
    const now = this.clock.now();
    switch (op) {
      case 'AdminCreateUser': {
        const username = str(body, 'Username');
        const attrs: Record<string, string> = {};
        for (const a of (body.UserAttributes as { Name: string; Value: string }[] | undefined) ??
          []) {
          if (typeof a?.Name === 'string' && typeof a.Value === 'string') attrs[a.Name] = a.Value;
        }
        if (body.MessageAction === 'RESEND') {
          const user = this.requireUser(username);
          return { User: this.userView(user, 'Attributes') };
        }
        const temporary = str(body, 'TemporaryPassword', false) || generatePassword();
        const user = this.createUser(username, temporary, attrs);
        if (body.MessageAction !== 'SUPPRESS') {
          this.sendMessage(user, 'INVITATION', temporary, user.attributes.email ?? username);
        }
        return { User: this.userView(user, 'Attributes') };
      }
      case 'AdminSetUserPassword':
        this.setUserPassword(str(body, 'Username'), str(body, 'Password'), body.Permanent === true);
        return {};
      case 'AdminDisableUser':
      case 'AdminEnableUser': {
        const user = this.requireUser(str(body, 'Username'));
        user.enabled = op === 'AdminEnableUser';
        user.modifiedAt = now;
        this.state.save(now);
        return {};
      }
      case 'AdminDeleteUser': {
        const user = this.requireUser(str(body, 'Username'));
        delete this.state.data.users[user.sub];
        for (const [h, r] of Object.entries(this.state.data.refreshTokens)) {
          if (r.sub === user.sub) delete this.state.data.refreshTokens[h];
        }
        this.state.save(now);
        return {};
      }
      case 'AdminGetUser':
        return this.userView(this.requireUser(str(body, 'Username')), 'UserAttributes');
      case 'AdminResetUserPassword': {
        const user = this.requireUser(str(body, 'Username'));
        user.status = 'RESET_REQUIRED';
        this.issueResetCode(user);
        return {};
      }
      case 'AdminUserGlobalSignOut':
        this.globalSignOut(this.requireUser(str(body, 'Username')));
        return {};
      case 'AdminSetUserMFAPreference':
        return this.setMfaPreference(this.requireUser(str(body, 'Username')), body);
      case 'ListUsers':
        return this.listUsers(body);
      case 'DescribeUserPool':
        return {
          UserPool: {
            Id: this.ids.userPoolId,
            Name: this.poolName,
            Arn: this.poolArn,
            UsernameAttributes: ['email'],
            Policies: {
              PasswordPolicy: {
                ...this.settings.passwordPolicy,
                MinimumLength: this.settings.passwordPolicy.minimumLength,
              },
            },
            MfaConfiguration: 'OPTIONAL',
            EstimatedNumberOfUsers: Object.keys(this.state.data.users).length,
          },
        };
      case 'DescribeUserPoolClient':
        return {
          UserPoolClient: {
            UserPoolId: this.ids.userPoolId,
            ClientId: this.ids.clientId,
            ClientName: 'kura-desktop',
            ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
            EnableTokenRevocation: true,
            PreventUserExistenceErrors: this.settings.preventUserExistenceErrors
              ? 'ENABLED'
              : 'LEGACY',
            RefreshTokenRotation: {
              Feature: this.settings.refreshTokenRotation ? 'ENABLED' : 'DISABLED',
              RetryGracePeriodSeconds: this.settings.rotationGracePeriodSeconds,
            },
          },
        };
      default:
        throw new AwsJsonError('UnknownOperationException', `Unknown operation ${op}`);
    }
  }

  /** For tests and the admin endpoint: the messages (codes) the pool "sent". */
  outbox() {
    return this.state.data.outbox;
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

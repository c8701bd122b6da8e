/**
 * Signing in and the signed-in user's own calls (no IAM credentials): InitiateAuth with SRP and
 * refresh, RespondToAuthChallenge (password verifier, new password, TOTP and SMS MFA, MFA setup
 * with its session), refresh with and without rotation, revocation, global sign-out, forgot
 * password, GetUser, ChangePassword and the authenticator's own setup and preference. With
 * PreventUserExistenceErrors a wrong user and a wrong password look the same.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { UserRecord } from '../state';
import { AwsJsonError, invalidParameter, notAuthorized } from './errors';
import {
  deriveKey,
  g,
  modPow,
  N,
  parseSrpTimestamp,
  startHandshake,
  verifyClaim,
  type ServerHandshake,
} from './srp';
import { hashToken, maskEmail, record, str, type Json, type UserStore } from './users';

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
  /**
   * The challenge the session answers. Setting up an authenticator at sign-in takes three steps,
   * each with the session the previous one returned: MFA_SETUP (AssociateSoftwareToken),
   * MFA_SETUP_ASSOCIATED (VerifySoftwareToken), MFA_SETUP_VERIFIED (RespondToAuthChallenge).
   */
  name:
    | 'NEW_PASSWORD_REQUIRED'
    | 'SOFTWARE_TOKEN_MFA'
    | 'SMS_MFA'
    | 'MFA_SETUP'
    | 'MFA_SETUP_ASSOCIATED'
    | 'MFA_SETUP_VERIFIED';
  sub: string;
  clientId: string;
  expiresAt: number;
  attempts: number;
  smsCode?: string;
  /** MFA_SETUP_ASSOCIATED: the secret AssociateSoftwareToken gave, not yet verified. */
  secret?: string;
}

const SRP_TTL_MS = 5 * 60 * 1000;
const SESSION_TTL_MS = 3 * 60 * 1000;
/** Wrong ConfirmForgotPassword codes before the code is spent (Cognito: LimitExceededException). */
export const MAX_CODE_ATTEMPTS = 5;

const sameCode = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export class AuthFlows {
  private readonly srp = new Map<string, SrpPending>();
  private readonly sessions = new Map<string, ChallengeSession>();

  constructor(private readonly pool: UserStore) {}

  private newSession(s: Omit<ChallengeSession, 'expiresAt' | 'attempts'>): string {
    const id = randomBytes(96).toString('base64');
    this.sessions.set(id, { ...s, expiresAt: this.pool.clock.now() + SESSION_TTL_MS, attempts: 0 });
    return id;
  }

  private takeSession(
    body: Json,
    name: ChallengeSession['name'],
    clientId: string,
  ): [string, ChallengeSession] {
    const id = str(body, 'Session', false);
    const s = id ? this.sessions.get(id) : undefined;
    if (!s || s.name !== name || s.clientId !== clientId || s.expiresAt < this.pool.clock.now()) {
      if (id) this.sessions.delete(id);
      throw notAuthorized('Invalid session for the user, session is expired.');
    }
    return [id, s];
  }

  /** A stable, fake SRP identity for an unknown user, so it looks like a real one. */
  private phantom(username: string) {
    const h = createHmac('sha256', this.pool.ids.serverSecret)
      .update(username.toLowerCase())
      .digest('hex');
    const userIdForSrp = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    const salt = h.slice(32, 64);
    const x = BigInt(
      '0x' + createHmac('sha256', this.pool.ids.serverSecret).update(h).digest('hex'),
    );
    return { userIdForSrp, salt, verifier: modPow(g, x, N).toString(16) };
  }

  async initiateAuth(body: Json) {
    const clientId = str(body, 'ClientId');
    this.pool.checkClient(clientId);
    const flow = str(body, 'AuthFlow');
    const params = record(body, 'AuthParameters');
    if (flow === 'USER_SRP_AUTH') return this.startSrp(clientId, params);
    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
      if (this.pool.settings.refreshTokenRotation) {
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
    const user = this.pool.findUser(username);
    if (user && user.status === 'RESET_REQUIRED') {
      throw new AwsJsonError(
        'PasswordResetRequiredException',
        'Password reset required for the user',
      );
    }
    if (user?.lockedUntil && user.lockedUntil > this.pool.clock.now()) {
      throw notAuthorized('Password attempts exceeded');
    }
    if (!user && !this.pool.settings.preventUserExistenceErrors) {
      throw new AwsJsonError('UserNotFoundException', 'User does not exist.');
    }
    // A federated user has no password in this pool: their sign-in goes as an unknown user's.
    const known = user?.status === 'EXTERNAL_PROVIDER' ? undefined : user;
    const fake = known ? null : this.phantom(username);
    const userIdForSrp = known ? known.sub : fake!.userIdForSrp;
    const verifier = known ? known.verifier : fake!.verifier;
    const salt = known ? known.salt : fake!.salt;
    const A = BigInt('0x' + srpA);
    if (A % N === 0n) throw invalidParameter('Invalid SRP_A value.');
    const hs = startHandshake(verifier);
    const secretBlock = randomBytes(512).toString('base64');
    const now = this.pool.clock.now();
    for (const [k, p] of this.srp) if (p.expiresAt < now) this.srp.delete(k);
    this.srp.set(secretBlock, {
      hs,
      A,
      sub: known?.sub ?? null,
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

  async respondToAuthChallenge(body: Json) {
    const clientId = str(body, 'ClientId');
    this.pool.checkClient(clientId);
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
      case 'MFA_SETUP':
        return this.mfaSetupDone(body, clientId, responses);
      default:
        throw invalidParameter(`Unsupported ChallengeName ${name}`);
    }
  }

  private async passwordVerifier(clientId: string, r: Record<string, string>) {
    const block = r.PASSWORD_CLAIM_SECRET_BLOCK ?? '';
    const pending = this.srp.get(block);
    this.srp.delete(block);
    if (!pending || pending.clientId !== clientId || pending.expiresAt < this.pool.clock.now()) {
      throw notAuthorized('Invalid session for the user.');
    }
    const user = pending.sub ? this.pool.state.data.users[pending.sub] : undefined;
    const ts = parseSrpTimestamp(r.TIMESTAMP ?? '');
    if (ts === null || Math.abs(ts - this.pool.clock.now()) > 15 * 60 * 1000) {
      throw invalidParameter('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
    }
    const key = deriveKey(pending.verifier, pending.hs, pending.A);
    const ok =
      key !== null &&
      verifyClaim(
        key,
        this.pool.poolName,
        pending.userIdForSrp,
        block,
        r.TIMESTAMP!,
        r.PASSWORD_CLAIM_SIGNATURE ?? '',
      );
    if (!ok || !user) {
      this.pool.recordFailure(user);
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
      if ((user.temporaryPasswordExpiresAt ?? Infinity) < this.pool.clock.now()) {
        throw notAuthorized(
          'Temporary password has expired and must be reset by an administrator.',
        );
      }
      const attributes = { ...user.attributes };
      delete attributes.sub;
      const missing = this.pool.settings.requiredAttributes.filter((a) => !user.attributes[a]);
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
    const mfa = this.pool.settings.mfa ?? 'OPTIONAL';
    if (mfa === 'OFF') {
      this.pool.state.save(this.pool.clock.now());
      return {
        AuthenticationResult: await this.pool.issueTokens(user, clientId, null, true),
        ChallengeParameters: {},
      };
    }
    // Where MFA is required, a verified authenticator is always asked for (turning it off in the
    // preferences changes nothing there); where it is optional, only when the user turned it on.
    if (user.totpSecret && (user.totpEnabled || mfa === 'ON')) {
      return {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: this.newSession({ name: 'SOFTWARE_TOKEN_MFA', sub: user.sub, clientId }),
        ChallengeParameters: { USER_ID_FOR_SRP: user.sub },
      };
    }
    if (user.smsMfaEnabled && user.attributes.phone_number) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      this.pool.sendMessage(user, 'SMS_MFA', code, user.attributes.phone_number);
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
    if (mfa === 'ON') {
      // No second factor yet in a pool that requires one: the user sets up an authenticator
      // now (AssociateSoftwareToken and VerifySoftwareToken with this session), then answers
      // MFA_SETUP to finish signing in.
      return {
        ChallengeName: 'MFA_SETUP',
        Session: this.newSession({ name: 'MFA_SETUP', sub: user.sub, clientId }),
        ChallengeParameters: {
          MFAS_CAN_SETUP: JSON.stringify(['SOFTWARE_TOKEN_MFA']),
          USER_ID_FOR_SRP: user.sub,
        },
      };
    }
    this.pool.state.save(this.pool.clock.now());
    return {
      AuthenticationResult: await this.pool.issueTokens(user, clientId, null, true),
      ChallengeParameters: {},
    };
  }

  /** AssociateSoftwareToken with the MFA_SETUP session: a secret, and the session to verify it. */
  private associateInSetup(sessionId: string) {
    const s = this.liveSession(sessionId, 'MFA_SETUP');
    this.sessions.delete(sessionId);
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    return {
      SecretCode: secret,
      Session: this.newSession({
        name: 'MFA_SETUP_ASSOCIATED',
        sub: s.sub,
        clientId: s.clientId,
        secret,
      }),
    };
  }

  /**
   * VerifySoftwareToken with the session AssociateSoftwareToken gave: the code must come from
   * that secret (three tries); the authenticator is then the user's, and a new session finishes
   * the sign-in (RespondToAuthChallenge MFA_SETUP).
   */
  private verifyInSetup(sessionId: string, code: string) {
    const s = this.liveSession(sessionId, 'MFA_SETUP_ASSOCIATED');
    const user = this.pool.state.data.users[s.sub];
    if (!user) throw notAuthorized('Invalid session for the user.');
    if (!this.pool.totpMatches(s.secret ?? '', code)) {
      s.attempts += 1;
      if (s.attempts >= 3) this.sessions.delete(sessionId);
      throw new AwsJsonError('EnableSoftwareTokenMFAException', 'Code mismatch');
    }
    this.sessions.delete(sessionId);
    user.totpSecret = s.secret;
    user.totpEnabled = true;
    delete user.totpPendingSecret;
    user.modifiedAt = this.pool.clock.now();
    this.pool.state.save(this.pool.clock.now());
    return {
      Status: 'SUCCESS',
      Session: this.newSession({ name: 'MFA_SETUP_VERIFIED', sub: user.sub, clientId: s.clientId }),
    };
  }

  /** RespondToAuthChallenge MFA_SETUP: after VerifySoftwareToken, the sign-in completes. */
  private async mfaSetupDone(body: Json, clientId: string, r: Record<string, string>) {
    const [id, session] = this.takeSession(body, 'MFA_SETUP_VERIFIED', clientId);
    const user = this.pool.state.data.users[session.sub];
    const named = r.USERNAME ? this.pool.findUser(r.USERNAME) : undefined;
    if (!user || named?.sub !== user.sub) throw notAuthorized('Invalid session for the user.');
    this.sessions.delete(id);
    return {
      AuthenticationResult: await this.pool.issueTokens(user, clientId, null, true),
      ChallengeParameters: {},
    };
  }

  /** A challenge session by id and name, unexpired (the API calls that carry no ClientId). */
  private liveSession(id: string, name: ChallengeSession['name']): ChallengeSession {
    const s = this.sessions.get(id);
    if (!s || s.name !== name || s.expiresAt < this.pool.clock.now()) {
      this.sessions.delete(id);
      throw notAuthorized('Invalid session for the user, session is expired.');
    }
    return s;
  }

  private async newPasswordRequired(body: Json, clientId: string, r: Record<string, string>) {
    const [id, session] = this.takeSession(body, 'NEW_PASSWORD_REQUIRED', clientId);
    const user = this.pool.state.data.users[session.sub];
    if (!user || user.status !== 'FORCE_CHANGE_PASSWORD')
      throw notAuthorized('Invalid session for the user.');
    const named = r.USERNAME ? this.pool.findUser(r.USERNAME) : undefined;
    if (named?.sub !== user.sub) throw notAuthorized('Invalid session for the user.');
    const password = r.NEW_PASSWORD;
    if (!password) throw invalidParameter('Missing required parameter NEW_PASSWORD');
    this.pool.checkPolicy(password);
    const given: Record<string, string> = {};
    for (const [k, v] of Object.entries(r)) {
      if (k.startsWith('userAttributes.')) given[k.slice('userAttributes.'.length)] = v;
    }
    for (const a of this.pool.settings.requiredAttributes) {
      if (!user.attributes[a] && !given[a]) {
        throw invalidParameter(`Invalid attributes given, ${a} is missing`);
      }
    }
    for (const forbidden of ['sub', 'email_verified', 'phone_number_verified'])
      delete given[forbidden];
    Object.assign(user.attributes, given);
    this.pool.setPassword(user, password);
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
    const user = this.pool.state.data.users[session.sub];
    if (!user) throw notAuthorized('Invalid session for the user.');
    const code = name === 'SMS_MFA' ? r.SMS_MFA_CODE : r.SOFTWARE_TOKEN_MFA_CODE;
    if (!code) throw invalidParameter(`Missing required parameter ${name}_CODE`);
    const ok =
      name === 'SMS_MFA'
        ? code === session.smsCode
        : this.pool.totpMatches(user.totpSecret ?? '', code);
    if (!ok) {
      session.attempts += 1;
      if (session.attempts >= 3) this.sessions.delete(id);
      throw new AwsJsonError('CodeMismatchException', 'Invalid code received for user');
    }
    this.sessions.delete(id);
    return {
      AuthenticationResult: await this.pool.issueTokens(user, clientId, null, true),
      ChallengeParameters: {},
    };
  }

  /** REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken. */
  async refresh(token: string, clientId: string, mayRotate: boolean) {
    const h = hashToken(token);
    const rec = this.pool.state.data.refreshTokens[h];
    const now = this.pool.clock.nowSeconds();
    if (!rec || rec.clientId !== clientId) throw notAuthorized('Invalid Refresh Token');
    if (rec.revoked) throw notAuthorized('Refresh Token has been revoked');
    if (rec.expiresAt <= now) throw notAuthorized('Refresh Token has expired');
    if (
      rec.rotatedAt !== undefined &&
      now - rec.rotatedAt >= this.pool.settings.rotationGracePeriodSeconds
    ) {
      throw notAuthorized('Invalid Refresh Token');
    }
    const user = this.pool.state.data.users[rec.sub];
    if (!user) throw notAuthorized('User does not exist.');
    if (!user.enabled) throw notAuthorized('User is disabled.');
    if (rec.issuedAt < user.tokensValidAfter) throw notAuthorized('Refresh Token has been revoked');
    const rotate = mayRotate && this.pool.settings.refreshTokenRotation;
    const result = await this.pool.issueTokens(user, clientId, rec, rotate);
    if (rotate) {
      rec.rotatedAt = now;
      this.pool.state.save(this.pool.clock.now());
    }
    return result;
  }

  forgotPassword(body: Json) {
    const clientId = str(body, 'ClientId');
    this.pool.checkClient(clientId);
    const username = str(body, 'Username');
    const user = this.pool.findUser(username);
    if (!user) {
      if (!this.pool.settings.preventUserExistenceErrors) {
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
    this.pool.issueResetCode(user);
    return {
      CodeDeliveryDetails: {
        AttributeName: 'email',
        DeliveryMedium: 'EMAIL',
        Destination: maskEmail(email),
      },
    };
  }

  confirmForgotPassword(body: Json) {
    const clientId = str(body, 'ClientId');
    this.pool.checkClient(clientId);
    const user = this.pool.findUser(str(body, 'Username'));
    const code = str(body, 'ConfirmationCode');
    const password = str(body, 'Password');
    const entry = user ? this.pool.state.data.forgotCodes[user.sub] : undefined;
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
        this.pool.state.save(this.pool.clock.now());
      }
      throw new AwsJsonError(
        'CodeMismatchException',
        'Invalid verification code provided, please try again.',
      );
    }
    if (entry.expiresAt < this.pool.clock.nowSeconds()) {
      throw new AwsJsonError(
        'ExpiredCodeException',
        'Invalid code provided, please request a code again.',
      );
    }
    this.pool.checkPolicy(password);
    this.pool.setPassword(user, password);
    user.status = 'CONFIRMED';
    user.failedAttempts = 0;
    delete user.lockedUntil;
    delete this.pool.state.data.forgotCodes[user.sub];
    this.pool.state.save(this.pool.clock.now());
    return {};
  }

  // ------------------------------------------------ the client's other calls

  /** GetTokensFromRefreshToken: a refresh that may rotate the refresh token. */
  async getTokensFromRefreshToken(body: Json) {
    const clientId = str(body, 'ClientId');
    this.pool.checkClient(clientId);
    return {
      AuthenticationResult: await this.refresh(str(body, 'RefreshToken'), clientId, true),
    };
  }

  revokeToken(body: Json) {
    const clientId = str(body, 'ClientId');
    this.pool.checkClient(clientId);
    if (this.pool.revokeRefreshToken(str(body, 'Token'), clientId) === 'otherClient') {
      throw new AwsJsonError(
        'UnauthorizedException',
        'Client is not authorized to revoke this token.',
      );
    }
    return {};
  }

  async globalSignOut(body: Json) {
    this.pool.globalSignOut(await this.pool.userFromAccessToken(str(body, 'AccessToken')));
    return {};
  }

  async getUser(body: Json) {
    const user = await this.pool.userFromAccessToken(str(body, 'AccessToken'));
    return this.pool.userView(user, 'UserAttributes');
  }

  async changePassword(body: Json) {
    const user = await this.pool.userFromAccessToken(str(body, 'AccessToken'));
    if (!this.pool.passwordMatches(user, str(body, 'PreviousPassword'))) throw notAuthorized();
    const next = str(body, 'ProposedPassword');
    this.pool.checkPolicy(next);
    this.pool.setPassword(user, next);
    this.pool.state.save(this.pool.clock.now());
    return {};
  }

  /** With a Session: MFA setup at sign-in; with an AccessToken: the signed-in user's. */
  async associateSoftwareToken(body: Json) {
    const session = str(body, 'Session', false);
    const token = str(body, 'AccessToken', false);
    if (Boolean(session) === Boolean(token))
      throw invalidParameter('Exactly one of AccessToken and Session must be given.');
    if (session) return this.associateInSetup(session);
    const user = await this.pool.userFromAccessToken(token);
    user.totpPendingSecret = new OTPAuth.Secret({ size: 20 }).base32;
    this.pool.state.save(this.pool.clock.now());
    return { SecretCode: user.totpPendingSecret };
  }

  async verifySoftwareToken(body: Json) {
    const session = str(body, 'Session', false);
    const token = str(body, 'AccessToken', false);
    if (Boolean(session) === Boolean(token))
      throw invalidParameter('Exactly one of AccessToken and Session must be given.');
    if (session) return this.verifyInSetup(session, str(body, 'UserCode'));
    const user = await this.pool.userFromAccessToken(token);
    const pending = user.totpPendingSecret;
    if (!pending) throw invalidParameter('User has not associated a software token');
    if (!this.pool.totpMatches(pending, str(body, 'UserCode'))) {
      throw new AwsJsonError('EnableSoftwareTokenMFAException', 'Code mismatch');
    }
    user.totpSecret = pending;
    delete user.totpPendingSecret;
    this.pool.state.save(this.pool.clock.now());
    return { Status: 'SUCCESS' };
  }

  async setUserMfaPreference(body: Json) {
    return this.pool.setMfaPreference(
      await this.pool.userFromAccessToken(str(body, 'AccessToken')),
      body,
    );
  }
}

/** The calls a client makes without IAM credentials, by operation name. */
export const AUTH_OPERATIONS: Record<string, (flows: AuthFlows, body: Json) => unknown> = {
  InitiateAuth: (f, body) => f.initiateAuth(body),
  RespondToAuthChallenge: (f, body) => f.respondToAuthChallenge(body),
  GetTokensFromRefreshToken: (f, body) => f.getTokensFromRefreshToken(body),
  RevokeToken: (f, body) => f.revokeToken(body),
  GlobalSignOut: (f, body) => f.globalSignOut(body),
  GetUser: (f, body) => f.getUser(body),
  ChangePassword: (f, body) => f.changePassword(body),
  ForgotPassword: (f, body) => f.forgotPassword(body),
  ConfirmForgotPassword: (f, body) => f.confirmForgotPassword(body),
  AssociateSoftwareToken: (f, body) => f.associateSoftwareToken(body),
  VerifySoftwareToken: (f, body) => f.verifySoftwareToken(body),
  SetUserMFAPreference: (f, body) => f.setUserMfaPreference(body),
};

/**
 * Cognito user pool sign-in behind an interface of ours. SRP and its challenges go through
 * amazon-cognito-identity-js (in maintenance mode, hence the interface) with an in-memory
 * Storage that is thrown away after each flow, so the library writes nothing anywhere.
 * Refresh uses GetTokensFromRefreshToken (works with refresh-token rotation on and off);
 * sign-out uses RevokeToken / GlobalSignOut.
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
// The SRP library is loaded when a sign-in starts: a restored session (every CLI command after
// `login`, every app start) never needs it.
import type { CognitoUser, CognitoUserSession, ICognitoStorage } from 'amazon-cognito-identity-js';
import type { ConnectionProfile } from '../../shared/profile';
import { fromCognitoError, KuraError } from './kuraError';
import { jwtClaims } from './jwtClaims';
import { CognitoJsClient } from './network/cognitoJsClient';
import type { Transport } from './network/network';
import { RoutedHttpHandler } from './network/sdkHandler';

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** When the ID token expires (epoch ms). */
  expiresAt: number;
}

export type SignInStep =
  | { kind: 'signedIn'; tokens: Tokens }
  | { kind: 'newPasswordRequired'; requiredAttributes: string[] }
  | { kind: 'mfaRequired'; method: 'TOTP' | 'SMS'; destination?: string }
  /** The pool requires MFA and the user has no authenticator yet: they set one up now. */
  | { kind: 'mfaSetup' };

export interface UserPoolAuth {
  signIn(username: string, password: string): Promise<SignInStep>;
  completeNewPassword(
    newPassword: string,
    attributes?: Record<string, string>,
  ): Promise<SignInStep>;
  answerMfa(code: string): Promise<SignInStep>;
  /** Forgets the challenge under way (and anything kept for it). */
  abandon(): void;
  /** Signs in again to have Cognito send a new SMS code (an SMS MFA challenge only). */
  resendCode(): Promise<SignInStep>;
  forgotPassword(username: string): Promise<{ destination: string }>;
  confirmForgotPassword(username: string, code: string, newPassword: string): Promise<void>;
  /** New ID and access tokens; a new refresh token too when the pool rotates them. */
  refresh(refreshToken: string): Promise<Omit<Tokens, 'refreshToken'> & { refreshToken?: string }>;
  revoke(refreshToken: string): Promise<void>;
  globalSignOut(accessToken: string): Promise<void>;
  /** MFA_SETUP at sign-in: a new authenticator's secret (AssociateSoftwareToken with the session). */
  beginMfaSetup(): Promise<string>;
  /** MFA_SETUP: the new authenticator's first code (VerifySoftwareToken); then the sign-in completes. */
  finishMfaSetup(code: string): Promise<SignInStep>;
  /** A signed-in user's new authenticator: its secret (AssociateSoftwareToken with the access token). */
  associateSoftwareToken(accessToken: string): Promise<string>;
  /** Its first code (VerifySoftwareToken), then turned on as the preferred MFA (SetUserMFAPreference). */
  enableSoftwareToken(accessToken: string, code: string): Promise<void>;
  /** Turns the authenticator off (SetUserMFAPreference); whether it is still on afterwards. */
  disableSoftwareToken(accessToken: string): Promise<boolean>;
  /** Whether the user has an authenticator app turned on (GetUser). */
  softwareTokenEnabled(accessToken: string): Promise<boolean>;
}

/** The library insists on a Storage; this one lives in memory, only as long as one sign-in flow. */
export class MemoryCognitoStorage implements ICognitoStorage {
  private readonly m = new Map<string, string>();
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  clear() {
    this.m.clear();
  }
}

export function expiryOf(jwt: string): number {
  return (jwtClaims(jwt).exp ?? 0) * 1000;
}

/**
 * The SRP step's TIMESTAMP is the servers' time, not this computer's: Cognito refuses a claim
 * whose timestamp is too far off, so a computer whose clock is minutes wrong could not sign in.
 * The library makes its own DateHelper for each step; its prototype's getNowString answers
 * with `now()` (the network's server clock, which the InitiateAuth answer just set), in the
 * library's own format (`ddd MMM D HH:mm:ss UTC YYYY`, the day not zero-padded).
 */
let srpNow: () => number = Date.now;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export function srpTimestamp(t: number): string {
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
function serverTimeForSrp(
  DateHelper: { prototype: { getNowString(): string } },
  now: () => number,
): void {
  srpNow = now;
  DateHelper.prototype.getNowString = () => srpTimestamp(srpNow());
}

/**
 * How long the password stays in memory for "Resend code" during an SMS MFA challenge: the
 * challenge's own life (Cognito's sign-in session lasts 3 minutes), and not a moment more.
 */
export const RESEND_WINDOW_MS = 3 * 60 * 1000;

interface PendingFlow {
  user: CognitoUser;
  storage: MemoryCognitoStorage;
  username: string;
  mfa?: 'TOTP' | 'SMS';
  /** MFA_SETUP: the user sets up an authenticator before the sign-in completes. */
  setup?: boolean;
  /**
   * The password, kept only while an SMS code challenge is open (to sign in again when the
   * user asks for a new code); dropped when the challenge ends, is abandoned or expires.
   */
  password?: string;
  /** When the password is dropped (epoch ms); a timer drops it then too. */
  keepUntil?: number;
  forget?: NodeJS.Timeout;
}

type IdpSdk = typeof import('@aws-sdk/client-cognito-identity-provider');

export class CognitoUserPoolAuth implements UserPoolAuth {
  private loaded: Promise<{ client: CognitoIdentityProviderClient; sdk: IdpSdk }> | undefined;
  private pending: PendingFlow | null = null;

  constructor(
    private readonly profile: ConnectionProfile,
    private readonly options: { now?: () => number; transport: Transport },
  ) {}

  /**
   * The user pool's SDK client, loaded at the first call: a start that reuses the last one's
   * tokens (sessionReuse.ts) makes none, and `kura ls` then never loads it.
   */
  private idp(): Promise<{ client: CognitoIdentityProviderClient; sdk: IdpSdk }> {
    this.loaded ??= import('@aws-sdk/client-cognito-identity-provider').then((sdk) => ({
      sdk,
      client: new sdk.CognitoIdentityProviderClient({
        requestHandler: new RoutedHttpHandler(this.options.transport),
        region: this.profile.region,
        endpoint: this.profile.endpoints?.cognitoIdp,
        // These operations are unauthenticated (not signed); a fixed dummy keeps the SDK from
        // ever searching this machine's credential chain (environment, files, IMDS).
        credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      }),
    }));
    return this.loaded;
  }

  /** Ends the flow under way: its storage cleared, its password dropped. */
  private endFlow(flow: PendingFlow | null) {
    if (!flow) return;
    clearTimeout(flow.forget);
    flow.password = undefined;
    flow.storage.clear();
    if (this.pending === flow) this.pending = null;
  }

  /** Keeps the password only for an SMS code challenge, and only as long as it lasts. */
  private keepPasswordFor(flow: PendingFlow, sms: boolean) {
    clearTimeout(flow.forget);
    if (!sms) {
      flow.password = undefined;
      return;
    }
    flow.keepUntil = (this.options.now ?? Date.now)() + RESEND_WINDOW_MS;
    flow.forget = setTimeout(() => (flow.password = undefined), RESEND_WINDOW_MS);
    flow.forget.unref();
  }

  abandon(): void {
    this.endFlow(this.pending);
  }

  private async newUser(username: string) {
    const lib = await import('amazon-cognito-identity-js');
    const { CognitoUser, CognitoUserPool } = lib;
    // Exported by the library, absent from its typings.
    const { DateHelper } = lib as unknown as {
      DateHelper: { prototype: { getNowString(): string } };
    };
    serverTimeForSrp(DateHelper, this.options.now ?? Date.now);
    const storage = new MemoryCognitoStorage();
    const pool = new CognitoUserPool({
      UserPoolId: this.profile.userPoolId,
      ClientId: this.profile.userPoolClientId,
      endpoint: this.profile.endpoints?.cognitoIdp,
      Storage: storage,
    });
    // Its calls go through Kura's network (proxy, trust, clock), not the global fetch.
    const region = this.profile.userPoolId.split('_')[0]!;
    (pool as unknown as { client: CognitoJsClient }).client = new CognitoJsClient(
      this.options.transport,
      this.profile.endpoints?.cognitoIdp ?? `https://cognito-idp.${region}.amazonaws.com/`,
    );
    const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
    user.setAuthenticationFlowType('USER_SRP_AUTH');
    return { user, storage };
  }

  /** Runs one library step and turns its callbacks into a SignInStep. */
  private step(
    run: (callbacks: Parameters<CognitoUser['authenticateUser']>[1]) => void,
  ): Promise<SignInStep> {
    const flow = this.pending!;
    return new Promise<SignInStep>((resolve, reject) => {
      run({
        onSuccess: (session: CognitoUserSession) => {
          this.endFlow(flow);
          resolve({
            kind: 'signedIn',
            tokens: {
              idToken: session.getIdToken().getJwtToken(),
              accessToken: session.getAccessToken().getJwtToken(),
              refreshToken: session.getRefreshToken().getToken(),
              expiresAt: session.getIdToken().getExpiration() * 1000,
            },
          });
        },
        onFailure: (err: unknown) => {
          const e = fromCognitoError(err, 'signIn');
          // A wrong code can be typed again (and a new one asked for); a refused new password
          // can be chosen again; a failed sign-in or an expired step is over.
          if (e.code === 'WEAK_PASSWORD') flow.password = undefined;
          else if (e.code !== 'CODE_MISMATCH') this.endFlow(flow);
          reject(e);
        },
        newPasswordRequired: (_attributes: unknown, required: string[] | undefined) => {
          this.keepPasswordFor(flow, false);
          resolve({ kind: 'newPasswordRequired', requiredAttributes: required ?? [] });
        },
        totpRequired: () => {
          flow.mfa = 'TOTP';
          this.keepPasswordFor(flow, false);
          resolve({ kind: 'mfaRequired', method: 'TOTP' });
        },
        mfaRequired: (
          _name: unknown,
          details: { CODE_DELIVERY_DESTINATION?: string } | undefined,
        ) => {
          flow.mfa = 'SMS';
          this.keepPasswordFor(flow, true);
          resolve({
            kind: 'mfaRequired',
            method: 'SMS',
            destination: details?.CODE_DELIVERY_DESTINATION,
          });
        },
        mfaSetup: () => {
          flow.mfa = undefined;
          flow.setup = true;
          this.keepPasswordFor(flow, false);
          resolve({ kind: 'mfaSetup' });
        },
        selectMFAType: () => {
          this.endFlow(flow);
          reject(new KuraError('CHALLENGE_UNSUPPORTED', 'choosing an MFA type'));
        },
        customChallenge: () => {
          this.endFlow(flow);
          reject(new KuraError('CHALLENGE_UNSUPPORTED', 'custom challenge'));
        },
      });
    });
  }

  async signIn(username: string, password: string): Promise<SignInStep> {
    this.endFlow(this.pending);
    this.pending = { ...(await this.newUser(username)), username, password };
    const { user } = this.pending;
    const { AuthenticationDetails } = await import('amazon-cognito-identity-js');
    return this.step((cb) =>
      user.authenticateUser(
        new AuthenticationDetails({ Username: username, Password: password }),
        cb,
      ),
    );
  }

  completeNewPassword(
    newPassword: string,
    attributes: Record<string, string> = {},
  ): Promise<SignInStep> {
    const flow = this.pending;
    if (!flow) return Promise.reject(new KuraError('CHALLENGE_EXPIRED'));
    // If an SMS code follows, a new code is asked for with the new password.
    flow.password = newPassword;
    return this.step((cb) => flow.user.completeNewPasswordChallenge(newPassword, attributes, cb));
  }

  resendCode(): Promise<SignInStep> {
    const flow = this.pending;
    if (flow?.mfa !== 'SMS') return Promise.reject(new KuraError('NOTHING_TO_RESEND'));
    if (flow.password === undefined || (this.options.now ?? Date.now)() > (flow.keepUntil ?? 0)) {
      this.endFlow(flow);
      return Promise.reject(new KuraError('CHALLENGE_EXPIRED'));
    }
    return this.signIn(flow.username, flow.password);
  }

  answerMfa(code: string): Promise<SignInStep> {
    const flow = this.pending;
    if (!flow?.mfa) return Promise.reject(new KuraError('CHALLENGE_EXPIRED'));
    const type = flow.mfa === 'TOTP' ? 'SOFTWARE_TOKEN_MFA' : 'SMS_MFA';
    return this.step((cb) => flow.user.sendMFACode(code, cb, type));
  }

  beginMfaSetup(): Promise<string> {
    const flow = this.pending;
    if (!flow?.setup) return Promise.reject(new KuraError('CHALLENGE_EXPIRED'));
    return new Promise((resolve, reject) =>
      flow.user.associateSoftwareToken({
        associateSecretCode: resolve,
        onFailure: (err: unknown) => {
          const e = fromCognitoError(err, 'signIn');
          if (e.code === 'CHALLENGE_EXPIRED') this.endFlow(flow);
          reject(e);
        },
      }),
    );
  }

  finishMfaSetup(code: string): Promise<SignInStep> {
    const flow = this.pending;
    if (!flow?.setup) return Promise.reject(new KuraError('CHALLENGE_EXPIRED'));
    return this.step((cb) => flow.user.verifySoftwareToken(code, 'Kura', cb));
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw fromCognitoError(err);
    }
  }

  associateSoftwareToken(accessToken: string): Promise<string> {
    return this.call(async () => {
      const { client, sdk } = await this.idp();
      const r = await client.send(
        new sdk.AssociateSoftwareTokenCommand({ AccessToken: accessToken }),
      );
      if (!r.SecretCode) throw new KuraError('UNKNOWN', 'no secret from AssociateSoftwareToken');
      return r.SecretCode;
    });
  }

  enableSoftwareToken(accessToken: string, code: string): Promise<void> {
    return this.call(async () => {
      const { client, sdk } = await this.idp();
      await client.send(
        new sdk.VerifySoftwareTokenCommand({
          AccessToken: accessToken,
          UserCode: code,
          FriendlyDeviceName: 'Kura',
        }),
      );
      await client.send(
        new sdk.SetUserMFAPreferenceCommand({
          AccessToken: accessToken,
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      );
    });
  }

  disableSoftwareToken(accessToken: string): Promise<boolean> {
    return this.call(async () => {
      const { client, sdk } = await this.idp();
      await client.send(
        new sdk.SetUserMFAPreferenceCommand({
          AccessToken: accessToken,
          SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
        }),
      );
      // Where the pool requires MFA, Cognito answers yes and keeps the authenticator on.
      return this.softwareTokenEnabled(accessToken);
    });
  }

  softwareTokenEnabled(accessToken: string): Promise<boolean> {
    return this.call(async () => {
      const { client, sdk } = await this.idp();
      const me = await client.send(new sdk.GetUserCommand({ AccessToken: accessToken }));
      return (me.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA');
    });
  }

  async forgotPassword(username: string): Promise<{ destination: string }> {
    try {
      const { client, sdk } = await this.idp();
      const r = await client.send(
        new sdk.ForgotPasswordCommand({
          ClientId: this.profile.userPoolClientId,
          Username: username,
        }),
      );
      return { destination: r.CodeDeliveryDetails?.Destination ?? '' };
    } catch (err) {
      throw fromCognitoError(err);
    }
  }

  async confirmForgotPassword(username: string, code: string, newPassword: string): Promise<void> {
    try {
      const { client, sdk } = await this.idp();
      await client.send(
        new sdk.ConfirmForgotPasswordCommand({
          ClientId: this.profile.userPoolClientId,
          Username: username,
          ConfirmationCode: code,
          Password: newPassword,
        }),
      );
    } catch (err) {
      throw fromCognitoError(err);
    }
  }

  async refresh(refreshToken: string) {
    try {
      const { client, sdk } = await this.idp();
      const r = await client.send(
        new sdk.GetTokensFromRefreshTokenCommand({
          ClientId: this.profile.userPoolClientId,
          RefreshToken: refreshToken,
        }),
      );
      const a = r.AuthenticationResult;
      if (!a?.IdToken || !a.AccessToken) throw new KuraError('SESSION_EXPIRED');
      return {
        idToken: a.IdToken,
        accessToken: a.AccessToken,
        refreshToken: a.RefreshToken,
        expiresAt: expiryOf(a.IdToken),
      };
    } catch (err) {
      throw fromCognitoError(err, 'refresh');
    }
  }

  async revoke(refreshToken: string): Promise<void> {
    try {
      const { client, sdk } = await this.idp();
      await client.send(
        new sdk.RevokeTokenCommand({
          ClientId: this.profile.userPoolClientId,
          Token: refreshToken,
        }),
      );
    } catch (err) {
      throw fromCognitoError(err);
    }
  }

  async globalSignOut(accessToken: string): Promise<void> {
    try {
      const { client, sdk } = await this.idp();
      await client.send(new sdk.GlobalSignOutCommand({ AccessToken: accessToken }));
    } catch (err) {
      throw fromCognitoError(err);
    }
  }
}

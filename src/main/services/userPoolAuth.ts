/**
 * Cognito user pool sign-in behind an interface of ours. SRP and its challenges go through
 * amazon-cognito-identity-js (in maintenance mode, hence the interface) with an in-memory
 * Storage that is thrown away after each flow, so the library writes nothing anywhere.
 * Refresh uses GetTokensFromRefreshToken (works with refresh-token rotation on and off);
 * sign-out uses RevokeToken / GlobalSignOut.
 */
import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
// The SRP library is loaded when a sign-in starts: a restored session (every CLI command after
// `login`, every app start) never needs it.
import type { CognitoUser, CognitoUserSession, ICognitoStorage } from 'amazon-cognito-identity-js';
import type { ConnectionProfile } from '../../shared/profile';
import { fromCognitoError, KuraError } from './kuraError';
import { jwtClaims } from './jwtClaims';

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
  | { kind: 'mfaRequired'; method: 'TOTP' | 'SMS'; destination?: string };

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
 * How long the password stays in memory for "Resend code" during an SMS MFA challenge: the
 * challenge's own life (Cognito's sign-in session lasts 3 minutes), and not a moment more.
 */
export const RESEND_WINDOW_MS = 3 * 60 * 1000;

interface PendingFlow {
  user: CognitoUser;
  storage: MemoryCognitoStorage;
  username: string;
  mfa?: 'TOTP' | 'SMS';
  /**
   * The password, kept only while an SMS code challenge is open (to sign in again when the
   * user asks for a new code); dropped when the challenge ends, is abandoned or expires.
   */
  password?: string;
  /** When the password is dropped (epoch ms); a timer drops it then too. */
  keepUntil?: number;
  forget?: NodeJS.Timeout;
}

export class CognitoUserPoolAuth implements UserPoolAuth {
  private readonly client: CognitoIdentityProviderClient;
  private pending: PendingFlow | null = null;

  constructor(
    private readonly profile: ConnectionProfile,
    private readonly options: { now?: () => number } = {},
  ) {
    this.client = new CognitoIdentityProviderClient({
      region: profile.region,
      endpoint: profile.endpoints?.cognitoIdp,
      // These operations are unauthenticated (not signed); a fixed dummy keeps the SDK from
      // ever searching this machine's credential chain (environment, files, IMDS).
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    });
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
    const { CognitoUser, CognitoUserPool } = await import('amazon-cognito-identity-js');
    const storage = new MemoryCognitoStorage();
    const pool = new CognitoUserPool({
      UserPoolId: this.profile.userPoolId,
      ClientId: this.profile.userPoolClientId,
      endpoint: this.profile.endpoints?.cognitoIdp,
      Storage: storage,
    });
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
          this.endFlow(flow);
          reject(new KuraError('MFA_SETUP_REQUIRED'));
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

  async forgotPassword(username: string): Promise<{ destination: string }> {
    try {
      const r = await this.client.send(
        new ForgotPasswordCommand({ ClientId: this.profile.userPoolClientId, Username: username }),
      );
      return { destination: r.CodeDeliveryDetails?.Destination ?? '' };
    } catch (err) {
      throw fromCognitoError(err);
    }
  }

  async confirmForgotPassword(username: string, code: string, newPassword: string): Promise<void> {
    try {
      await this.client.send(
        new ConfirmForgotPasswordCommand({
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
      const r = await this.client.send(
        new GetTokensFromRefreshTokenCommand({
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
      await this.client.send(
        new RevokeTokenCommand({ ClientId: this.profile.userPoolClientId, Token: refreshToken }),
      );
    } catch (err) {
      throw fromCognitoError(err);
    }
  }

  async globalSignOut(accessToken: string): Promise<void> {
    try {
      await this.client.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
    } catch (err) {
      throw fromCognitoError(err);
    }
  }
}

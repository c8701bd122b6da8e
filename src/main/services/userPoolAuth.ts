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

export class CognitoUserPoolAuth implements UserPoolAuth {
  private readonly client: CognitoIdentityProviderClient;
  private pending: {
    user: CognitoUser;
    storage: MemoryCognitoStorage;
    mfa?: 'TOTP' | 'SMS';
  } | null = null;

  constructor(private readonly profile: ConnectionProfile) {
    this.client = new CognitoIdentityProviderClient({
      region: profile.region,
      endpoint: profile.endpoints?.cognitoIdp,
      // These operations are unauthenticated (not signed); a fixed dummy keeps the SDK from
      // ever searching this machine's credential chain (environment, files, IMDS).
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    });
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
          this.pending = null;
          flow.storage.clear();
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
        onFailure: (err: unknown) => reject(fromCognitoError(err, 'signIn')),
        newPasswordRequired: (_attributes: unknown, required: string[] | undefined) =>
          resolve({ kind: 'newPasswordRequired', requiredAttributes: required ?? [] }),
        totpRequired: () => {
          flow.mfa = 'TOTP';
          resolve({ kind: 'mfaRequired', method: 'TOTP' });
        },
        mfaRequired: (
          _name: unknown,
          details: { CODE_DELIVERY_DESTINATION?: string } | undefined,
        ) => {
          flow.mfa = 'SMS';
          resolve({
            kind: 'mfaRequired',
            method: 'SMS',
            destination: details?.CODE_DELIVERY_DESTINATION,
          });
        },
        mfaSetup: () =>
          reject(
            new KuraError('UNKNOWN', 'this account must set up MFA first; ask your administrator'),
          ),
        selectMFAType: () =>
          reject(new KuraError('UNKNOWN', 'choosing an MFA type is not supported')),
        customChallenge: () =>
          reject(new KuraError('UNKNOWN', 'custom challenges are not supported')),
      });
    });
  }

  async signIn(username: string, password: string): Promise<SignInStep> {
    this.pending = await this.newUser(username);
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
    return this.step((cb) => flow.user.completeNewPasswordChallenge(newPassword, attributes, cb));
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

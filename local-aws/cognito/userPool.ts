/**
 * The user pool (cognito-idp, JSON 1.1): the shared user store (users.ts), sign-in and the
 * signed-in user's calls (authFlows.ts) and the administrator operations (admin.ts), dispatched
 * by operation name. Errors carry Cognito's `__type` names and messages.
 */
import type { Clock } from '../clock';
import type { StateFile } from '../state';
import { ADMIN_OPERATIONS } from './admin';
import { AUTH_OPERATIONS, AuthFlows } from './authFlows';
import { AwsJsonError } from './errors';
import type { TokenSigner } from './tokens';
import { UserStore, type Json, type UserPoolSettings } from './users';

export { MAX_CODE_ATTEMPTS } from './authFlows';
export { generatePassword } from './users';
export type { AppClientOAuth, Json, OAuthGrant, UserPoolSettings } from './users';

export class UserPool extends UserStore {
  private readonly auth: AuthFlows;

  constructor(state: StateFile, clock: Clock, signer: TokenSigner, settings: UserPoolSettings) {
    super(state, clock, signer, settings);
    this.auth = new AuthFlows(this);
  }

  /** Operations that need IAM (SigV4) credentials; the caller checked them. */
  static readonly ADMIN_OPERATIONS: ReadonlySet<string> = new Set(Object.keys(ADMIN_OPERATIONS));

  /** The token endpoint's refresh_token grant (a new refresh token too when the client rotates). */
  async oauthRefresh(token: string, clientId: string) {
    const r = await this.auth.refresh(token, clientId, true);
    return {
      id_token: r.IdToken,
      access_token: r.AccessToken,
      ...(r.RefreshToken ? { refresh_token: r.RefreshToken } : {}),
      expires_in: r.ExpiresIn,
      token_type: 'Bearer',
    };
  }

  async handle(op: string, body: Json): Promise<unknown> {
    if (Object.hasOwn(ADMIN_OPERATIONS, op)) {
      this.checkPool(body);
      return await ADMIN_OPERATIONS[op]!(this, body);
    }
    if (Object.hasOwn(AUTH_OPERATIONS, op)) return await AUTH_OPERATIONS[op]!(this.auth, body);
    throw new AwsJsonError('UnknownOperationException', `Unknown operation ${op}`);
  }
}

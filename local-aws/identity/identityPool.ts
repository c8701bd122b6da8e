/**
 * The identity pool (cognito-identity, enhanced flow only): GetId and
 * GetCredentialsForIdentity authenticate by the user pool ID token in `Logins` (signature,
 * issuer, audience, expiry and ServerSideTokenCheck), choose the role, evaluate its trust
 * policy, and issue temporary `ASIA…` credentials bound to the role and the identity id.
 *
 * The role: without a role mapping, the default authenticated role. With a role mapping of type
 * Token (as AWS documents it): `CustomRoleArn` if it is one of the token's `cognito:roles`
 * (anything else is refused), else `cognito:preferred_role`, else — no preferred role, or no
 * role at all — `AmbiguousRoleResolution`: the default authenticated role, or Deny.
 *
 * A refused `CustomRoleArn` is a NotAuthorizedException, the type AWS documents for a request
 * not authorized. AWS does not document its message (and Kura must not depend on one), so the
 * one here is local-aws's own and deliberately names the login token: a client that guessed
 * "session revoked" from the word would sign the user out, and the tests would see it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { Clock } from '../clock';
import { AwsJsonError, notAuthorized, resourceNotFound } from '../cognito/errors';
import type { Json, UserPool } from '../cognito/userPool';
import type { TokenSigner } from '../cognito/tokens';
import { evaluate, type PolicyDocument } from '../iam/policy';
import type { StateFile } from '../state';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const randomAlnum = (n: number) => Array.from(randomBytes(n), (b) => ALNUM[b % 36]).join('');

export interface IdentityPoolSettings {
  credentialTtlSeconds: number;
  /** The default authenticated role. */
  roleArn: string;
  /** The trust policy of every role (infra/policies/trust-authenticated.json). */
  trustPolicy: PolicyDocument;
  /** Role mapping for the user pool provider; absent: always the default authenticated role. */
  roleMapping?: { type: 'Token'; ambiguousRoleResolution: 'AuthenticatedRole' | 'Deny' };
  /** Whether IAM has this role (a mapped role it does not have cannot be assumed). */
  roleExists?: (roleArn: string) => boolean;
}

export class IdentityPool {
  constructor(
    private readonly state: StateFile,
    private readonly clock: Clock,
    private readonly signer: TokenSigner,
    private readonly userPool: UserPool,
    readonly settings: IdentityPoolSettings,
  ) {}

  private get ids() {
    return this.state.data.ids;
  }

  get loginKey(): string {
    return `cognito-idp.${this.ids.region}.amazonaws.com/${this.ids.userPoolId}`;
  }

  private checkPool(id: unknown) {
    if (id !== this.ids.identityPoolId) {
      throw resourceNotFound(`IdentityPool '${String(id)}' not found.`);
    }
  }

  /** Verifies the ID token given in Logins; returns its claims. */
  private async authenticate(logins: unknown): Promise<JWTPayload & { sub: string }> {
    if (!logins || typeof logins !== 'object' || Object.keys(logins).length === 0) {
      throw notAuthorized('Unauthenticated access is not supported for this identity pool.');
    }
    const entries = Object.entries(logins as Json);
    if (
      entries.length !== 1 ||
      entries[0]![0] !== this.loginKey ||
      typeof entries[0]![1] !== 'string'
    ) {
      throw notAuthorized('Token is not from a supported provider of this identity pool.');
    }
    const token = entries[0]![1];
    let claims: JWTPayload;
    try {
      claims = await this.signer.verify(token, this.clock.nowSeconds());
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED')
        throw notAuthorized('Invalid login token. Token expired: ' + token.slice(0, 16) + '…');
      throw notAuthorized('Invalid login token. Not a valid OpenId Connect identity token.');
    }
    if (claims.token_use !== 'id')
      throw notAuthorized('Invalid login token. Not a valid OpenId Connect identity token.');
    if (claims.aud !== this.ids.clientId)
      throw notAuthorized('Invalid login token. Incorrect token audience.');
    if (typeof claims.sub !== 'string') throw notAuthorized('Invalid login token.');
    // ServerSideTokenCheck: a token from a revoked or globally signed-out session is refused.
    if (!this.userPool.tokenIsActive(claims))
      throw notAuthorized('Invalid login token. Token is inactive.');
    return claims as JWTPayload & { sub: string };
  }

  /** The stable identity id of a user (created on first use, as GetId does). */
  identityFor(sub: string): string {
    let id = this.state.data.identities[sub];
    if (!id) {
      id = `${this.ids.region}:${randomUUID()}`;
      this.state.data.identities[sub] = id;
      this.state.save(this.clock.now());
    }
    return id;
  }

  async handle(op: string, body: Json): Promise<unknown> {
    switch (op) {
      case 'GetId': {
        this.checkPool(body.IdentityPoolId);
        const claims = await this.authenticate(body.Logins);
        return { IdentityId: this.identityFor(claims.sub) };
      }
      case 'GetCredentialsForIdentity': {
        const identityId = body.IdentityId;
        if (typeof identityId !== 'string' || !identityId.startsWith(`${this.ids.region}:`)) {
          throw new AwsJsonError('ValidationException', 'Invalid IdentityId.');
        }
        const claims = await this.authenticate(body.Logins);
        if (!Object.values(this.state.data.identities).includes(identityId)) {
          throw resourceNotFound(`Identity '${identityId}' not found.`);
        }
        if (this.state.data.identities[claims.sub] !== identityId) {
          throw notAuthorized('Invalid login token. The token does not belong to this identity.');
        }
        const roleArn = this.chooseRole(claims, body.CustomRoleArn);
        const known = this.settings.roleExists?.(roleArn) ?? roleArn === this.settings.roleArn;
        const trust = evaluate([this.settings.trustPolicy], {
          action: 'sts:AssumeRoleWithWebIdentity',
          resource: roleArn,
          keys: {
            'cognito-identity.amazonaws.com:aud': this.ids.identityPoolId,
            'cognito-identity.amazonaws.com:sub': identityId,
            'cognito-identity.amazonaws.com:amr': ['authenticated', this.loginKey],
          },
        });
        if (!known || trust !== 'Allow') {
          throw new AwsJsonError(
            'InvalidIdentityPoolConfigurationException',
            'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
          );
        }
        return { IdentityId: identityId, Credentials: this.issue(identityId, claims.sub, roleArn) };
      }
      case 'GetOpenIdToken':
      case 'GetOpenIdTokenForDeveloperIdentity':
        throw new AwsJsonError(
          'InvalidParameterException',
          'Basic (classic) authflow is not supported for this identity pool.',
        );
      default:
        throw new AwsJsonError('UnknownOperationException', `Unknown operation ${op}`);
    }
  }

  /** The role these credentials are for (see the header). */
  private chooseRole(claims: JWTPayload, custom: unknown): string {
    if (custom !== undefined && (typeof custom !== 'string' || custom.length < 20))
      throw new AwsJsonError(
        'ValidationException',
        "1 validation error detected: Value at 'customRoleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
      );
    const mapping = this.settings.roleMapping;
    if (!mapping) {
      if (custom !== undefined && custom !== this.settings.roleArn) {
        throw new AwsJsonError(
          'InvalidParameterException',
          'CustomRoleArn is not a role of this identity pool.',
        );
      }
      return this.settings.roleArn;
    }
    const raw = claims['cognito:roles'];
    const roles = Array.isArray(raw) ? raw.filter((r): r is string => typeof r === 'string') : [];
    if (custom !== undefined) {
      if (!roles.includes(custom))
        throw notAuthorized(
          `Invalid login token. The token's roles do not include the CustomRoleArn ${custom}.`,
        );
      return custom;
    }
    const preferred = claims['cognito:preferred_role'];
    if (typeof preferred === 'string' && preferred) return preferred;
    if (mapping.ambiguousRoleResolution === 'AuthenticatedRole') return this.settings.roleArn;
    throw notAuthorized('The ambiguous role mapping rules denied this request.');
  }

  private issue(identityId: string, sub: string, roleArn: string) {
    const accessKeyId = `ASIA${randomAlnum(16)}`;
    const secretAccessKey = randomBytes(30).toString('base64');
    const sessionToken = randomBytes(192).toString('base64');
    const expiresAt = this.clock.nowSeconds() + this.settings.credentialTtlSeconds;
    this.state.data.credentials[accessKeyId] = {
      secretAccessKey,
      sessionToken,
      identityId,
      sub,
      expiresAt,
      roleArn,
    };
    this.state.save(this.clock.now());
    return {
      AccessKeyId: accessKeyId,
      SecretKey: secretAccessKey,
      SessionToken: sessionToken,
      Expiration: expiresAt,
    };
  }

  /** Fault: every credential issued so far expires now. */
  expireAllCredentials(): void {
    const now = this.clock.nowSeconds();
    for (const c of Object.values(this.state.data.credentials))
      c.expiresAt = Math.min(c.expiresAt, now);
    this.state.save(this.clock.now());
  }
}

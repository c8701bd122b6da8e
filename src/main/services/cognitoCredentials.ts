/**
 * The identity pool's enhanced flow for one profile: GetId and GetCredentialsForIdentity, each
 * with one ID token in `Logins` (and, for a group's role, `CustomRoleArn`). Both calls are
 * unsigned.
 *
 * What a refusal means is decided by what the identity pool answers, never by the words of its
 * message (AWS documents the exception types, not their wording): the caller asks GetId with the
 * same token (`identityIdFor`), which only a refused token fails. See UserAccess.fetchCredentials.
 */
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { ConnectionProfile } from '../../shared/profile';
import type { ExpiringCredentials } from './credentials';
import { fromCognitoError, KuraError } from './kuraError';
import type { Transport } from './network/network';
import { RoutedHttpHandler } from './network/sdkHandler';

/**
 * The answers of GetCredentialsForIdentity that refuse this request without saying why in a way
 * a program can rely on: the token (revoked, another user's), the identity id (unknown, not the
 * token's), or the role (not one of the token's, or one IAM would not let the pool assume).
 */
const REFUSALS = new Set([
  'NotAuthorizedException',
  'ResourceNotFoundException',
  'InvalidIdentityPoolConfigurationException',
  'InvalidParameterException',
  'ValidationException',
]);

/** A GetCredentialsForIdentity refusal, for the caller to tell apart by asking GetId. */
export class CredentialsRefused extends Error {
  constructor(cause: unknown) {
    super('the identity pool refused the credentials', { cause });
    this.name = 'CredentialsRefused';
  }
}

function errorName(err: unknown): string {
  const e = err as { name?: string; __type?: string } | undefined;
  return String(e?.name ?? e?.__type ?? '');
}

type IdentitySdk = typeof import('@aws-sdk/client-cognito-identity');

export class CognitoCredentials {
  private loaded: Promise<{ client: CognitoIdentityClient; sdk: IdentitySdk }> | undefined;

  constructor(
    private readonly profile: ConnectionProfile,
    private readonly transport: Transport,
  ) {}

  /**
   * The identity pool's SDK client, loaded at the first call: a start that reuses the last one's
   * credentials (sessionReuse.ts) makes none, and `kura ls` then never loads it.
   */
  private pool(): Promise<{ client: CognitoIdentityClient; sdk: IdentitySdk }> {
    this.loaded ??= import('@aws-sdk/client-cognito-identity').then((sdk) => ({
      sdk,
      client: new sdk.CognitoIdentityClient({
        requestHandler: new RoutedHttpHandler(this.transport),
        region: this.profile.region,
        endpoint: this.profile.endpoints?.cognitoIdentity,
        // GetId and GetCredentialsForIdentity are unsigned; never search this machine's chain.
        credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
        maxAttempts: 5,
      }),
    }));
    return this.loaded;
  }

  private logins(idToken: string) {
    const p = this.profile;
    return { [`cognito-idp.${p.region}.amazonaws.com/${p.userPoolId}`]: idToken };
  }

  /** GetId: the identity id of the token's user. A token the pool refuses is SESSION_EXPIRED. */
  async identityIdFor(idToken: string): Promise<string> {
    const { client, sdk } = await this.pool();
    let r;
    try {
      r = await client.send(
        new sdk.GetIdCommand({
          IdentityPoolId: this.profile.identityPoolId,
          Logins: this.logins(idToken),
        }),
      );
    } catch (err) {
      if (errorName(err) === 'NotAuthorizedException')
        throw new KuraError('SESSION_EXPIRED', undefined, { cause: err });
      throw fromCognitoError(err, 'other');
    }
    if (!r.IdentityId) throw new KuraError('UNKNOWN', 'the identity pool returned no identity');
    return r.IdentityId;
  }

  /**
   * GetCredentialsForIdentity for `identityId` with `idToken` (and `roleArn` as CustomRoleArn).
   * A refusal is thrown as CredentialsRefused; other failures as their KuraError.
   */
  async credentials(
    identityId: string,
    idToken: string,
    roleArn?: string,
  ): Promise<ExpiringCredentials> {
    const { client, sdk } = await this.pool();
    let r;
    try {
      r = await client.send(
        new sdk.GetCredentialsForIdentityCommand({
          IdentityId: identityId,
          Logins: this.logins(idToken),
          ...(roleArn ? { CustomRoleArn: roleArn } : {}),
        }),
      );
    } catch (err) {
      if (REFUSALS.has(errorName(err))) throw new CredentialsRefused(err);
      throw fromCognitoError(err, 'other');
    }
    const c = r.Credentials;
    if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken || !c.Expiration) {
      throw new KuraError('UNKNOWN', 'the identity pool returned no credentials');
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  }
}

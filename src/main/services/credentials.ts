/**
 * Temporary AWS credentials for the identity pool's authenticated role (enhanced flow: GetId,
 * then GetCredentialsForIdentity with the ID token in Logins). Renewed at least five minutes
 * before they expire, one request in flight however many callers; the identity id is cached as
 * non-secret state. Throttling is retried by the SDK; a refused token ends the session.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { ConnectionProfile } from '../../shared/profile';
import { fromCognitoError, KuraError } from './kuraError';
import type { SessionService } from './session';

const RENEW_BEFORE_MS = 5 * 60 * 1000;

/** Identity ids by user (`sub`), kept in a small JSON file; they are not secrets. */
export class IdentityIdCache {
  constructor(private readonly path: string) {}

  private read(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  get(key: string): string | undefined {
    return this.read()[key];
  }

  set(key: string, id: string | undefined): void {
    const all = this.read();
    if (id === undefined) delete all[key];
    else all[key] = id;
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(all));
    renameSync(tmp, this.path);
  }
}

export class RoleCredentials {
  private readonly client: CognitoIdentityClient;
  private current: (AwsCredentialIdentity & { expiration: Date }) | null = null;
  private inFlight: Promise<AwsCredentialIdentity & { expiration: Date }> | null = null;
  private readonly now: () => number;

  constructor(
    private readonly profile: ConnectionProfile,
    private readonly session: SessionService,
    private readonly cache: IdentityIdCache,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.client = new CognitoIdentityClient({
      region: profile.region,
      endpoint: profile.endpoints?.cognitoIdentity,
      // GetId and GetCredentialsForIdentity are unsigned; never search this machine's chain.
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      maxAttempts: 5,
    });
  }

  private get loginKey() {
    return `cognito-idp.${this.profile.region}.amazonaws.com/${this.profile.userPoolId}`;
  }

  /** For the S3 client: always valid credentials, renewed ahead of expiry. */
  readonly provider = (): Promise<AwsCredentialIdentity> => this.get();

  async get(): Promise<AwsCredentialIdentity & { expiration: Date }> {
    const c = this.current;
    if (c && c.expiration.getTime() - this.now() > RENEW_BEFORE_MS) return c;
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Drops cached credentials (sign-out; or AWS refused them). */
  clear(): void {
    this.current = null;
  }

  private async fetch() {
    const idToken = await this.session.idToken();
    const sub = this.session.user?.sub ?? '';
    const cacheKey = `${this.profile.identityPoolId}/${sub}`;
    const Logins = { [this.loginKey]: idToken };
    try {
      let identityId = this.cache.get(cacheKey);
      if (!identityId) {
        const r = await this.client.send(
          new GetIdCommand({ IdentityPoolId: this.profile.identityPoolId, Logins }),
        );
        identityId = r.IdentityId!;
        this.cache.set(cacheKey, identityId);
      }
      let r;
      try {
        r = await this.client.send(
          new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins }),
        );
      } catch (err) {
        // A cached identity the pool no longer knows: forget it and ask again once.
        if ((err as Error).name !== 'ResourceNotFoundException') throw err;
        this.cache.set(cacheKey, undefined);
        const again = await this.client.send(
          new GetIdCommand({ IdentityPoolId: this.profile.identityPoolId, Logins }),
        );
        this.cache.set(cacheKey, again.IdentityId);
        r = await this.client.send(
          new GetCredentialsForIdentityCommand({ IdentityId: again.IdentityId, Logins }),
        );
      }
      const c = r.Credentials;
      if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken || !c.Expiration) {
        throw new KuraError('UNKNOWN', 'the identity pool returned no credentials');
      }
      this.current = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      };
      return this.current;
    } catch (err) {
      const e = fromCognitoError(err, 'other');
      if (e.code === 'SESSION_EXPIRED' || e.code === 'WRONG_CREDENTIALS') {
        // The identity pool refused a token the user pool issued: the session was revoked.
        await this.session.expire();
        throw new KuraError('SESSION_EXPIRED', undefined, { cause: err });
      }
      throw e;
    }
  }
}

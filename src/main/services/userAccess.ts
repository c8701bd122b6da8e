/**
 * Everything built for one signed-in user: their identity id, credentials per role (the
 * identity pool's choice, or a group's role by CustomRoleArn), an S3 client and a direct-GET path
 * per role, their storage and their locations. When the session ends, is revoked or becomes
 * another user's, the whole of it is dropped: clients destroyed, credentials forgotten, and
 * anything still holding a piece of it is refused (NOT_SIGNED_IN) — even an answer that arrives
 * afterwards. Nothing cached for user A can serve user B in the same process (issue #12).
 */
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import { S3Client } from '@aws-sdk/client-s3';
import type { LocationView } from '../../shared/ipc';
import type { ConnectionProfile } from '../../shared/profile';
import { IdentityIdCache, RoleCredentials, type ExpiringCredentials } from './credentials';
import { DirectGet } from './directGet';
import { fromCognitoError, KuraError } from './kuraError';
import {
  declaredLocations,
  deriveLocations,
  locationView,
  needsIdentityId,
  roleForKey,
  type Location,
} from './locations';
import type { SessionService } from './session';
import { StorageService } from './storage';

export interface UserAccessDeps {
  profile: ConnectionProfile;
  session: SessionService;
  identityIds: IdentityIdCache;
  now?: () => number;
}

/** The S3 paths of one role: credentials, the SDK client, and the lean GET (directGet.ts). */
export interface RoleClients {
  credentials: RoleCredentials;
  s3: S3Client;
  direct: DirectGet;
}

/** The claims of a JWT, unverified: only to choose what to show; IAM decides what is allowed. */
function claimsOf(jwt: string): Record<string, unknown> {
  try {
    const payload = Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8');
    return JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export class UserAccess {
  private dropped = false;
  private identity: Promise<string> | null = null;
  private readonly roles = new Map<string, RoleClients>();
  private derived: Promise<Location[]> | null = null;
  private lastToken = '';
  private lastRoles: string[] = [];
  /** This user's read-only storage, every call routed to the role of its location. */
  readonly storage: StorageService;

  constructor(
    /** The user pool `sub` of the user this is for. */
    readonly sub: string,
    private readonly d: UserAccessDeps,
    private readonly identityClient: CognitoIdentityClient,
  ) {
    this.storage = new StorageService(d.profile, this);
  }

  get live(): boolean {
    return !this.dropped;
  }

  /** Refuses use once dropped. */
  assertLive(): void {
    if (this.dropped) throw new KuraError('NOT_SIGNED_IN');
  }

  private get profile() {
    return this.d.profile;
  }

  private async logins(): Promise<Record<string, string>> {
    this.assertLive();
    const idToken = await this.d.session.idToken();
    this.assertLive();
    return {
      [`cognito-idp.${this.profile.region}.amazonaws.com/${this.profile.userPoolId}`]: idToken,
    };
  }

  private get cacheKey() {
    return `${this.profile.identityPoolId}/${this.sub}`;
  }

  /** The user's Cognito identity id (GetId once; remembered on disk, it is not a secret). */
  identityId(): Promise<string> {
    this.assertLive();
    this.identity ??= this.cognito(async () => {
      const cached = this.d.identityIds.get(this.cacheKey);
      if (cached) return cached;
      const r = await this.identityClient.send(
        new GetIdCommand({
          IdentityPoolId: this.profile.identityPoolId,
          Logins: await this.logins(),
        }),
      );
      if (!r.IdentityId) throw new KuraError('UNKNOWN', 'the identity pool returned no identity');
      this.d.identityIds.set(this.cacheKey, r.IdentityId);
      return r.IdentityId;
    }).catch((err: unknown) => {
      this.identity = null;
      throw err;
    });
    return this.identity;
  }

  /** Fresh credentials for a role (the identity pool's choice when none is named). */
  fetchCredentials(roleArn?: string): Promise<ExpiringCredentials> {
    return this.cognito(async () => {
      const Logins = await this.logins();
      const ask = async () =>
        this.identityClient.send(
          new GetCredentialsForIdentityCommand({
            IdentityId: await this.identityId(),
            Logins,
            ...(roleArn ? { CustomRoleArn: roleArn } : {}),
          }),
        );
      let r;
      try {
        r = await ask();
      } catch (err) {
        // A cached identity the pool no longer knows: forget it and ask again once.
        if ((err as Error).name !== 'ResourceNotFoundException') throw err;
        this.d.identityIds.set(this.cacheKey, undefined);
        this.identity = null;
        r = await ask();
      }
      const c = r.Credentials;
      if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken || !c.Expiration) {
        throw new KuraError('UNKNOWN', 'the identity pool returned no credentials');
      }
      this.assertLive();
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      };
    });
  }

  /**
   * An identity pool call, its refusals told apart: a role the user may not have is ACCESS_DENIED;
   * a refused token means the session was revoked, and ends it (if it is still this user's).
   */
  private async cognito<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      const { name, message } = err as { name?: string; message?: string };
      if (
        name === 'NotAuthorizedException' &&
        /\brole\b/i.test(message ?? '') &&
        !/token/i.test(message ?? '')
      )
        throw new KuraError('ACCESS_DENIED', undefined, { cause: err });
      const e = fromCognitoError(err, 'other');
      if (e.code === 'SESSION_EXPIRED' || e.code === 'WRONG_CREDENTIALS') {
        if (this.live) await this.d.session.expire();
        throw new KuraError('SESSION_EXPIRED', undefined, { cause: err });
      }
      throw e;
    }
  }

  /** The S3 paths of a role for this user (built on first use). */
  role(roleArn?: string): RoleClients {
    this.assertLive();
    const key = roleArn ?? '';
    let c = this.roles.get(key);
    if (!c) {
      const credentials = new RoleCredentials(this, roleArn, { now: this.d.now });
      c = {
        credentials,
        s3: this.newS3(credentials),
        direct: new DirectGet(this.profile, credentials.provider),
      };
      this.roles.set(key, c);
    }
    return c;
  }

  private newS3(credentials: RoleCredentials) {
    return new S3Client({
      region: this.profile.region,
      endpoint: this.profile.endpoints?.s3,
      forcePathStyle: this.profile.s3ForcePathStyle ?? false,
      credentials: credentials.provider,
      maxAttempts: 5,
    });
  }

  /** AWS refused a role's credentials: forget them and rebuild its SDK client (it memoizes them). */
  renew(roleArn?: string): void {
    const c = this.roles.get(roleArn ?? '');
    if (!c || this.dropped) return;
    c.credentials.clear();
    c.s3.destroy();
    c.s3 = this.newS3(c.credentials);
  }

  /** The roles the user's current ID token carries (its `cognito:roles`). */
  async tokenRoles(): Promise<string[]> {
    const token = await this.d.session.idToken();
    this.assertLive();
    if (token !== this.lastToken) {
      const roles = claimsOf(token)['cognito:roles'];
      this.lastRoles = Array.isArray(roles)
        ? roles.filter((r): r is string => typeof r === 'string')
        : [];
      this.lastToken = token;
    }
    return this.lastRoles;
  }

  /** The profile's locations this user sees (their roles read from a fresh ID token). */
  private async declared(): Promise<Location[]> {
    const roles = await this.tokenRoles();
    const id = needsIdentityId(this.profile, roles) ? await this.identityId() : '';
    return declaredLocations(this.profile, id, roles);
  }

  /** The role that opens `key` in `bucket` for this user (undefined: the pool's choice). */
  async roleFor(bucket: string, key: string): Promise<string | undefined> {
    if (!this.profile.locations?.some((l) => l.roleArn && l.bucket === bucket)) return undefined;
    return roleForKey(await this.declared(), bucket, key);
  }

  /** The places this user can open, in the profile's order (derived ones probed once). */
  async locations(): Promise<LocationView[]> {
    let list: Location[];
    if (this.profile.locations) list = await this.declared();
    else {
      this.derived ??= deriveLocations({
        listBuckets: () => this.storage.listBuckets(),
        listFolder: (b, p, t, n) => this.storage.listFolder(b, p, t, n),
        identityId: () => this.identityId(),
      }).catch((err: unknown) => {
        this.derived = null;
        throw err;
      });
      list = await this.derived;
    }
    this.assertLive();
    return list.map(locationView);
  }

  /** The end of this user's access: every client destroyed, every credential forgotten. */
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    for (const c of this.roles.values()) {
      c.credentials.clear();
      c.s3.destroy();
      c.direct.destroy();
    }
    this.roles.clear();
    this.identity = null;
    this.derived = null;
  }
}

/**
 * The access of whoever is signed in to a profile's session: built when first needed, dropped
 * the moment the session is no longer that user's (signed out, revoked, a challenge, another
 * user signing in).
 */
export class CurrentUserAccess {
  private access: UserAccess | null = null;
  private readonly identityClient: CognitoIdentityClient;

  constructor(private readonly d: UserAccessDeps) {
    this.identityClient = new CognitoIdentityClient({
      region: d.profile.region,
      endpoint: d.profile.endpoints?.cognitoIdentity,
      // GetId and GetCredentialsForIdentity are unsigned; never search this machine's chain.
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      maxAttempts: 5,
    });
    d.session.onChange(() => this.follow());
  }

  /** The signed-in user's `sub`, if someone is signed in. */
  private get signedInSub(): string | undefined {
    return this.d.session.view().status === 'signedIn'
      ? this.d.session.user?.sub || undefined
      : undefined;
  }

  private follow() {
    if (this.access && this.access.sub !== this.signedInSub) {
      this.access.drop();
      this.access = null;
    }
  }

  /** The signed-in user's access; NOT_SIGNED_IN when nobody is. */
  current(): UserAccess {
    this.follow();
    const sub = this.signedInSub;
    if (!sub) throw new KuraError('NOT_SIGNED_IN');
    this.access ??= new UserAccess(sub, this.d, this.identityClient);
    return this.access;
  }

  /** The signed-in user's credentials for a role (the identity pool's choice when none). */
  get(roleArn?: string): Promise<ExpiringCredentials> {
    return this.current().role(roleArn).credentials.get();
  }

  /** Drops the signed-in user's access (credentials and clients are built again when needed). */
  clear(): void {
    this.access?.drop();
    this.access = null;
  }
}

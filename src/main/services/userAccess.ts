/**
 * Everything built for one signed-in user: their identity id, credentials per role (the
 * identity pool's choice, or a group's role by CustomRoleArn), an S3 client and a direct-GET path
 * per role, their storage and their locations. When the session ends, is revoked or becomes
 * another user's, the whole of it is dropped: clients destroyed, credentials forgotten, and
 * anything still holding a piece of it is refused (NOT_SIGNED_IN) — even an answer that arrives
 * afterwards. Nothing cached for user A can serve user B in the same process (issue #12).
 *
 * Every ID token it uses is checked to be its own user's (`sub`) before use: while a session
 * changes hands, a token of the next user is refused, never sent under this user's name nor
 * remembered as theirs.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { LocationView } from '../../shared/ipc';
import type { ConnectionProfile } from '../../shared/profile';
import { CognitoCredentials, CredentialsRefused } from './cognitoCredentials';
import { RoleCredentials, type ExpiringCredentials, type IdentityIdCache } from './credentials';
import { DirectGet } from './directGet';
import { jwtClaims, stringsClaim } from './jwtClaims';
import { KuraError } from './kuraError';
import type { Transport } from './network/network';
import { RoutedHttpHandler } from './network/sdkHandler';
import {
  declaredLocations,
  deriveLocations,
  locationView,
  needsIdentityId,
  roleForKey,
  type Location,
} from './locations';
import type { SessionService } from './session';
import type { SessionReuse } from './sessionReuse';
import type { RoleAccess, RoleClients } from './roleAccess';
import { StorageService } from './storage';

export interface UserAccessDeps {
  profile: ConnectionProfile;
  session: SessionService;
  identityIds: IdentityIdCache;
  now?: () => number;
  /** The way out for every request (network.ts): proxy, trust, clock, connectivity. */
  transport: Transport;
  /** Credentials kept between starts with the session's tokens (sessionReuse.ts). */
  reuse?: SessionReuse;
}

export type { RoleClients } from './roleAccess';

export class UserAccess implements RoleAccess {
  private dropped = false;
  private identity: Promise<string> | null = null;
  private readonly roles = new Map<string, RoleClients>();
  private derived: Promise<Location[]> | null = null;
  /** This user's read-only storage, every call routed to the role of its location. */
  readonly storage: StorageService;

  constructor(
    /** The user pool `sub` of the user this is for. */
    readonly sub: string,
    private readonly d: UserAccessDeps,
    private readonly pool: CognitoCredentials = new CognitoCredentials(d.profile, d.transport),
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

  /** The session's current ID token, if it is still this user's; else NOT_SIGNED_IN. */
  private async token(): Promise<string> {
    this.assertLive();
    const token = await this.d.session.idToken();
    this.assertLive();
    if (jwtClaims(token).sub !== this.sub) throw new KuraError('NOT_SIGNED_IN');
    return token;
  }

  private get cacheKey() {
    return `${this.profile.identityPoolId}/${this.sub}`;
  }

  /** The user's Cognito identity id (GetId once; remembered on disk, it is not a secret). */
  identityId(): Promise<string> {
    if (this.dropped) return Promise.reject(new KuraError('NOT_SIGNED_IN'));
    this.identity ??= this.whenRefused(async () => {
      const cached = this.d.identityIds.get(this.cacheKey);
      if (cached) return cached;
      return this.askIdentityId(await this.token());
    }).catch((err: unknown) => {
      this.identity = null;
      throw err;
    });
    return this.identity;
  }

  /** GetId with `token` (this user's, checked); the answer is remembered for this user. */
  private async askIdentityId(token: string): Promise<string> {
    const id = await this.pool.identityIdFor(token);
    this.assertLive();
    this.d.identityIds.set(this.cacheKey, id);
    return id;
  }

  /**
   * Fresh credentials for a role (the identity pool's choice when none is named). The token that
   * decides the role is the one sent. A refusal is told apart by asking GetId with that token:
   * refused too, the session is gone (SESSION_EXPIRED, the session ended if still this user's);
   * another identity id, the remembered one was wrong (replaced, asked once more); the same one,
   * the role is refused (ACCESS_DENIED, the user stays signed in).
   */
  fetchCredentials(roleArn?: string): Promise<ExpiringCredentials> {
    return this.whenRefused(async () => {
      const token = await this.token();
      if (roleArn && !stringsClaim(jwtClaims(token), 'cognito:roles').includes(roleArn))
        throw new KuraError('ACCESS_DENIED', 'the ID token does not carry this role');
      const asked = await this.identityId();
      const ask = async (identityId: string) => {
        const c = await this.pool.credentials(identityId, token, roleArn);
        this.assertLive();
        return c;
      };
      try {
        return await ask(asked);
      } catch (err) {
        if (!(err instanceof CredentialsRefused)) throw err;
        const actual = await this.askIdentityId(token);
        if (actual === asked) throw new KuraError('ACCESS_DENIED', undefined, { cause: err });
        this.identity = Promise.resolve(actual);
        try {
          return await ask(actual);
        } catch (again) {
          if (again instanceof CredentialsRefused)
            throw new KuraError('ACCESS_DENIED', undefined, { cause: again });
          throw again;
        }
      }
    });
  }

  /** A refused session ends — if it is still this user's (a late answer ends nobody else's). */
  private async whenRefused<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof KuraError && err.code === 'SESSION_EXPIRED' && this.live)
        await this.d.session.expire(this.sub);
      throw err;
    }
  }

  /** The S3 paths of a role for this user (built on first use). */
  role(roleArn?: string): RoleClients {
    this.assertLive();
    const key = roleArn ?? '';
    let c = this.roles.get(key);
    if (!c) {
      const reuse = this.d.reuse;
      const sub = this.sub;
      const credentials = new RoleCredentials(this, roleArn, {
        now: this.d.now,
        ...(reuse
          ? {
              kept: {
                load: () => reuse.credentials(sub, key),
                save: (c) => reuse.saveCredentials(sub, key, c),
                forget: () => reuse.forgetCredentials(key),
              },
            }
          : {}),
      });
      c = {
        credentials,
        s3: this.newS3(credentials),
        direct: new DirectGet(this.profile, credentials.provider, this.d.transport),
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
      requestHandler: new RoutedHttpHandler(this.d.transport),
      // The SDK corrects its clock itself on a skew error; it starts from what Kura measured.
      systemClockOffset: this.d.transport.network.clock.sdkOffset(),
    });
  }

  /** AWS refused a role's credentials: forget them and rebuild its SDK client (it memoizes them). */
  renew(roleArn?: string): void {
    const c = this.roles.get(roleArn ?? '');
    if (!c || this.dropped) return;
    c.credentials.refused();
    c.s3.destroy();
    c.s3 = this.newS3(c.credentials);
  }

  /** The roles this user's current ID token carries (its `cognito:roles`). */
  async tokenRoles(): Promise<string[]> {
    return stringsClaim(jwtClaims(await this.token()), 'cognito:roles');
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
      this.assertLive();
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

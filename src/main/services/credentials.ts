/**
 * Temporary AWS credentials for one user and one role, renewed at least five minutes before they
 * expire, one request in flight however many callers. Where they come from (the identity pool's
 * enhanced flow: GetId, then GetCredentialsForIdentity with the ID token in Logins and, for a
 * group's role, CustomRoleArn) is the source's business (userAccess.ts); once the source has
 * been dropped — sign-out, revocation, another user — these credentials answer nobody, not
 * even from the cache.
 */
import { readFileSync } from 'node:fs';
import type { AwsCredentialIdentity } from '@smithy/types';
import { KuraError } from './kuraError';
import { writeJsonAtomic } from './jsonFile';

const RENEW_BEFORE_MS = 5 * 60 * 1000;

export type ExpiringCredentials = AwsCredentialIdentity & { expiration: Date };

/** What a Cognito identity id looks like (`<region>:<uuid>`). */
const IDENTITY_ID = /^[\w-]+:[0-9a-f-]{36}$/;

/**
 * Identity ids by identity pool and user (`<pool>/<sub>`), kept in a small JSON file, readable by
 * this OS user only. They are not secrets, but in the own-prefix scope they name other users'
 * folders, so an entry lives only while its user stays signed in (currentUser.ts). Whatever the
 * file holds is checked: an entry that is not an identity id is ignored.
 */
export class IdentityIdCache {
  constructor(private readonly path: string) {}

  private read(): Record<string, string> {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch {
      return {};
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw))
      if (typeof v === 'string' && IDENTITY_ID.test(v)) out[k] = v;
    return out;
  }

  get(key: string): string | undefined {
    const all = this.read();
    return Object.hasOwn(all, key) ? all[key] : undefined;
  }

  set(key: string, id: string | undefined): void {
    if (id !== undefined && !IDENTITY_ID.test(id))
      throw new KuraError('UNKNOWN', 'the identity pool returned an identity id of another form');
    const all = this.read();
    if (id === undefined) {
      if (!Object.hasOwn(all, key)) return;
      delete all[key];
    } else all[key] = id;
    writeJsonAtomic(this.path, all, { private: true });
  }
}

/** Where credentials come from: one signed-in user's access (userAccess.ts). */
export interface CredentialSource {
  /** False once the user's access was dropped. */
  readonly live: boolean;
  fetchCredentials(roleArn?: string): Promise<ExpiringCredentials>;
}

/** Where a role's credentials are kept between starts (sessionReuse.ts, bound to its user and role). */
export interface KeptCredentials {
  load(): ExpiringCredentials | undefined;
  save(c: ExpiringCredentials): Promise<void>;
  forget(): Promise<void>;
}

export class RoleCredentials {
  private current: ExpiringCredentials | null = null;
  private inFlight: Promise<ExpiringCredentials> | null = null;
  private readonly now: () => number;
  private readonly kept?: KeptCredentials;

  constructor(
    private readonly source: CredentialSource,
    /** The role asked for; absent: the identity pool's choice for the user. */
    readonly roleArn?: string,
    options: { now?: () => number; kept?: KeptCredentials } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.kept = options.kept;
    // What an earlier start kept: used only while more than five minutes remain (get()).
    this.current = this.kept?.load() ?? null;
  }

  /** For the S3 client: always valid credentials, renewed ahead of expiry. */
  readonly provider = (): Promise<AwsCredentialIdentity> => this.get();

  async get(): Promise<ExpiringCredentials> {
    if (!this.source.live) throw new KuraError('NOT_SIGNED_IN');
    const c = this.current;
    if (c && c.expiration.getTime() - this.now() > RENEW_BEFORE_MS) return c;
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async fetch(): Promise<ExpiringCredentials> {
    const c = await this.source.fetchCredentials(this.roleArn);
    // Dropped while asking (signed out meanwhile): the answer is nobody's.
    if (!this.source.live) throw new KuraError('NOT_SIGNED_IN');
    this.current = c;
    await this.kept?.save(c);
    return c;
  }

  /** Drops the cached credentials (the user's access ends; what is kept for the user stays). */
  clear(): void {
    this.current = null;
  }

  /** AWS refused these credentials: dropped here and from what is kept between starts. */
  refused(): void {
    this.current = null;
    void this.kept?.forget().catch(() => undefined);
  }
}

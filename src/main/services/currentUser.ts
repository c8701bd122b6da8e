/**
 * The access of whoever is signed in to a profile's session: built when first needed, dropped
 * the moment the session is no longer that user's (signed out, revoked, a challenge, another
 * user signing in). A user's remembered identity id is forgotten when their session ends or is
 * replaced by another user's: it is kept only while the user stays remembered on this machine.
 */
import type { SessionView } from '../../shared/ipc';
import { CognitoCredentials } from './cognitoCredentials';
import type { ExpiringCredentials } from './credentials';
import { KuraError } from './kuraError';
import { UserAccess, type UserAccessDeps } from './userAccess';

export class CurrentUserAccess {
  private access: UserAccess | null = null;
  private readonly pool: CognitoCredentials;
  /** The user this session last held (whose identity id may be remembered). */
  private remembered: string | undefined;

  constructor(private readonly d: UserAccessDeps) {
    this.pool = new CognitoCredentials(d.profile);
    this.remembered = this.signedInSub;
    d.session.onChange((v) => {
      this.follow();
      this.forgetEnded(v);
    });
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

  private forgetEnded(v: SessionView) {
    const now = this.signedInSub;
    const ended = v.status === 'signedOut' && v.reason !== undefined;
    const replaced = now !== undefined && now !== this.remembered;
    if ((ended || replaced) && this.remembered)
      this.d.identityIds.set(`${this.d.profile.identityPoolId}/${this.remembered}`, undefined);
    if (ended) this.remembered = undefined;
    if (now) this.remembered = now;
  }

  /** The signed-in user's access; NOT_SIGNED_IN when nobody is. */
  current(): UserAccess {
    this.follow();
    const sub = this.signedInSub;
    if (!sub) throw new KuraError('NOT_SIGNED_IN');
    this.access ??= new UserAccess(sub, this.d, this.pool);
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

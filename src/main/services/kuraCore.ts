/**
 * The composition root of Kura's main-process services, shared by the Electron shell, the CLI
 * and the tests: the active profile, its session (keychain), and the signed-in user's access —
 * credentials per role, read-only storage, locations — rebuilt for each user (userAccess.ts).
 * Plain Node: everything it needs is passed in.
 */
import { join } from 'node:path';
import type { SessionView } from '../../shared/ipc';
import type { ConnectionProfile } from '../../shared/profile';
import { IdentityIdCache } from './credentials';
import { KuraError } from './kuraError';
import { ProfileStore } from './profile';
import type { SecretStore } from './secretStore';
import { SessionService } from './session';
import type { StorageService } from './storage';
import { CurrentUserAccess } from './userAccess';
import { CognitoUserPoolAuth, type UserPoolAuth } from './userPoolAuth';

export interface KuraCoreOptions {
  dataDir: string;
  secrets: SecretStore;
  /** Why the keychain is not used, if it is not (told to the user). */
  keychainProblem?: string;
  now?: () => number;
  /** For tests: a different user pool client. */
  authFactory?: (profile: ConnectionProfile) => UserPoolAuth;
}

export interface ProfileServices {
  profileId: string;
  profile: ConnectionProfile;
  session: SessionService;
  /** The signed-in user's access (locations, credentials per role); dropped at sign-out. */
  access: CurrentUserAccess;
  /** The same object: `credentials.get()` gives the signed-in user's default-role credentials. */
  credentials: CurrentUserAccess;
  /** The signed-in user's storage (built for them; NOT_SIGNED_IN when nobody is). */
  readonly storage: StorageService;
}

export class KuraCore {
  readonly profiles: ProfileStore;
  private current: ProfileServices | null = null;
  private readonly sessionListeners = new Set<(v: SessionView) => void>();

  constructor(private readonly o: KuraCoreOptions) {
    this.profiles = new ProfileStore(o.dataDir);
  }

  /** The services of the active profile (built on first use). */
  active(): ProfileServices {
    const active = this.profiles.active();
    if (!active) throw new KuraError('NO_PROFILE');
    if (this.current?.profileId === active.id) return this.current;
    // Another profile is now active: the previous one's user access goes with it.
    this.current?.access.clear();
    const auth = this.o.authFactory?.(active.profile) ?? new CognitoUserPoolAuth(active.profile);
    const session = new SessionService({
      auth,
      secrets: this.o.secrets,
      account: active.id,
      now: this.o.now,
      keychainProblem: this.o.keychainProblem,
    });
    // Subscribed before the listeners below: a user's access is dropped before anyone hears.
    const access = new CurrentUserAccess({
      profile: active.profile,
      session,
      identityIds: new IdentityIdCache(join(this.o.dataDir, 'identities.json')),
      now: this.o.now,
    });
    session.onChange((v) => {
      for (const l of this.sessionListeners) l(v);
    });
    this.current = {
      profileId: active.id,
      profile: active.profile,
      session,
      access,
      credentials: access,
      get storage() {
        return access.current().storage;
      },
    };
    return this.current;
  }

  /** Session changes of whichever profile is active (the UI follows these). */
  onSessionChange(listener: (v: SessionView) => void): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  get hasProfile(): boolean {
    return this.profiles.active() !== null;
  }
}

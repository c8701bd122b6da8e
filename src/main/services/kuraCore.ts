/**
 * The composition root of Kura's main-process services, shared by the Electron shell, the CLI
 * and the tests: the active profile, its session (keychain), credentials and read-only storage.
 * Plain Node: everything it needs is passed in.
 */
import { join } from 'node:path';
import type { SessionView } from '../../shared/ipc';
import type { ConnectionProfile } from '../../shared/profile';
import { IdentityIdCache, RoleCredentials } from './credentials';
import { KuraError } from './kuraError';
import { ProfileStore } from './profile';
import type { SecretStore } from './secretStore';
import { SessionService } from './session';
import { StorageService } from './storage';
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
  credentials: RoleCredentials;
  storage: StorageService;
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
    const auth = this.o.authFactory?.(active.profile) ?? new CognitoUserPoolAuth(active.profile);
    const session = new SessionService({
      auth,
      secrets: this.o.secrets,
      account: active.id,
      now: this.o.now,
      keychainProblem: this.o.keychainProblem,
    });
    const credentials = new RoleCredentials(
      active.profile,
      session,
      new IdentityIdCache(join(this.o.dataDir, 'identities.json')),
      {
        now: this.o.now,
      },
    );
    session.onChange((v) => {
      if (v.status !== 'signedIn') credentials.clear();
      for (const l of this.sessionListeners) l(v);
    });
    this.current = {
      profileId: active.id,
      profile: active.profile,
      session,
      credentials,
      storage: new StorageService(active.profile, credentials),
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

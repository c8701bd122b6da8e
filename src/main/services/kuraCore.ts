/**
 * Whose work is being done — the owner: the active profile and its signed-in user — and that
 * profile's services: its session (keychain) and the signed-in user's access (credentials per
 * role, read-only storage, locations; currentUser.ts), built for the profile by the factory the
 * composition gives (src/main/compose/profileServices.ts) and built again when it changes.
 * Plain Node: everything it builds with is passed in.
 *
 * The owner changes at sign-in, sign-out, revocation, another user signing in, a profile switch
 * and a profile whose content changed. Everything held for an owner (transfers, the drag cache)
 * listens to one signal, `onOwnerChange`, told before the previous owner's access is dropped.
 */
import type { SessionView } from '../../shared/ipc';
import type { ConnectionProfile } from '../../shared/profile';
import type { CurrentUserAccess } from './currentUser';
import { KuraError } from './kuraError';
import type { ProfileStore } from './profile';
import type { SessionService } from './session';
import type { StorageService } from './storage';

/** A profile's own services, as the composition builds them. */
export interface ProfileParts {
  session: SessionService;
  /**
   * The signed-in user's access, subscribed to `session` before KuraCore is: a user's access is
   * dropped before anyone hears of the change.
   */
  access: CurrentUserAccess;
}

export interface KuraCoreOptions {
  profiles: ProfileStore;
  /** Builds a profile's services (at first use, and again when the profile changes). */
  build: (profileId: string, profile: ConnectionProfile) => ProfileParts;
}

export interface ProfileServices {
  profileId: string;
  profile: ConnectionProfile;
  session: SessionService;
  /** The signed-in user's access (locations, credentials per role); dropped at sign-out. */
  access: CurrentUserAccess;
  /** The signed-in user's storage (built for them; NOT_SIGNED_IN when nobody is). */
  readonly storage: StorageService;
}

/** Whose work is being done: a profile and its signed-in user. */
export interface Owner {
  profileId: string;
  sub: string;
}

export interface OwnerChange {
  previous: Owner | null;
  next: Owner | null;
  /**
   * Whether the previous owner's session ended (signed out, revoked, replaced by another user):
   * their unfinished work is discarded. Otherwise (a profile switch, a challenge) it is kept to
   * resume when they are back.
   */
  ended: boolean;
}

/** One string per owner (for keys and folder names). */
export const ownerKey = (o: Owner | null): string => (o ? `${o.profileId}\n${o.sub}` : '');

interface Built extends ProfileServices {
  /** The profile's content the services were built from. */
  content: string;
  /** Stops forwarding this session's events. */
  unsubscribe: () => void;
}

export class KuraCore {
  readonly profiles: ProfileStore;
  private current: Built | null = null;
  private currentOwner: Owner | null = null;
  private readonly sessionListeners = new Set<(v: SessionView) => void>();
  private readonly ownerListeners = new Set<(c: OwnerChange) => void>();

  constructor(private readonly o: KuraCoreOptions) {
    this.profiles = o.profiles;
  }

  /** The services of the active profile (built on first use, and again when it changes). */
  active(): ProfileServices {
    const active = this.profiles.active();
    if (!active) throw new KuraError('NO_PROFILE');
    const content = JSON.stringify(active.profile);
    const previous = this.current;
    if (previous?.profileId === active.id && previous.content === content) return previous;
    // Another profile, or this one changed: the previous services are no longer heard.
    previous?.unsubscribe();
    const built = this.build(active.id, active.profile, content);
    this.current = built;
    this.setOwner(false);
    // Told before, dropped after: what listeners stop first ends as stopped, not refused.
    previous?.access.clear();
    // The same profile with new content: the user stays signed in (from the keychain).
    if (previous?.profileId === active.id && previous.session.view().status === 'signedIn')
      void built.session.restore().catch(() => undefined);
    return built;
  }

  private build(profileId: string, profile: ConnectionProfile, content: string): Built {
    const { session, access } = this.o.build(profileId, profile);
    const unsubscribe = session.onChange((v) => {
      this.setOwner(v.status === 'signedOut');
      for (const l of this.sessionListeners) l(v);
    });
    return {
      profileId,
      profile,
      session,
      access,
      content,
      unsubscribe,
      get storage() {
        return access.current().storage;
      },
    };
  }

  /** The active profile and its signed-in user, if someone is signed in. */
  get owner(): Owner | null {
    return this.currentOwner;
  }

  private setOwner(ended: boolean) {
    const c = this.current;
    const sub = c?.session.view().status === 'signedIn' ? c.session.user?.sub : undefined;
    const next = c && sub ? { profileId: c.profileId, sub } : null;
    const previous = this.currentOwner;
    if (ownerKey(next) === ownerKey(previous)) return;
    this.currentOwner = next;
    const change = { previous, next, ended: ended && previous !== null };
    for (const l of this.ownerListeners) l(change);
  }

  /** Session changes of whichever profile is active (the UI follows these). */
  onSessionChange(listener: (v: SessionView) => void): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  /** Changes of whose work is being done (see the header). */
  onOwnerChange(listener: (c: OwnerChange) => void): () => void {
    this.ownerListeners.add(listener);
    return () => this.ownerListeners.delete(listener);
  }

  get hasProfile(): boolean {
    return this.profiles.active() !== null;
  }
}

/**
 * What a connection profile's services are built from: its user pool client (or the managed
 * login in the system browser), its session kept in the secret store, and its signed-in user's
 * access — every request through the network's transport for the profile's trust, every time
 * read from the servers' clock. KuraCore calls the factory for the active profile, and again
 * when the profile changes.
 */
import { join } from 'node:path';
import type { ConnectionProfile } from '../../shared/profile';
import { IdentityIdCache } from '../services/credentials';
import { CurrentUserAccess } from '../services/currentUser';
import type { ProfileParts } from '../services/kuraCore';
import { KuraError } from '../services/kuraError';
import { BrowserManagedLogin, type BrowserHooks } from '../services/managedLogin/browserSignIn';
import type { Network } from '../services/network/network';
import type { SecretStore } from '../services/secretStore';
import { SessionService } from '../services/session';
import { SessionReuse } from '../services/sessionReuse';
import { CognitoUserPoolAuth, type UserPoolAuth } from '../services/userPoolAuth';

export interface ProfileServicesOptions {
  dataDir: string;
  secrets: SecretStore;
  /** Why the keychain is not used, if it is not (told to the user). */
  keychainProblem?: string;
  network: Network;
  /** The servers' time (default: the network's server clock: this computer's, skew corrected). */
  now?: () => number;
  /** For tests: a different user pool client. */
  authFactory?: (profile: ConnectionProfile) => UserPoolAuth;
  /**
   * The system browser, for sign-in through the organisation (managed login). Absent: such a
   * sign-in cannot start here (a session that began there still renews and signs out).
   */
  browser?: BrowserHooks;
  /** How long a sign-in in the browser may take (tests shorten it). */
  browserSignInTimeoutMs?: number;
}

const NO_BROWSER: BrowserHooks = {
  open: () => Promise.reject(new KuraError('BROWSER_UNAVAILABLE')),
};

export function profileServicesFactory(
  o: ProfileServicesOptions,
): (profileId: string, profile: ConnectionProfile) => ProfileParts {
  const clock = o.network.clock;
  const now = o.now ?? (() => clock.now());
  const identityIds = new IdentityIdCache(join(o.dataDir, 'identities.json'));
  return (profileId, profile) => {
    const transport = o.network.transport(profile.caBundle);
    // What the next start may reuse of this session, for this profile's content only.
    const reuse = new SessionReuse(o.secrets, profileId, JSON.stringify(profile));
    const session = new SessionService({
      auth: o.authFactory?.(profile) ?? new CognitoUserPoolAuth(profile, { now, transport }),
      ...(profile.managedLogin
        ? {
            managedLogin: new BrowserManagedLogin(profile, o.browser ?? NO_BROWSER, {
              timeoutMs: o.browserSignInTimeoutMs,
              now,
              transport,
            }),
          }
        : {}),
      secrets: o.secrets,
      account: profileId,
      now,
      keychainProblem: o.keychainProblem,
      reuse,
    });
    // Built after the session and before KuraCore subscribes to it (ProfileParts.access).
    const access = new CurrentUserAccess({
      profile,
      session,
      identityIds,
      now,
      transport,
      reuse,
    });
    return { session, access };
  };
}

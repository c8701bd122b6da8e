/**
 * The core of Kura's main side, composed in one place for the app (kuraApp.ts) and the CLI
 * (src/cli/context.ts): the secret store → the network (every request's way out) → the factory
 * of a profile's services (profileServices.ts) → KuraCore, the profile and owner lifecycle →
 * the active profile's services as accessors (src/main/app/activeProfile.ts), for whoever uses
 * them without holding the core. What differs between callers comes in: the shell's proxy
 * resolver, the CLI's --proxy, PAC and proxy question, the system browser each opens, the
 * tests' own secret store.
 */
import type { ConnectionProfile } from '../../shared/profile';
import type { ActiveProfile } from '../app/activeProfile';
import { KuraCore } from '../services/kuraCore';
import type { BrowserHooks } from '../services/managedLogin/browserSignIn';
import { Network, type NetworkOptions } from '../services/network/network';
import { ProfileStore } from '../services/profile';
import {
  KeychainSecretStore,
  openSecretStore,
  type KeychainProblem,
  type SecretStore,
} from '../services/secretStore';
import type { UserPoolAuth } from '../services/userPoolAuth';
import { profileServicesFactory } from './profileServices';

export interface CoreOptions {
  dataDir: string;
  secrets: SecretStore;
  /** Why the keychain is not used, if it is not (told to the user). */
  keychainProblem?: string;
  /**
   * How requests find their way out, besides the secret store (which keeps proxy passwords):
   * the OS's resolver (the shell), a PAC file, a proxy setting and its question (the CLI), the
   * environment and the monitor's pace (tests). Default: HTTPS_PROXY / HTTP_PROXY / NO_PROXY
   * from the environment, else direct.
   */
  network?: Omit<NetworkOptions, 'secrets'>;
  /** The system browser, for sign-in through the organisation (absent: it cannot start here). */
  browser?: BrowserHooks;
  /** How long a sign-in in the browser may take (tests shorten it). */
  browserSignInTimeoutMs?: number;
  /** The servers' time (default: the network's server clock). */
  now?: () => number;
  /** For tests: a different user pool client. */
  authFactory?: (profile: ConnectionProfile) => UserPoolAuth;
}

export function composeCore(o: CoreOptions) {
  const network = new Network({ ...o.network, secrets: o.secrets });
  const core = new KuraCore({
    profiles: new ProfileStore(o.dataDir),
    build: profileServicesFactory({ ...o, network }),
  });
  const active: ActiveProfile = {
    profiles: core.profiles,
    hasProfile: () => core.hasProfile,
    session: () => core.active().session,
    access: () => core.active().access.current(),
    storage: () => core.active().storage,
    owner: () => core.owner,
  };
  return { network, core, active };
}

/**
 * The OS keychain: `proven` by a write, read and delete first (the app, `kura login`: the user
 * is told, in `problem` and `kind`, when they will not stay signed in; the memory store then
 * keeps the session for this run), or `trusted` as is (the CLI's other commands only read the
 * session, and a keychain that fails to read means "not signed in": three keychain round trips
 * fewer at every start).
 */
export function openSecrets(
  how: 'proven' | 'trusted',
): Promise<{ store: SecretStore; problem?: string; kind?: KeychainProblem }> {
  return how === 'proven'
    ? openSecretStore()
    : Promise.resolve({ store: new KeychainSecretStore() });
}

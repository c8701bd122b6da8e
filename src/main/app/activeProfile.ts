/**
 * The active profile's services as the app's parts use them, each reached at the call: they
 * follow profile switches and users without anyone holding the core (the composition gives
 * them: src/main/compose/core.ts). The profiles themselves are listed, imported and activated
 * through `profiles`.
 */
import type { Owner } from '../services/kuraCore';
import type { ProfileStore } from '../services/profile';
import type { SessionService } from '../services/session';
import type { StorageService } from '../services/storage';
import type { UserAccess } from '../services/userAccess';

export interface ActiveProfile {
  readonly profiles: ProfileStore;
  /** Whether a profile is set up (else there is no session: NO_PROFILE). */
  readonly hasProfile: () => boolean;
  /** The active profile's session; NO_PROFILE while none is set up. */
  readonly session: () => SessionService;
  /** The signed-in user's access (locations, credentials per role); NOT_SIGNED_IN when nobody is. */
  readonly access: () => UserAccess;
  /** The signed-in user's read-only storage; NOT_SIGNED_IN when nobody is. */
  readonly storage: () => StorageService;
  /** Whose work is being done (the profile and its signed-in user), if anyone's. */
  readonly owner: () => Owner | null;
}

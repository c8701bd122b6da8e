/**
 * Locations: the places a user opens — a bucket, their home, a group's folder — each with the
 * role that grants it. From the profile's list (`${identityId}` filled in; a location whose role
 * the user's ID token does not carry is not shown: IAM stays the boundary, the list is a
 * convenience) or, without one, derived: the buckets the user may list, else the profile's
 * buckets, each at its top level when that may be listed, else at the user's home
 * `<identity id>/` when that may (the own-prefix scope); none at all when nothing may be read
 * (never a bucket root that was just refused). The role ARN never leaves main.
 */
import type { BucketEntry, LocationView } from '../../shared/ipc';
import {
  HOME_LABEL,
  IDENTITY_ID_VARIABLE,
  type ConnectionProfile,
  type ProfileLocation,
} from '../../shared/profile';
import { KuraError } from './kuraError';

/** A location as main knows it: the view plus the role that opens it. */
export interface Location extends LocationView {
  roleArn?: string;
}

function kindOf(l: ProfileLocation): LocationView['kind'] {
  const prefix = l.prefix ?? '';
  if (prefix === '') return 'bucket';
  if (prefix.includes(IDENTITY_ID_VARIABLE)) return 'home';
  return l.roleArn ? 'group' : 'folder';
}

function located(l: ProfileLocation, kind: LocationView['kind'], prefix: string): Location {
  return {
    id: `${kind}:${l.bucket}/${prefix}`,
    bucket: l.bucket,
    prefix,
    label: l.label,
    kind,
    ...(l.roleArn ? { roleArn: l.roleArn } : {}),
  };
}

/** Whether the profile's locations need the identity id (for those this user may see). */
export function needsIdentityId(profile: ConnectionProfile, tokenRoles: string[]): boolean {
  return (profile.locations ?? []).some(
    (l) =>
      (l.prefix ?? '').includes(IDENTITY_ID_VARIABLE) &&
      (!l.roleArn || tokenRoles.includes(l.roleArn)),
  );
}

/** The profile's locations this user sees, `${identityId}` replaced by theirs. */
export function declaredLocations(
  profile: ConnectionProfile,
  identityId: string,
  tokenRoles: string[],
): Location[] {
  return (profile.locations ?? [])
    .filter((l) => !l.roleArn || tokenRoles.includes(l.roleArn))
    .map((l) =>
      // A function, so `$'`, `$&`… in the id are put in as they are, not as patterns.
      located(
        l,
        kindOf(l),
        (l.prefix ?? '').replaceAll(IDENTITY_ID_VARIABLE, () => identityId),
      ),
    );
}

/**
 * The role that opens `key` in `bucket`: that of the deepest location with a role holding it (a
 * deeper location without one, e.g. `design/public/` in `design/`, keeps its parent's); none —
 * the identity pool's choice — when no location with a role holds it. Keys are compared as they
 * are, as IAM compares them (an NFD twin of an NFC prefix is another key).
 */
export function roleForKey(locations: Location[], bucket: string, key: string): string | undefined {
  let best: Location | undefined;
  for (const l of locations)
    if (
      l.roleArn &&
      l.bucket === bucket &&
      key.startsWith(l.prefix) &&
      l.prefix.length > (best?.prefix.length ?? -1)
    )
      best = l;
  return best?.roleArn;
}

/** What the renderer may see of a location (never its role). */
export function locationView(l: Location): LocationView {
  return { id: l.id, bucket: l.bucket, prefix: l.prefix, label: l.label, kind: l.kind };
}

export interface LocationProbe {
  /** ListBuckets, or the profile's buckets when the role may not. */
  listBuckets(): Promise<BucketEntry[]>;
  /** Lists one key of a folder. */
  listFolder(bucket: string, prefix: string, token?: string, maxKeys?: number): Promise<unknown>;
  identityId(): Promise<string>;
}

/** Whether a folder may be listed; AccessDenied and a missing bucket are a no, anything else an error. */
async function canList(probe: LocationProbe, bucket: string, prefix: string): Promise<boolean> {
  try {
    await probe.listFolder(bucket, prefix, undefined, 1);
    return true;
  } catch (err) {
    if (err instanceof KuraError && (err.code === 'ACCESS_DENIED' || err.code === 'NO_SUCH_BUCKET'))
      return false;
    throw err;
  }
}

/**
 * Locations for a profile that lists none: each bucket where it may be read — its top level, or
 * the user's home in it. When none may be read, none: the app says there is nothing to open.
 */
export async function deriveLocations(probe: LocationProbe): Promise<Location[]> {
  const buckets = await probe.listBuckets();
  const found = await Promise.all(
    buckets.map(async ({ name }): Promise<Location | undefined> => {
      const bucket: ProfileLocation = { bucket: name, prefix: '', label: name };
      if (await canList(probe, name, '')) return located(bucket, 'bucket', '');
      const home = `${await probe.identityId()}/`;
      const label = buckets.length === 1 ? HOME_LABEL : `${HOME_LABEL} (${name})`;
      if (await canList(probe, name, home)) return located({ ...bucket, label }, 'home', home);
      return undefined;
    }),
  );
  return found.filter((l): l is Location => l !== undefined);
}

/**
 * Where the window is and how it moves, as plain functions: Back/Forward history, Up within the
 * location (never above it: breadcrumbs start at the location, #12), the breadcrumb's segments,
 * which location holds a folder, the folder to reselect after going up, and Recent.
 */
import type { LocationView } from '../../shared/ipc';
import type { PlaceRef } from '../../shared/uiSettings';

export type Place = PlaceRef;

export const samePlace = (a: Place | null | undefined, b: Place | null | undefined) =>
  !!a && !!b && a.bucket === b.bucket && a.prefix === b.prefix;

export interface History {
  back: Place[];
  current: Place | null;
  forward: Place[];
}

export const emptyHistory = (): History => ({ back: [], current: null, forward: [] });

/** Opens a place: the current one goes on the Back stack and Forward is forgotten. */
export function go(h: History, place: Place): History {
  if (samePlace(h.current, place)) return h;
  return {
    back: h.current ? [...h.back, h.current].slice(-100) : h.back,
    current: place,
    forward: [],
  };
}

export function goBack(h: History): History | null {
  const to = h.back.at(-1);
  if (!to) return null;
  return {
    back: h.back.slice(0, -1),
    current: to,
    forward: h.current ? [h.current, ...h.forward] : h.forward,
  };
}

export function goForward(h: History): History | null {
  const [to, ...rest] = h.forward;
  if (!to) return null;
  return { back: h.current ? [...h.back, h.current] : h.back, current: to, forward: rest };
}

/** The location a place is in: same bucket, the longest location prefix that contains it. */
export function locationOf(place: Place, locations: LocationView[]): LocationView | undefined {
  let best: LocationView | undefined;
  for (const l of locations) {
    if (l.bucket !== place.bucket || !place.prefix.startsWith(l.prefix)) continue;
    if (!best || l.prefix.length > best.prefix.length) best = l;
  }
  return best;
}

/** Where to start: the remembered folder (if still inside a location), then every location. */
export function startPlaces(locations: LocationView[], remembered: Place | undefined): Place[] {
  const roots = locations.map((l) => ({ bucket: l.bucket, prefix: l.prefix }));
  return remembered && locationOf(remembered, locations) ? [remembered, ...roots] : roots;
}

/** One folder up, or null at the top of the location. */
export function parentOf(place: Place, root: Place): Place | null {
  if (place.bucket !== root.bucket || place.prefix.length <= root.prefix.length) return null;
  const inner = place.prefix.slice(0, -1);
  const cut = inner.lastIndexOf('/');
  const prefix = cut < 0 ? '' : inner.slice(0, cut + 1);
  return prefix.length < root.prefix.length ? root : { bucket: place.bucket, prefix };
}

export interface Crumb {
  label: string;
  place: Place;
}

/** The breadcrumb from the location down to the place (the last one is the place itself). */
export function crumbsOf(place: Place, root: Place, rootLabel: string): Crumb[] {
  const out: Crumb[] = [{ label: rootLabel, place: root }];
  if (place.bucket !== root.bucket || !place.prefix.startsWith(root.prefix)) return out;
  let prefix = root.prefix;
  for (const segment of place.prefix.slice(root.prefix.length).split('/').filter(Boolean)) {
    prefix += `${segment}/`;
    out.push({ label: segment, place: { bucket: place.bucket, prefix } });
  }
  return out;
}

/**
 * After moving from `from` to an ancestor `to` (Up, Back, a breadcrumb), the row to select in
 * `to`: the child of `to` on the way to `from` — the folder the user came from.
 */
export function cameFrom(from: Place | null, to: Place): string | undefined {
  if (!from || from.bucket !== to.bucket) return undefined;
  if (from.prefix.length <= to.prefix.length || !from.prefix.startsWith(to.prefix))
    return undefined;
  const next = from.prefix.slice(to.prefix.length).split('/')[0];
  return next ? `${to.prefix}${next}/` : undefined;
}

/** Recent folders: newest first, no repeats, at most `max`. */
export function withRecent(recent: Place[], place: Place, max: number): Place[] {
  return [place, ...recent.filter((p) => !samePlace(p, place))].slice(0, max);
}

/** What a place is called: a location's own label (a home is not its identity id), else its folder's name. */
export function placeName(place: Place, locations: LocationView[]): string {
  const loc = locationOf(place, locations);
  if (loc && loc.bucket === place.bucket && loc.prefix === place.prefix) return loc.label;
  return folderName(place.prefix) || loc?.label || place.bucket;
}

/** The folder's own name ("" → the location's label is used instead). */
export const folderName = (prefix: string) => prefix.slice(0, -1).split('/').pop() ?? '';

/**
 * How a location is named on screen. Main names a home it derives (and the profile template
 * names every home) 'My files' — 'My files (bucket)' when there are several buckets — in
 * English: that default is shown in the user's language. A label the administrator wrote is
 * shown as written. Group folders keep their group's name and are listed apart, under a heading
 * of their own (see Sidebar).
 */
import type { LocationView } from '../../shared/ipc';
import { HOME_LABEL } from '../../shared/profile';

export interface LocationWords {
  /** The home folder's name in the user's language ("My files", 「マイファイル」). */
  home: string;
}

export function displayLabel(l: LocationView, words: LocationWords): string {
  if (l.kind !== 'home') return l.label;
  if (l.label === HOME_LABEL) return words.home;
  if (l.label === `${HOME_LABEL} (${l.bucket})`) return `${words.home} (${l.bucket})`;
  return l.label;
}

/** The locations with the labels the window shows (sidebar, breadcrumb, Recent, the list's name). */
export function withDisplayLabels(list: LocationView[], words: LocationWords): LocationView[] {
  return list.map((l) => {
    const label = displayLabel(l, words);
    return label === l.label ? l : { ...l, label };
  });
}

/** The sidebar's two lists: the user's own places (buckets, home, folders), then group folders. */
export function splitPlaces(list: LocationView[]): {
  places: LocationView[];
  groups: LocationView[];
} {
  return {
    places: list.filter((l) => l.kind !== 'group'),
    groups: list.filter((l) => l.kind === 'group'),
  };
}

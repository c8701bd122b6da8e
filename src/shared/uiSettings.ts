/**
 * The window's remembered settings (issue #11 item 10). They live in main (a small JSON file in
 * the data folder), not in the page's storage: the browser transport's origin changes port on
 * every launch, so anything kept by origin would be forgotten. Language, list and layout
 * settings are the app's; the current folder and Recent belong to the signed-in user of the
 * active profile. Plain data and bounds only; main validates with zod.
 */

export const COLUMN_IDS = ['name', 'size', 'modified', 'type'] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

/** A folder in a bucket: '' is the bucket's top level, else a prefix ending in '/'. */
export interface PlaceRef {
  bucket: string;
  prefix: string;
}

export interface UiSettings {
  language?: 'en' | 'ja';
  density: 'compact' | 'comfortable';
  sort: { column: ColumnId; direction: 'asc' | 'desc' };
  sidebar: { width: number; collapsed: boolean };
  columns: { order: ColumnId[]; widths: Record<ColumnId, number> };
  drawer: { height: number };
  /** The signed-in user's current folder (absent when signed out or never set). */
  place?: PlaceRef;
  /** The signed-in user's recently opened folders, newest first. */
  recent: PlaceRef[];
}

export const UI_LIMITS = {
  sidebarWidth: { min: 160, max: 480 },
  columnWidth: { min: 60, max: 1200 },
  drawerHeight: { min: 120, max: 900 },
  recent: 8,
} as const;

export const DEFAULT_UI_SETTINGS: UiSettings = {
  density: 'compact',
  sort: { column: 'name', direction: 'asc' },
  sidebar: { width: 220, collapsed: false },
  columns: {
    order: [...COLUMN_IDS],
    widths: { name: 440, size: 90, modified: 180, type: 160 },
  },
  drawer: { height: 260 },
  recent: [],
};

/**
 * What the list shows, decided in one place and without React: rows or a state where the rows
 * would be (loading, an error, empty, nothing matches), what the status bar says about how much
 * of the folder is here, and whether a banner says the rest is loading for a sort or a filter.
 */
import type { FileEntry, FolderEntry, SearchMatch } from '../../shared/ipc';
import { filterRows, isDefaultOrder, rowsOf, sortRows, type Row, type SortOrder } from '../listing';
import { coverage, loadedCount, type FolderState } from './folderState';

export interface SearchView {
  text: string;
  matches: SearchMatch[];
  scanned: number;
  state: 'running' | 'done' | 'stopped' | 'failed';
  error?: unknown;
}

export interface ListInput {
  /** null while main's list of places is awaited; [] when the user may open none. */
  locations: unknown[] | null;
  locationsError: unknown;
  folder: FolderState;
  search: SearchView | null;
  order: SortOrder;
  /** This folder's filter ('' for none). */
  filter: string;
}

/** A sort other than S3's own order, or a filter, needs the whole folder. */
export const wantsAll = (i: Pick<ListInput, 'search' | 'order' | 'filter'>) =>
  !i.search && (!isDefaultOrder(i.order) || i.filter !== '');

/** Rows come in S3's order until the whole folder is here for a sort (the banner says so). */
export const sortWaits = (i: Pick<ListInput, 'search' | 'order' | 'filter' | 'folder'>) =>
  wantsAll(i) && coverage(i.folder) === 'partial' && !isDefaultOrder(i.order);

export function visibleRows(
  i: Pick<ListInput, 'search' | 'order' | 'filter' | 'folder'>,
  locale: string,
): Row[] {
  const base = i.search
    ? rowsOf(
        [] as FolderEntry[],
        i.search.matches.map((m): FileEntry => ({ ...m, name: m.path })),
      )
    : rowsOf(i.folder.folders, i.folder.files);
  return filterRows(sortWaits(i) ? base : sortRows(base, i.order, locale), i.filter);
}

export type Situation =
  | { kind: 'rows' }
  | { kind: 'loadingPlaces' }
  | { kind: 'placesFailed'; error: unknown }
  | { kind: 'noLocation' }
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'empty' }
  | { kind: 'noMatch'; text: string }
  | { kind: 'searching' }
  | { kind: 'searchFailed'; error: unknown }
  | { kind: 'noResults'; text: string };

/** What is drawn where the rows would be (`rows`: the rows themselves). */
export function situationOf(i: ListInput, rowCount: number): Situation {
  if (i.locationsError) return { kind: 'placesFailed', error: i.locationsError };
  if (!i.locations) return { kind: 'loadingPlaces' };
  if (!i.folder.place && i.locations.length === 0) return { kind: 'noLocation' };
  if (i.search) {
    if (i.search.state === 'failed') return { kind: 'searchFailed', error: i.search.error };
    if (rowCount > 0) return { kind: 'rows' };
    return i.search.state === 'running'
      ? { kind: 'searching' }
      : { kind: 'noResults', text: i.search.text };
  }
  const f = i.folder;
  if (f.status === 'idle' || f.status === 'loading') return { kind: 'loading' };
  if (f.status === 'error') return { kind: 'failed', error: f.error };
  if (rowCount > 0) return { kind: 'rows' };
  if (loadedCount(f) > 0 && i.filter) return { kind: 'noMatch', text: i.filter };
  return f.next ? { kind: 'loading' } : { kind: 'empty' };
}

/** The status bar's word on how much is here; `items` only when the count is true. */
export type Progress =
  | { kind: 'search'; state: SearchView['state']; found: number; scanned: number }
  | { kind: 'capped' | 'loadingAll' | 'loaded'; loaded: number }
  | null;

export function progressOf(i: ListInput): Progress {
  if (i.search)
    return {
      kind: 'search',
      state: i.search.state,
      found: i.search.matches.length,
      scanned: i.search.scanned,
    };
  const c = coverage(i.folder);
  const loaded = loadedCount(i.folder);
  if (c === 'capped') return { kind: 'capped', loaded };
  if (c === 'partial') return { kind: wantsAll(i) ? 'loadingAll' : 'loaded', loaded };
  return null;
}

/** Whether the status bar's item count is the folder's (all of it here, or its results). */
export const countIsTrue = (i: ListInput) =>
  !!i.search || (i.folder.status === 'ready' && coverage(i.folder) !== 'partial');

/** The banner above the rows: the rest loading for a sort or filter, or its failure. */
export type Banner =
  | { kind: 'sorting'; loaded: number }
  | { kind: 'filtering'; loaded: number }
  | { kind: 'moreFailed'; error: unknown }
  | null;

export function bannerOf(i: ListInput): Banner {
  if (i.search) return null;
  if (i.folder.moreError) return { kind: 'moreFailed', error: i.folder.moreError };
  if (!wantsAll(i) || coverage(i.folder) !== 'partial') return null;
  const loaded = loadedCount(i.folder);
  return sortWaits(i) ? { kind: 'sorting', loaded } : { kind: 'filtering', loaded };
}

/**
 * The open folder's listing as a state machine (issue #11 items 2, 3 and 4). Every page
 * request carries an id; only the answer to the request in flight is taken — an answer for a
 * folder the user has left, or for a refresh that was superseded, is dropped. Opening a folder
 * empties the rows at once (a loading state, never the previous folder's rows). A sort or a
 * filter needs the whole folder: `needsMore` then asks for every page, up to SORT_LOAD_LIMIT
 * entries, after which the window says what its order covers.
 */
import type { FileEntry, FolderEntry, FolderPage } from '../../shared/ipc';
import { samePlace, type Place } from './navigation';

/** A sort or filter loads at most this many entries before it applies. */
export const SORT_LOAD_LIMIT = 100_000;

export interface FolderState {
  place: Place | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  folders: FolderEntry[];
  files: FileEntry[];
  /** More pages follow. */
  next?: string;
  /** The id of the page request whose answer is awaited. */
  inFlight?: string;
  /** The first page failed (shown where the rows would be), as thrown: a KuraError's view. */
  error?: unknown;
  /** A later page failed (the rows stay; the window offers Retry). */
  moreError?: unknown;
  /** Bumped by every open and refresh (the list scrolls to the top). */
  generation: number;
  /**
   * The row to select once listed: the folder the user came up from, or the focused row
   * across a refresh.
   */
  select?: string;
}

export const idleFolder: FolderState = {
  place: null,
  status: 'idle',
  folders: [],
  files: [],
  generation: 0,
};

export type FolderAction =
  | { type: 'open'; place: Place; id: string; select?: string }
  | { type: 'more'; id: string }
  | { type: 'page'; id: string; page: FolderPage }
  | { type: 'failed'; id: string; error: unknown };

export function folderReducer(s: FolderState, a: FolderAction): FolderState {
  switch (a.type) {
    case 'open':
      return {
        place: a.place,
        status: 'loading',
        folders: [],
        files: [],
        inFlight: a.id,
        generation: s.generation + 1,
        ...(a.select ? { select: a.select } : {}),
      };
    case 'more':
      if (s.status !== 'ready' || !s.next || s.inFlight) return s;
      return { ...s, inFlight: a.id, moreError: undefined };
    case 'page': {
      if (a.id !== s.inFlight) return s; // stale: a folder or a request the user has left
      if (!samePlace(s.place, a.page)) return s;
      const first = s.status === 'loading';
      return {
        ...s,
        status: 'ready',
        folders: first ? a.page.folders : [...s.folders, ...a.page.folders],
        files: first ? a.page.files : [...s.files, ...a.page.files],
        next: a.page.continuationToken,
        inFlight: undefined,
      };
    }
    case 'failed':
      if (a.id !== s.inFlight) return s;
      if (s.status === 'loading')
        return { ...s, status: 'error', error: a.error, inFlight: undefined };
      return { ...s, moreError: a.error, inFlight: undefined };
  }
}

export const loadedCount = (s: FolderState) => s.folders.length + s.files.length;

/**
 * Whether every entry the window means to show is loaded: the whole folder, or — when a sort
 * or filter asked for it — the first SORT_LOAD_LIMIT entries.
 */
export type Coverage = 'loading' | 'all' | 'partial' | 'capped';

export function coverage(s: FolderState): Coverage {
  if (s.status !== 'ready') return 'loading';
  if (!s.next) return 'all';
  return loadedCount(s) >= SORT_LOAD_LIMIT ? 'capped' : 'partial';
}

/** Whether to ask for the next page now, without the user scrolling: `wantAll` is a sort or filter. */
export function needsMore(s: FolderState, wantAll: boolean): boolean {
  return (
    wantAll &&
    s.status === 'ready' &&
    !!s.next &&
    !s.inFlight &&
    !s.moreError &&
    loadedCount(s) < SORT_LOAD_LIMIT
  );
}

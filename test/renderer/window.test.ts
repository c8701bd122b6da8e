/**
 * The window's logic as plain functions (src/renderer/model): navigation and history, the
 * folder listing's state machine (stale answers dropped, loading the whole folder for a sort),
 * columns, file kinds, middle ellipsis, keyboard shortcuts, and the status bar's counts.
 */
import { describe, expect, it } from 'vitest';
import type { FolderPage, LocationView } from '../../src/shared/ipc';
import { rowsOf, summarize } from '../../src/renderer/listing';
import {
  dropColumn,
  gridTemplate,
  moveColumn,
  resizeColumn,
} from '../../src/renderer/model/columns';
import { extensionOf, fileKind } from '../../src/renderer/model/fileKinds';
import {
  coverage,
  folderReducer,
  idleFolder,
  needsMore,
  SORT_LOAD_LIMIT,
  type FolderState,
} from '../../src/renderer/model/folderState';
import {
  cameFrom,
  crumbsOf,
  emptyHistory,
  go,
  goBack,
  goForward,
  locationOf,
  parentOf,
  withRecent,
} from '../../src/renderer/model/navigation';
import {
  bannerOf,
  countIsTrue,
  progressOf,
  situationOf,
  visibleRows,
} from '../../src/renderer/model/listView';
import { splitForEllipsis } from '../../src/renderer/model/nameParts';
import { windowCommand } from '../../src/renderer/model/shortcuts';
import { DEFAULT_UI_SETTINGS } from '../../src/shared/uiSettings';

const at = (prefix: string, bucket = 'b') => ({ bucket, prefix });
const page = (prefix: string, names: string[], token?: string, bucket = 'b'): FolderPage => ({
  bucket,
  prefix,
  folders: [],
  files: names.map((n) => ({ key: prefix + n, name: n, size: 1, lastModified: 0 })),
  ...(token ? { continuationToken: token } : {}),
});

describe('navigation', () => {
  it('Back and Forward walk the history; opening a place forgets Forward', () => {
    let h = go(go(go(emptyHistory(), at('')), at('a/')), at('a/b/'));
    h = goBack(h)!;
    expect(h.current).toEqual(at('a/'));
    h = goBack(h)!;
    expect(goBack(h)).toBeNull();
    h = goForward(h)!;
    expect(h).toEqual({ back: [at('')], current: at('a/'), forward: [at('a/b/')] });
    h = go(h, at('c/'));
    expect(h.forward).toEqual([]);
    expect(go(h, at('c/'))).toBe(h); // the same place again is not a step
  });

  it('Up stops at the location, and the breadcrumb starts there', () => {
    const home = at('users/u1/');
    expect(parentOf(at('users/u1/docs/x/'), home)).toEqual(at('users/u1/docs/'));
    expect(parentOf(at('users/u1/docs/'), home)).toEqual(home);
    expect(parentOf(home, home)).toBeNull();
    expect(parentOf(at('a/'), at(''))).toEqual(at(''));
    expect(crumbsOf(at('users/u1/docs/x/'), home, 'My files')).toEqual([
      { label: 'My files', place: home },
      { label: 'docs', place: at('users/u1/docs/') },
      { label: 'x', place: at('users/u1/docs/x/') },
    ]);
  });

  it('finds the location holding a folder: same bucket, the longest prefix', () => {
    const locs: LocationView[] = [
      { id: '1', bucket: 'b', prefix: '', label: 'b', kind: 'bucket' },
      { id: '2', bucket: 'b', prefix: 'team/', label: 'Team', kind: 'group' },
      { id: '3', bucket: 'c', prefix: '', label: 'c', kind: 'bucket' },
    ];
    expect(locationOf(at('team/x/'), locs)?.id).toBe('2');
    expect(locationOf(at('teams/'), locs)?.id).toBe('1');
    expect(locationOf(at('x/', 'c'), locs)?.id).toBe('3');
    expect(locationOf(at('x/', 'd'), locs)).toBeUndefined();
  });

  it('going up selects the folder the user came from', () => {
    expect(cameFrom(at('a/b/c/'), at('a/'))).toBe('a/b/');
    expect(cameFrom(at('a/b/'), at(''))).toBe('a/');
    expect(cameFrom(at('a/'), at('a/b/'))).toBeUndefined();
    expect(cameFrom(at('a/', 'x'), at(''))).toBeUndefined();
  });

  it('Recent: newest first, no repeats, bounded', () => {
    let r = withRecent([], at('a/'), 3);
    r = withRecent(r, at('b/'), 3);
    r = withRecent(r, at('a/'), 3);
    r = withRecent(r, at('c/'), 3);
    r = withRecent(r, at('d/'), 3);
    expect(r).toEqual([at('d/'), at('c/'), at('a/')]);
  });
});

describe('the folder listing', () => {
  const opened = (prefix: string, id = 'r1') =>
    folderReducer(idleFolder, { type: 'open', place: at(prefix), id });

  it('opening a folder empties the rows at once', () => {
    let s = opened('photos/');
    s = folderReducer(s, { type: 'page', id: 'r1', page: page('photos/', ['a.png']) });
    s = folderReducer(s, { type: 'open', place: at('docs/'), id: 'r2' });
    expect(s).toMatchObject({ status: 'loading', files: [], place: at('docs/'), inFlight: 'r2' });
  });

  it('drops a late answer for a folder the user has left', () => {
    let s = opened('photos/', 'slow');
    s = folderReducer(s, { type: 'open', place: at('docs/'), id: 'fast' });
    s = folderReducer(s, { type: 'page', id: 'fast', page: page('docs/', ['manual.pdf']) });
    const after = folderReducer(s, { type: 'page', id: 'slow', page: page('photos/', ['a.png']) });
    expect(after).toBe(s);
    expect(folderReducer(s, { type: 'failed', id: 'slow', error: new Error('x') })).toBe(s);
    // An answer under the right id for another place is not taken either.
    const odd = folderReducer(opened('docs/', 'z'), {
      type: 'page',
      id: 'z',
      page: page('photos/', ['a.png']),
    });
    expect(odd.status).toBe('loading');
  });

  it('a first-page failure is the folder’s error; a later page’s keeps the rows', () => {
    const failed = folderReducer(opened('a/'), { type: 'failed', id: 'r1', error: 'denied' });
    expect(failed).toMatchObject({ status: 'error', error: 'denied', inFlight: undefined });
    let s = folderReducer(opened('a/'), { type: 'page', id: 'r1', page: page('a/', ['1'], 't') });
    s = folderReducer(s, { type: 'more', id: 'r2' });
    s = folderReducer(s, { type: 'failed', id: 'r2', error: 'busy' });
    expect(s).toMatchObject({ status: 'ready', moreError: 'busy', next: 't' });
    expect(s.files).toHaveLength(1);
    s = folderReducer(s, { type: 'more', id: 'r3' });
    expect(s).toMatchObject({ moreError: undefined, inFlight: 'r3' });
  });

  it('a sort loads the rest of the folder, up to the limit, then says what its order covers', () => {
    let s = folderReducer(opened('logs/'), {
      type: 'page',
      id: 'r1',
      page: page('logs/', ['1'], 'next'),
    });
    expect(coverage(s)).toBe('partial');
    expect(needsMore(s, false)).toBe(false); // the default order: pages come as you scroll
    expect(needsMore(s, true)).toBe(true);
    s = folderReducer(s, { type: 'more', id: 'r2' });
    expect(needsMore(s, true)).toBe(false); // one request at a time
    const big: FolderState = {
      ...s,
      inFlight: undefined,
      files: Array.from({ length: SORT_LOAD_LIMIT }, (_, i) => ({
        key: `k${i}`,
        name: `k${i}`,
        size: 0,
        lastModified: 0,
      })),
    };
    expect(needsMore(big, true)).toBe(false);
    expect(coverage(big)).toBe('capped');
    expect(coverage({ ...big, next: undefined })).toBe('all');
  });
});

describe('columns', () => {
  it('move by keyboard and by dropping one header on another', () => {
    const order = [...DEFAULT_UI_SETTINGS.columns.order];
    expect(moveColumn(order, 'modified', -1)).toEqual(['name', 'modified', 'size', 'type']);
    expect(moveColumn(order, 'name', -1)).toBe(order);
    expect(dropColumn(order, 'type', 'name')).toEqual(['type', 'name', 'size', 'modified']);
  });

  it('resize within bounds; the last column takes what is left', () => {
    const w = DEFAULT_UI_SETTINGS.columns.widths;
    expect(resizeColumn(w, 'size', 5).size).toBe(60);
    expect(resizeColumn(w, 'size', 99999).size).toBe(1200);
    expect(gridTemplate(['name', 'size', 'modified', 'type'], w, 36)).toBe(
      `${w.name}px ${w.size}px ${w.modified}px minmax(${w.type}px, 1fr) 36px`,
    );
  });
});

describe('names', () => {
  it('knows the usual kinds of file by extension', () => {
    expect(fileKind('photo.JPG')).toBe('image');
    expect(fileKind('manual.pdf')).toBe('pdf');
    expect(fileKind('backup.tar.gz')).toBe('archive');
    expect(fileKind('data.csv')).toBe('spreadsheet');
    expect(fileKind('Makefile')).toBe('generic');
    expect(extensionOf('.bashrc')).toBe('');
  });

  it('cuts long names in the middle, keeping the end and the extension', () => {
    expect(splitForEllipsis('short.txt')).toEqual(['short.txt', '']);
    const [head, tail] = splitForEllipsis('quarterly-report-final-version-2026.pdf');
    expect(head + tail).toBe('quarterly-report-final-version-2026.pdf');
    expect(tail).toBe('n-2026.pdf');
    const [h2, t2] = splitForEllipsis('写真'.repeat(10) + '🎉🎉.jpeg');
    expect(h2 + t2).toBe('写真'.repeat(10) + '🎉🎉.jpeg');
    expect([...t2]).toHaveLength(10); // emoji are never cut in half
  });
});

describe('keyboard shortcuts', () => {
  const key = (k: string, m: Partial<Record<'alt' | 'ctrl' | 'meta' | 'shift', boolean>> = {}) =>
    windowCommand({
      key: k,
      altKey: !!m.alt,
      ctrlKey: !!m.ctrl,
      metaKey: !!m.meta,
      shiftKey: !!m.shift,
    });

  it('as Explorer and Finder have them', () => {
    expect(key('ArrowUp', { alt: true })).toBe('up');
    expect(key('ArrowUp', { meta: true })).toBe('up');
    expect(key('ArrowLeft', { alt: true })).toBe('back');
    expect(key('ArrowRight', { alt: true })).toBe('forward');
    expect(key('[', { meta: true })).toBe('back');
    expect(key(']', { meta: true })).toBe('forward');
    expect(key('F5')).toBe('refresh');
    expect(key('r', { ctrl: true })).toBe('refresh');
    expect(key('R', { meta: true })).toBe('refresh');
    expect(key('f', { ctrl: true })).toBe('find');
    expect(key('ArrowDown', { meta: true })).toBe('open');
    expect(key('ArrowUp')).toBeNull();
    expect(key('ArrowLeft', { alt: true, shift: true })).toBeNull();
    expect(key('a', { ctrl: true })).toBeNull();
  });
});

describe('the status bar’s counts', () => {
  it('counts items and the selected files’ size', () => {
    const rows = rowsOf(
      [{ prefix: 'd/', name: 'd' }],
      [
        { key: 'a', name: 'a', size: 10, lastModified: 0 },
        { key: 'b', name: 'b', size: 5, lastModified: 0 },
      ],
    );
    expect(summarize(rows, new Set(['d:d/', 'f:a']))).toEqual({
      items: 3,
      folders: 1,
      files: 2,
      picked: 2,
      pickedBytes: 10,
    });
  });
});

describe('what the list shows', () => {
  const ready = (names: string[], token?: string): FolderState =>
    folderReducer(folderReducer(idleFolder, { type: 'open', place: at('f/'), id: 'r' }), {
      type: 'page',
      id: 'r',
      page: page('f/', names, token),
    });
  const base = {
    locations: [{}],
    locationsError: null,
    search: null,
    order: { column: 'name' as const, direction: 'asc' as const },
    filter: '',
  };

  it('a state where the rows would be: loading, failed, empty, nothing matching', () => {
    const loading = folderReducer(idleFolder, { type: 'open', place: at('f/'), id: 'r' });
    expect(situationOf({ ...base, folder: loading }, 0)).toEqual({ kind: 'loading' });
    const failed = folderReducer(loading, { type: 'failed', id: 'r', error: 'denied' });
    expect(situationOf({ ...base, folder: failed }, 0)).toEqual({
      kind: 'failed',
      error: 'denied',
    });
    expect(situationOf({ ...base, folder: ready([]) }, 0)).toEqual({ kind: 'empty' });
    expect(situationOf({ ...base, filter: 'zz', folder: ready(['a']) }, 0)).toEqual({
      kind: 'noMatch',
      text: 'zz',
    });
    expect(situationOf({ ...base, folder: ready(['a']) }, 1)).toEqual({ kind: 'rows' });
    expect(situationOf({ ...base, locations: null, folder: idleFolder }, 0)).toEqual({
      kind: 'loadingPlaces',
    });
    expect(situationOf({ ...base, locations: [], folder: idleFolder }, 0)).toEqual({
      kind: 'noLocation',
    });
    const search = { text: 'q', matches: [], scanned: 10, state: 'done' as const };
    expect(situationOf({ ...base, search, folder: ready(['a']) }, 0)).toEqual({
      kind: 'noResults',
      text: 'q',
    });
  });

  it('a sort waits for the whole folder, in S3’s order meanwhile, and the banner says so', () => {
    const partial = ready(['b', 'a'], 'more');
    const bySize = { ...base, order: { column: 'size' as const, direction: 'desc' as const } };
    expect(bannerOf({ ...bySize, folder: partial })).toEqual({ kind: 'sorting', loaded: 2 });
    expect(visibleRows({ ...bySize, folder: partial }, 'en').map((r) => r.name)).toEqual([
      'b',
      'a',
    ]);
    expect(progressOf({ ...bySize, folder: partial })).toEqual({ kind: 'loadingAll', loaded: 2 });
    expect(countIsTrue({ ...bySize, folder: partial })).toBe(false);
    // The default order: pages come as the user scrolls; sorted over what is here.
    expect(bannerOf({ ...base, folder: partial })).toBeNull();
    expect(progressOf({ ...base, folder: partial })).toEqual({ kind: 'loaded', loaded: 2 });
    expect(visibleRows({ ...base, folder: partial }, 'en').map((r) => r.name)).toEqual(['a', 'b']);
    // All here: sorted, counted, nothing to say.
    const all = ready(['b', 'a']);
    expect(bannerOf({ ...bySize, folder: all })).toBeNull();
    expect(countIsTrue({ ...bySize, folder: all })).toBe(true);
    expect(progressOf({ ...bySize, folder: all })).toBeNull();
  });

  it('the listing carries the row to select once it is here', () => {
    const s = folderReducer(idleFolder, {
      type: 'open',
      place: at('a/'),
      id: 'r',
      select: 'd:a/b/',
    });
    expect(s.select).toBe('d:a/b/');
    expect(folderReducer(s, { type: 'open', place: at('c/'), id: 'q' }).select).toBeUndefined();
  });
});

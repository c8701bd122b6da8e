/**
 * The browsing window: toolbar, sidebar of places, the file list with its states, the status
 * bar, Quick Look and the context menu, composed from hooks that each hold one concern
 * (useFolder, useSearch, useDragItems, useKeys) and pure modules (model/, listing, selection).
 * It opens the remembered folder, else the first location the user can read: a location that
 * answers AccessDenied is skipped for the next (#12), and breadcrumbs start at the location.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DownloadItem, LocationView, SessionView } from '../../shared/ipc';
import { UI_LIMITS } from '../../shared/uiSettings';
import { api } from '../api';
import { describeError } from '../errors';
import {
  DEFAULT_ORDER,
  filterRows,
  isDefaultOrder,
  rowsOf,
  sortRows,
  summarize,
  type Row,
  type SortColumn,
} from '../listing';
import { errorCodeOf } from '../model/errorCode';
import { coverage, loadedCount } from '../model/folderState';
import {
  cameFrom,
  crumbsOf,
  emptyHistory,
  folderName,
  go,
  goBack,
  goForward,
  locationOf,
  parentOf,
  samePlace,
  withRecent,
  type History,
  type Place,
} from '../model/navigation';
import { useNotices } from '../notices';
import { click, emptySelection, selectedRows, type Selection } from '../selection';
import { useSettings } from '../settings/settings';
import { ContextMenu } from './ContextMenu';
import { FileList, rowDomId } from './FileList';
import { ListState, type ListStateView } from './ListState';
import { QuickLook } from './QuickLook';
import { Sidebar } from './Sidebar';
import { useResizable } from './Splitter';
import { StatusBar } from './StatusBar';
import { Toolbar, type SearchScope } from './Toolbar';
import { useDragItems } from './useDragItems';
import { useFolder } from './useFolder';
import { useListKeys, useWindowShortcuts } from './useKeys';
import { useSearch } from './useSearch';

type SignedIn = Extract<SessionView, { status: 'signedIn' }>;

/** Where to start: the remembered folder (if still inside a location), then every location. */
function startPlaces(locations: LocationView[], remembered: Place | undefined): Place[] {
  const roots = locations.map((l) => ({ bucket: l.bucket, prefix: l.prefix }));
  return remembered && locationOf(remembered, locations) ? [remembered, ...roots] : roots;
}

export function Browser({
  view,
  onSignedOut,
  drawer,
  badge,
  onOpenDownloads,
}: {
  view: SignedIn;
  onSignedOut: (v: SessionView) => void;
  /** The downloads panel, docked between the list and the status bar (App decides). */
  drawer: React.ReactNode;
  badge: React.ReactNode;
  onOpenDownloads: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { settings, update } = useSettings();
  const notices = useNotices();
  const { report, run, inform } = notices;

  const [locations, setLocations] = useState<LocationView[] | null>(null);
  const [locationsError, setLocationsError] = useState<unknown>(null);
  const [history, setHistory] = useState<History>(emptyHistory);
  const place = history.current;
  /** Places still to try while the first folder is denied (#12). */
  const [fallbacks, setFallbacks] = useState<Place[]>([]);
  /**
   * The row to select once the next listing is here (the folder the user came up from, or the
   * focused row across a refresh): `after` is the listing generation it waits to be past.
   */
  const [reselect, setReselectState] = useState<{ id: string; after: number } | undefined>();
  const [scope, setScope] = useState<SearchScope>('folder');
  const [text, setText] = useState('');
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const [quickLook, setQuickLook] = useState(false);
  const gridRef = useRef<HTMLDivElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  const order = settings.sort;
  const filter = scope === 'folder' ? text.trim() : '';
  const {
    search,
    start: startSearch,
    stop: stopSearch,
    clear: clearSearch,
  } = useSearch(place, report);
  const wantAll = !search && (!isDefaultOrder(order) || filter !== '');
  const folder = useFolder(place, wantAll, report);
  const fs = folder.state;
  const bucket = place?.bucket ?? '';
  const drag = useDragItems(bucket, run);

  // The places this user can open, then the folder to start in.
  const loadLocations = useCallback(() => {
    setLocationsError(null);
    api.locations().then(
      (list) => {
        setLocations(list);
        const [first, ...rest] = startPlaces(list, settings.place);
        setFallbacks(rest);
        if (first) setHistory((h) => (h.current ? h : go(h, first)));
      },
      (err: unknown) => setLocationsError(err),
    );
    // Only once: later changes of the remembered place are this window's own doing.
  }, []);
  useEffect(loadLocations, [loadLocations]);

  // The first folder denied: try the next place instead (replacing, not adding to, history).
  useEffect(() => {
    if (fs.status === 'ready' && fallbacks.length) setFallbacks([]);
    if (fs.status !== 'error' || !fallbacks.length) return;
    const code = errorCodeOf(fs.error);
    if (code !== 'ACCESS_DENIED' && code !== 'NO_SUCH_BUCKET') return;
    const [next, ...rest] = fallbacks;
    setFallbacks(rest);
    setHistory((h) => ({ ...h, current: next! }));
  }, [fs.status, fs.error, fallbacks]);

  // A folder listed: it is the remembered one and the newest Recent.
  useEffect(() => {
    const p = fs.place;
    if (fs.status !== 'ready' || !p) return;
    update((s) =>
      samePlace(s.place, p) && samePlace(s.recent[0], p)
        ? {}
        : { place: p, recent: withRecent(s.recent, p, UI_LIMITS.recent) },
    );
  }, [fs.status, fs.place, update]);

  // Rows: search results, or the folder sorted — over the whole folder once loaded; while a
  // sort is still loading the rest, in S3's order (the banner says so) — and filtered.
  const cov = coverage(fs);
  const sortWaits = !search && wantAll && cov === 'partial' && !isDefaultOrder(order);
  const rows = useMemo(() => {
    const base = search
      ? rowsOf(
          [],
          search.matches.map((m) => ({ ...m, name: m.path })),
        )
      : rowsOf(fs.folders, fs.files);
    return filterRows(sortWaits ? base : sortRows(base, order, i18n.language), filter);
  }, [search, fs.folders, fs.files, sortWaits, order, filter, i18n.language]);

  // Another folder: nothing selected, Quick Look closed, the filter cleared.
  useEffect(() => {
    setSelection(emptySelection());
    setQuickLook(false);
    setMenu(null);
  }, [fs.generation, search?.text]);
  const bucketPrefix = `${place?.bucket}/${place?.prefix}`;
  useEffect(() => setText((x) => (scope === 'folder' ? '' : x)), [bucketPrefix]);

  // Once listed, select the folder the user came from (Up, Back, a breadcrumb) or kept (Refresh).
  useEffect(() => {
    if (!reselect || fs.status !== 'ready' || fs.generation <= reselect.after) return;
    const i = rows.findIndex((r) => r.id === reselect.id);
    if (i >= 0) setSelection(click(rows, emptySelection(), i));
    setReselectState(undefined);
  }, [reselect, fs.status, fs.generation, rows]);
  const setReselect = (id: string | undefined) =>
    setReselectState(id ? { id, after: fs.generation } : undefined);

  // Rows re-sort as pages arrive: the keyboard focus stays on its row, not its index.
  const focusId = useRef<string | undefined>(undefined);
  useEffect(() => {
    const id = focusId.current;
    if (!id || rows[selection.focus]?.id === id) return;
    const i = rows.findIndex((r) => r.id === id);
    setSelection((s) => ({ ...s, focus: i, anchor: i }));
  }, [rows]);
  focusId.current = rows[selection.focus]?.id;

  const here = place && locations ? locationOf(place, locations) : undefined;
  const root: Place | null = here
    ? { bucket: here.bucket, prefix: here.prefix }
    : place
      ? { bucket: place.bucket, prefix: '' }
      : null;
  const crumbs = place && root ? crumbsOf(place, root, here?.label ?? place.bucket) : [];
  const up = place && root ? parentOf(place, root) : null;
  const currentName = place ? folderName(place.prefix) || here?.label || place.bucket : '';

  const navigate = (to: Place) => {
    const from = cameFrom(place, to);
    setReselect(from ? `d:${from}` : undefined);
    setHistory((h) => go(h, to));
    setFallbacks([]);
  };
  const goUp = () => up && navigate(up);
  const move = (step: (h: History) => History | null) => {
    const next = step(history);
    if (!next?.current) return;
    const from = cameFrom(place, next.current);
    setReselect(from ? `d:${from}` : undefined);
    setHistory(next);
  };
  const refresh = () => {
    if (!locations) return loadLocations();
    if (search) return startSearch(search.text);
    setReselect(rows[selection.focus]?.id);
    folder.refresh();
  };

  const picked = selectedRows(rows, selection);
  const itemsOf = (list: Row[]): DownloadItem[] =>
    list.map((r) =>
      r.kind === 'folder' ? { key: r.prefix, kind: 'folder' } : { key: r.file.key, kind: 'file' },
    );
  const download = (list: Row[], ask: boolean) => {
    if (list.length && bucket) void run(() => api.downloadItems(bucket, itemsOf(list), ask));
  };
  const copyUri = (r: Row | undefined) => {
    if (!r || !bucket) return;
    const key = r.kind === 'folder' ? r.prefix : r.file.key;
    void run(async () => {
      await api.copyS3Uri(bucket, key);
      inform(t('browser.copied', { uri: `s3://${bucket}/${key}` }));
    });
  };
  const focused = rows[selection.focus];
  const openQuickLook = () => {
    if (focused) setQuickLook((q) => !q);
  };
  const sortBy = (column: SortColumn) =>
    update((s) => ({
      sort: {
        column,
        direction: s.sort.column === column && s.sort.direction === 'asc' ? 'desc' : 'asc',
      },
    }));
  const clearAll = () => {
    clearSearch();
    setText('');
  };
  const focusList = () => gridRef.current?.focus();

  useWindowShortcuts((c) => {
    if (c === 'up') goUp();
    else if (c === 'back') move(goBack);
    else if (c === 'forward') move(goForward);
    else if (c === 'refresh') refresh();
    else if (c === 'find') {
      searchInput.current?.focus();
      searchInput.current?.select();
    } else if (c === 'open' && focused?.kind === 'folder')
      navigate({ bucket, prefix: focused.prefix });
  }, !quickLook && !menu);

  const onListKey = useListKeys({
    rows,
    selection,
    setSelection,
    menuOpen: !!menu,
    searching: search?.state === 'running',
    onQuickLook: openQuickLook,
    onOpenFolder: (prefix) => navigate({ bucket, prefix }),
    onDownload: (list) => download(list, false),
    onUp: () => !search && goUp(),
    onStopSearch: stopSearch,
    onMenuAt: (x, y) => setMenu({ x, y }),
    rowElement: (i) => document.getElementById(rowDomId(i)),
  });

  const [sidebarWidth, setSidebarWidth] = useResizable(settings.sidebar.width, (w) =>
    update((s) => ({ sidebar: { ...s.sidebar, width: w } })),
  );
  const toggleSidebar = () =>
    update((s) => ({ sidebar: { ...s.sidebar, collapsed: !s.sidebar.collapsed } }));

  // What the list shows instead of rows, if anything.
  let state: ListStateView | undefined;
  if (locationsError) state = { kind: 'error', name: '', error: locationsError, onRetry: refresh };
  else if (!locations) state = { kind: 'loading', name: t('sidebar.loading') };
  else if (!place) state = { kind: 'noLocation' };
  else if (search) {
    const where = currentName;
    if (search.state === 'failed')
      state = {
        kind: 'error',
        name: where,
        error: search.error,
        onRetry: () => startSearch(search.text),
      };
    else if (rows.length === 0)
      state =
        search.state === 'running'
          ? { kind: 'searching', folder: where }
          : { kind: 'noResults', folder: where, text: search.text };
  } else if (fs.status === 'loading' || fs.status === 'idle')
    state = { kind: 'loading', name: currentName };
  else if (fs.status === 'error')
    state = { kind: 'error', name: currentName, error: fs.error, onRetry: refresh };
  else if (rows.length === 0 && loadedCount(fs) > 0 && filter)
    state = { kind: 'noMatch', text: filter, onClear: () => setText('') };
  else if (rows.length === 0 && !fs.next) state = { kind: 'empty' };
  else if (rows.length === 0) state = { kind: 'loading', name: currentName };

  const columnTitle = {
    name: t('browser.name'),
    size: t('browser.size'),
    modified: t('browser.modified'),
    type: t('browser.type'),
  }[order.column];
  const n = (x: number) => x.toLocaleString(i18n.language);
  let progress: string | undefined;
  let banner: React.ReactNode = null;
  if (search)
    progress = t(
      search.state === 'running'
        ? 'browser.searching'
        : search.state === 'done'
          ? 'browser.searchDone'
          : 'browser.searchStopped',
      { count: search.matches.length, scanned: search.scanned },
    );
  else if (cov === 'capped') progress = t('status.capped', { n: n(loadedCount(fs)) });
  else if (cov === 'partial')
    progress = wantAll
      ? t('status.loadingAll', { n: n(loadedCount(fs)) })
      : t('status.loaded', { n: n(loadedCount(fs)) });
  if (!search && fs.moreError)
    banner = (
      <div className="list-banner error" role="alert">
        {t('list.moreFailed', { message: describeError(fs.moreError, i18n.language) })}
        <button type="button" onClick={folder.loadMore}>
          {t('list.retry')}
        </button>
      </div>
    );
  else if (!search && wantAll && cov === 'partial')
    banner = (
      <div className="list-banner" role="status">
        <span className="spinner" aria-hidden="true" />
        {sortWaits
          ? t('list.sortingAll', { column: columnTitle, count: n(loadedCount(fs)) })
          : t('list.filteringAll', { count: n(loadedCount(fs)) })}
      </div>
    );

  const summary = summarize(rows, selection.ids);
  const menuTarget = picked[0];
  const collapsed = settings.sidebar.collapsed;

  return (
    <div className="browser-window">
      <Toolbar
        canBack={history.back.length > 0}
        canForward={history.forward.length > 0}
        canUp={!!up && !search}
        onBack={() => move(goBack)}
        onForward={() => move(goForward)}
        onUp={goUp}
        onRefresh={refresh}
        crumbs={crumbs}
        onCrumb={(c) => navigate(c.place)}
        sidebarCollapsed={collapsed}
        onToggleSidebar={toggleSidebar}
        scope={scope}
        onScope={(s) => {
          setScope(s);
          if (s === 'folder') clearSearch();
        }}
        text={text}
        onText={setText}
        onSubmitSearch={() => {
          if (scope === 'subfolders' && text.trim()) startSearch(text.trim());
          else focusList();
        }}
        search={search}
        onStopSearch={stopSearch}
        onClearSearch={clearAll}
        searchInput={searchInput}
        selectionCount={picked.length}
        canPreview={!!focused}
        onDownload={() => download(picked, false)}
        onDownloadTo={() => download(picked, true)}
        onPreview={openQuickLook}
        onCopyUri={() => copyUri(menuTarget)}
        density={settings.density}
        onDensity={(density) => update({ density })}
        email={view.email}
        onSignOut={() => void run(() => api.signOut(false)).then((v) => v && onSignedOut(v))}
        onLanguage={() => update({ language: i18n.language === 'ja' ? 'en' : 'ja' })}
      />
      {!view.remembered && (
        <p role="status" className="notice-bar">
          {t('browser.notRemembered')}
        </p>
      )}
      <div className="browser-body">
        {!collapsed && (
          <Sidebar
            locations={locations}
            current={place}
            recent={settings.recent}
            onOpen={navigate}
            onDownloads={onOpenDownloads}
            width={sidebarWidth}
            onWidth={setSidebarWidth}
          />
        )}
        <main className="content" aria-label={currentName || t('browser.list')}>
          {banner}
          <FileList
            rows={rows}
            order={sortWaits ? DEFAULT_ORDER : order}
            onSort={sortBy}
            columns={settings.columns}
            onColumns={(columns) => update({ columns })}
            density={settings.density}
            selection={selection}
            onRowClick={(i, e) =>
              setSelection(
                click(rows, selection, i, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey }),
              )
            }
            onRowActivate={(i) => {
              const r = rows[i];
              if (r?.kind === 'folder') navigate({ bucket, prefix: r.prefix });
              else if (r) {
                setSelection(click(rows, selection, i));
                setQuickLook(true);
              }
            }}
            onRowMenu={(i, e) => {
              e.preventDefault();
              const r = rows[i];
              if (r && !selection.ids.has(r.id)) setSelection(click(rows, selection, i));
              setMenu({ x: e.clientX, y: e.clientY });
            }}
            onKeyDown={onListKey}
            onDownload={(r) => download([r], false)}
            dragOf={drag.dragOf}
            onPrepareDrag={drag.prepareDrag}
            onStartDrag={drag.startDrag}
            hasMore={!search && fs.status === 'ready' && !!fs.next && !fs.moreError}
            onLoadMore={folder.loadMore}
            label={search ? t('browser.results') : t('browser.list')}
            busy={fs.status === 'loading' || search?.state === 'running'}
            generation={fs.generation}
            gridRef={gridRef}
            overlay={state && <ListState view={state} />}
          />
        </main>
      </div>
      {drawer}
      <StatusBar
        items={search || (fs.status === 'ready' && cov !== 'partial') ? summary.items : undefined}
        picked={summary.picked}
        pickedBytes={summary.pickedBytes}
        progress={progress}
        badge={badge}
      />
      {menu && menuTarget && (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          onClose={() => setMenu(null)}
          items={[
            menuTarget.kind === 'folder'
              ? {
                  label: t('browser.open'),
                  act: () => navigate({ bucket, prefix: menuTarget.prefix }),
                }
              : { label: t('browser.preview'), act: () => setQuickLook(true) },
            { label: t('browser.download'), act: () => download(picked, false) },
            { label: t('browser.downloadTo'), act: () => download(picked, true) },
            { label: t('browser.copyUri'), act: () => copyUri(menuTarget) },
          ]}
        />
      )}
      {quickLook && focused && (
        <QuickLook
          bucket={bucket}
          row={focused}
          index={selection.focus}
          total={rows.length}
          onMove={(by) => {
            const i = Math.max(0, Math.min(rows.length - 1, selection.focus + by));
            setSelection(click(rows, selection, i));
          }}
          onClose={() => setQuickLook(false)}
          onDownload={(r) => download([r], false)}
          onOpenFolder={(prefix) => {
            setQuickLook(false);
            navigate({ bucket, prefix });
          }}
          onCancelError={report}
        />
      )}
    </div>
  );
}

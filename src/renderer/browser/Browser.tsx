/**
 * The browsing window: toolbar, sidebar of places, the file list with its states, the status
 * bar, Quick Look and the context menu. Each concern lives in a hook — where the window is
 * (useNavigation), the open folder's listing (useFolder), the recursive search (useSearch),
 * drag-out (useDragItems), the keyboard (useKeys) — or a plain module (model/listView: what the
 * list shows; listing, selection); this component wires them to the components.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DownloadItem, SessionView } from '../../shared/ipc';
import { api } from '../api';
import { describeError } from '../errors';
import { DEFAULT_ORDER, summarize, type Row, type SortColumn } from '../listing';
import {
  bannerOf,
  countIsTrue,
  progressOf,
  situationOf,
  sortWaits,
  visibleRows,
  wantsAll,
  type ListInput,
  type Progress,
  type Situation,
} from '../model/listView';
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
import { useNavigation } from './useNavigation';
import { useSearch } from './useSearch';

type SignedIn = Extract<SessionView, { status: 'signedIn' }>;

export function Browser({
  view,
  account,
  banner: windowBanner,
  drawer,
  badge,
  onOpenDownloads,
  settingsPanel,
}: {
  view: SignedIn;
  /** The account menu (who is signed in, two-step verification, sign out): App's. */
  account: React.ReactNode;
  /** Notices about the whole window (offline, a clock far off), under the toolbar. */
  banner?: React.ReactNode;
  /** The downloads panel, docked between the list and the status bar (App decides). */
  drawer: React.ReactNode;
  badge: React.ReactNode;
  onOpenDownloads: () => void;
  /** Shown in the toolbar's Settings panel (the update setting). */
  settingsPanel?: React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const { settings, update } = useSettings();
  const { report, run, inform } = useNotices();
  const nav = useNavigation();
  const { place } = nav;
  const bucket = place?.bucket ?? '';

  const [scope, setScope] = useState<SearchScope>('folder');
  const [text, setText] = useState('');
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const [quickLook, setQuickLook] = useState(false);
  const gridRef = useRef<HTMLDivElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  const order = settings.sort;
  const filter = scope === 'folder' ? text.trim() : '';
  const found = useSearch(place, report);
  const { search } = found;
  const folder = useFolder(place, nav.select, wantsAll({ search, order, filter }), report);
  const fs = folder.state;
  const drag = useDragItems(bucket, run);

  const input: ListInput = {
    locations: nav.locations,
    locationsError: nav.locationsError,
    folder: fs,
    search,
    order,
    filter,
  };
  // Sorted again only when the entries, the order or the filter change (not on every request).
  const waits = sortWaits(input);
  const rows = useMemo(
    () => visibleRows({ search, order, filter, folder: fs }, i18n.language),
    [search, order, filter, fs.folders, fs.files, waits, i18n.language],
  );
  const situation = situationOf(input, rows.length);
  const focused = rows[selection.focus];
  const picked = selectedRows(rows, selection);

  // The listing settles: Recent and the remembered folder, or the next place if denied (#12).
  const { listed } = nav;
  useEffect(() => listed(fs), [fs.status, fs.place, fs.error, listed]);

  // Another folder or search: nothing selected, Quick Look and menus closed.
  useEffect(() => {
    setSelection(emptySelection());
    setQuickLook(false);
    setMenu(null);
  }, [fs.generation, search?.text]);
  const at = `${place?.bucket}/${place?.prefix}`;
  useEffect(() => setText((x) => (scope === 'folder' ? '' : x)), [at]);

  // Once listed, select the row the listing was opened for (the folder the user came from).
  const selectedFor = useRef(0);
  useEffect(() => {
    if (fs.status !== 'ready' || !fs.select || selectedFor.current === fs.generation) return;
    selectedFor.current = fs.generation;
    const i = rows.findIndex((r) => r.id === fs.select);
    if (i >= 0) setSelection(click(rows, emptySelection(), i));
  }, [fs.status, fs.select, fs.generation, rows]);

  // Rows re-sort as pages arrive: the keyboard focus stays on its row, not its index.
  const focusId = useRef<string | undefined>(undefined);
  useEffect(() => {
    const id = focusId.current;
    if (!id || rows[selection.focus]?.id === id) return;
    const i = rows.findIndex((r) => r.id === id);
    setSelection((s) => ({ ...s, focus: i, anchor: i }));
  }, [rows]);
  focusId.current = focused?.id;

  const openFolder = (prefix: string) => nav.navigate({ bucket, prefix });
  const goUp = () => nav.up && !search && nav.navigate(nav.up);
  const refresh = () => {
    if (!nav.locations) return nav.reloadLocations();
    if (search) return found.start(search.text);
    folder.refresh(focused?.id);
  };
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
  const toggleQuickLook = () => focused && setQuickLook((q) => !q);
  const sortBy = (column: SortColumn) =>
    update((s) => ({
      sort: {
        column,
        direction: s.sort.column === column && s.sort.direction === 'asc' ? 'desc' : 'asc',
      },
    }));

  useWindowShortcuts((c) => {
    if (c === 'up') goUp();
    else if (c === 'back') nav.back();
    else if (c === 'forward') nav.forward();
    else if (c === 'refresh') refresh();
    else if (c === 'find') {
      searchInput.current?.focus();
      searchInput.current?.select();
    } else if (c === 'open' && focused?.kind === 'folder') openFolder(focused.prefix);
  }, !quickLook && !menu);
  const onListKey = useListKeys({
    rows,
    selection,
    setSelection,
    menuOpen: !!menu,
    searching: search?.state === 'running',
    onQuickLook: toggleQuickLook,
    onOpenFolder: openFolder,
    onDownload: (list) => download(list, false),
    onUp: goUp,
    onStopSearch: found.stop,
    onMenuAt: (x, y) => setMenu({ x, y }),
    rowElement: (i) => document.getElementById(rowDomId(i)),
  });

  const [sidebarWidth, setSidebarWidth] = useResizable(settings.sidebar.width, (w) =>
    update((s) => ({ sidebar: { ...s.sidebar, width: w } })),
  );
  const toggleSidebar = () =>
    update((s) => ({ sidebar: { ...s.sidebar, collapsed: !s.sidebar.collapsed } }));

  const n = (x: number) => x.toLocaleString(i18n.language);
  const columnTitle = t(`browser.${order.column}`);
  const banner = bannerOf(input);
  const summary = summarize(rows, selection.ids);
  const collapsed = settings.sidebar.collapsed;
  const menuTarget = picked[0];

  return (
    <div className="browser-window">
      <Toolbar
        canBack={nav.canBack}
        canForward={nav.canForward}
        canUp={!!nav.up && !search}
        onBack={nav.back}
        onForward={nav.forward}
        onUp={goUp}
        onRefresh={refresh}
        crumbs={nav.crumbs}
        onCrumb={(c) => nav.navigate(c.place)}
        sidebarCollapsed={collapsed}
        onToggleSidebar={toggleSidebar}
        scope={scope}
        onScope={(s) => {
          setScope(s);
          if (s === 'folder') found.clear();
        }}
        text={text}
        onText={setText}
        onSubmitSearch={() => {
          if (scope === 'subfolders' && text.trim()) found.start(text.trim());
          else gridRef.current?.focus();
        }}
        search={search}
        onStopSearch={found.stop}
        onClearSearch={() => {
          found.clear();
          setText('');
        }}
        searchInput={searchInput}
        selectionCount={picked.length}
        canPreview={!!focused}
        onDownload={() => download(picked, false)}
        onDownloadTo={() => download(picked, true)}
        onPreview={toggleQuickLook}
        onCopyUri={() => copyUri(menuTarget)}
        density={settings.density}
        onDensity={(density) => update({ density })}
        settings={settingsPanel}
        email={view.email}
        account={account}
        onLanguage={() => update({ language: i18n.language === 'ja' ? 'en' : 'ja' })}
      />
      {windowBanner}
      {!view.remembered && (
        <p role="status" className="notice-bar">
          {t('browser.notRemembered')}
        </p>
      )}
      <div className="browser-body">
        {!collapsed && (
          <Sidebar
            locations={nav.locations}
            current={place}
            recent={settings.recent}
            onOpen={nav.navigate}
            onDownloads={onOpenDownloads}
            width={sidebarWidth}
            onWidth={setSidebarWidth}
          />
        )}
        <main className="content" aria-label={nav.name || t('browser.list')}>
          {banner?.kind === 'moreFailed' ? (
            <div className="list-banner error" role="alert">
              {t('list.moreFailed', { message: describeError(banner.error, i18n.language) })}
              <button type="button" onClick={folder.loadMore}>
                {t('list.retry')}
              </button>
            </div>
          ) : banner ? (
            <div className="list-banner" role="status">
              <span className="spinner" aria-hidden="true" />
              {banner.kind === 'sorting'
                ? t('list.sortingAll', { column: columnTitle, count: n(banner.loaded) })
                : t('list.filteringAll', { count: n(banner.loaded) })}
            </div>
          ) : null}
          <FileList
            rows={rows}
            order={waits ? DEFAULT_ORDER : order}
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
              if (r?.kind === 'folder') openFolder(r.prefix);
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
            busy={situation.kind === 'loading' || search?.state === 'running'}
            generation={fs.generation}
            gridRef={gridRef}
            overlay={stateView(
              situation,
              nav.name,
              refresh,
              () => setText(''),
              found.start,
              search?.text,
            )}
          />
        </main>
      </div>
      {drawer}
      <StatusBar
        items={countIsTrue(input) ? summary.items : undefined}
        picked={summary.picked}
        pickedBytes={summary.pickedBytes}
        progress={progressText(progressOf(input), t, n)}
        badge={badge}
      />
      {menu && menuTarget && (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          onClose={() => setMenu(null)}
          items={[
            menuTarget.kind === 'folder'
              ? { label: t('browser.open'), act: () => openFolder(menuTarget.prefix) }
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
            openFolder(prefix);
          }}
          onCancelError={report}
        />
      )}
    </div>
  );
}

/** The list's state (model/listView's situation) as the ListState component draws it. */
function stateView(
  s: Situation,
  name: string,
  retry: () => void,
  clearFilter: () => void,
  searchAgain: (text: string) => void,
  searchText: string | undefined,
): React.ReactNode {
  let v: ListStateView;
  switch (s.kind) {
    case 'rows':
      return null;
    case 'loadingPlaces':
      v = { kind: 'loading', name: '' };
      break;
    case 'placesFailed':
    case 'failed':
      v = { kind: 'error', name, error: s.error, onRetry: retry };
      break;
    case 'searchFailed':
      v = { kind: 'error', name, error: s.error, onRetry: () => searchAgain(searchText ?? '') };
      break;
    case 'loading':
      v = { kind: 'loading', name };
      break;
    case 'noMatch':
      v = { kind: 'noMatch', text: s.text, onClear: clearFilter };
      break;
    case 'searching':
      v = { kind: 'searching', folder: name };
      break;
    case 'noResults':
      v = { kind: 'noResults', folder: name, text: s.text };
      break;
    default:
      v = { kind: s.kind };
  }
  return <ListState view={v} />;
}

/** The status bar's word on how much of the folder is here. */
function progressText(
  p: Progress,
  t: (key: string, o?: Record<string, unknown>) => string,
  n: (x: number) => string,
): string | undefined {
  if (!p) return undefined;
  if (p.kind === 'search')
    return t(
      p.state === 'running'
        ? 'browser.searching'
        : p.state === 'done'
          ? 'browser.searchDone'
          : 'browser.searchStopped',
      { count: p.found, scanned: p.scanned },
    );
  return t(`status.${p.kind}`, { n: n(p.loaded) });
}

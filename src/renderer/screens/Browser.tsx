import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  BucketEntry,
  DownloadItem,
  DragItemView,
  FileEntry,
  FolderEntry,
  SearchMatch,
  SessionView,
} from '../../shared/ipc';
import { FormError } from '../Field';
import {
  filterRows,
  rowsOf,
  sortRows,
  type Row,
  type SortColumn,
  type SortOrder,
} from '../listing';
import {
  click,
  emptySelection,
  findByPrefix,
  move,
  selectAll,
  selectedRows,
  type Selection,
} from '../selection';
import { useAction } from '../useAction';
import { FileList, rowDomId } from './FileList';
import { Preview } from './Preview';
import { api } from '../api';
import { keyName } from '../../shared/keyName';

interface SearchState {
  text: string;
  matches: SearchMatch[];
  scanned: number;
  state: 'running' | 'done' | 'stopped';
}

interface Menu {
  x: number;
  y: number;
}

type SignedIn = Extract<SessionView, { status: 'signedIn' }>;

export function Browser({
  view,
  onSignedOut,
}: {
  view: SignedIn;
  onSignedOut: (v: SessionView) => void;
}) {
  const { t, i18n } = useTranslation();
  const [buckets, setBuckets] = useState<BucketEntry[]>([]);
  const [bucket, setBucket] = useState('');
  const [prefix, setPrefix] = useState('');
  const [folders, setFolders] = useState<FolderEntry[]>([]);
  const [files, setFiles] = useState<FileEntry[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [order, setOrder] = useState<SortOrder>({ column: 'name', direction: 'asc' });
  const [filter, setFilter] = useState('');
  const [drag, setDrag] = useState<Record<string, DragItemView>>({});
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [menu, setMenu] = useState<Menu | null>(null);
  const [search, setSearch] = useState<SearchState | null>(null);
  const [searchText, setSearchText] = useState('');
  const [previewOf, setPreviewOf] = useState<FileEntry | null>(null);
  const [status, setStatus] = useState('');
  const filterInput = useRef<HTMLInputElement>(null);
  const searchRun = useRef(0);
  const typed = useRef({ text: '', at: 0 });
  const loading = useRef(false);
  const { busy, error, run } = useAction();

  useEffect(
    () => api.on('drag', (v) => setDrag((d) => ({ ...d, [`${v.bucket}\n${v.key}`]: v }))),
    [],
  );

  // Ctrl/Cmd+F: filter this folder.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        filterInput.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    void run(async () => {
      const list = await api.listBuckets();
      setBuckets(list);
      if (list[0]) setBucket(list[0].name);
    });
  }, [run]);

  const load = useCallback(
    (b: string, p: string, token?: string) => {
      loading.current = true;
      return run(async () => {
        const page = await api.listFolder(b, p, token);
        setFolders((old) => (token ? [...old, ...page.folders] : page.folders));
        setFiles((old) => (token ? [...old, ...page.files] : page.files));
        setNext(page.continuationToken);
      }).finally(() => (loading.current = false));
    },
    [run],
  );

  const stopSearch = useCallback(() => {
    searchRun.current++;
    setSearch((s) => (s && s.state === 'running' ? { ...s, state: 'stopped' } : s));
  }, []);

  useEffect(() => {
    if (!bucket) return;
    setFilter('');
    searchRun.current++;
    setSearch(null);
    setSelection(emptySelection());
    void load(bucket, prefix);
  }, [bucket, prefix, load]);

  const rows = useMemo(() => {
    const base = search
      ? rowsOf(
          [],
          search.matches.map((m) => ({ ...m, name: m.path })),
        )
      : rowsOf(folders, files);
    return filterRows(sortRows(base, order, i18n.language), filter);
  }, [folders, files, search, order, filter, i18n.language]);

  /** A recursive search by name below this folder, page by page until done or stopped. */
  const startSearch = (text: string) => {
    const runId = ++searchRun.current;
    setSelection(emptySelection());
    setSearch({ text, matches: [], scanned: 0, state: 'running' });
    void run(async () => {
      let token: string | undefined;
      do {
        const page = await api.search(bucket, prefix, text, token);
        if (runId !== searchRun.current) return;
        setSearch(
          (s) =>
            s && {
              ...s,
              matches: [...s.matches, ...page.matches],
              scanned: s.scanned + page.scanned,
            },
        );
        token = page.continuationToken;
      } while (token);
      setSearch((s) => s && { ...s, state: 'done' });
    }).finally(() => {
      if (runId === searchRun.current)
        setSearch((s) => (s?.state === 'running' ? { ...s, state: 'stopped' } : s));
    });
  };

  const itemsOf = (picked: Row[]): DownloadItem[] =>
    picked.map((r) =>
      r.kind === 'folder' ? { key: r.prefix, kind: 'folder' } : { key: r.file.key, kind: 'file' },
    );
  const download = (picked: Row[], ask: boolean) => {
    if (picked.length) void run(() => api.downloadItems(bucket, itemsOf(picked), ask));
  };
  const copyUri = (r: Row) => {
    const key = r.kind === 'folder' ? r.prefix : r.file.key;
    void run(async () => {
      await api.copyS3Uri(bucket, key);
      setStatus(t('browser.copied', { uri: `s3://${bucket}/${key}` }));
    });
  };
  const activate = (index: number) => {
    const r = rows[index];
    if (!r) return;
    if (r.kind === 'folder') setPrefix(r.prefix);
    else setPreviewOf(r.file);
  };
  const openMenuAt = (x: number, y: number) => setMenu({ x, y });

  const onKeyDown = (e: React.KeyboardEvent) => {
    const mod = e.ctrlKey || e.metaKey;
    if (menu) return;
    const moved = move(rows, selection, e.key, { shift: e.shiftKey, toggle: mod });
    if (moved) {
      e.preventDefault();
      setSelection(moved);
      return;
    }
    if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      setSelection(selectAll(rows, selection));
      return;
    }
    if (e.key === ' ' && selection.focus >= 0) {
      e.preventDefault();
      setSelection(click(rows, selection, selection.focus, { toggle: true }));
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      const picked = selectedRows(rows, selection);
      if (picked.length === 1 && picked[0]!.kind === 'folder') setPrefix(picked[0]!.prefix);
      else download(picked, false);
      return;
    }
    if (e.key === 'Backspace' && !search) {
      e.preventDefault();
      const crumbs = prefix.split('/').filter(Boolean);
      setPrefix(crumbs.length > 1 ? crumbs.slice(0, -1).join('/') + '/' : '');
      return;
    }
    if (e.key === 'Escape') {
      if (search) stopSearch();
      setSelection(emptySelection());
      return;
    }
    if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
      e.preventDefault();
      const el = document.getElementById(rowDomId(Math.max(0, selection.focus)));
      const box = el?.getBoundingClientRect();
      openMenuAt(box ? box.left + 40 : 40, box ? box.bottom : 40);
      return;
    }
    // Type-to-find: letters typed within a moment of each other spell a name's beginning.
    if (e.key.length === 1 && !mod && !e.altKey) {
      const now = Date.now();
      const text = now - typed.current.at < 800 ? typed.current.text + e.key : e.key;
      typed.current = { text, at: now };
      const found = findByPrefix(rows, text, selection.focus);
      if (found >= 0) setSelection(click(rows, selection, found));
    }
  };

  const dragOf = (f: FileEntry) => drag[`${bucket}\n${f.key}`];
  const prepareDrag = (f: FileEntry) => {
    const current = dragOf(f);
    if (current && current.state !== 'failed') return;
    void run(async () => {
      const v = await api.prepareDrag(bucket, f.key);
      // The "ready" event can overtake this answer (a small file is fetched at once): never let
      // the older "preparing" view replace it.
      setDrag((d) => {
        const k = `${v.bucket}\n${v.key}`;
        const cur = d[k];
        if (cur?.id === v.id && (cur.state !== 'preparing' || cur.bytesDone > v.bytesDone))
          return d;
        return { ...d, [k]: v };
      });
    });
  };
  const startDrag = (f: FileEntry) => {
    const current = dragOf(f);
    if (current?.state === 'ready') void run(() => api.startDrag([current.id]));
    else prepareDrag(f); // a larger file: show "preparing"; it can be dragged once ready
  };
  const sortBy = (column: SortColumn) =>
    setOrder((o) => ({
      column,
      direction: o.column === column && o.direction === 'asc' ? 'desc' : 'asc',
    }));

  const crumbs = prefix.split('/').filter(Boolean);
  const loaded = folders.length + files.length;
  const picked = selectedRows(rows, selection);
  const menuTarget = picked[0];

  return (
    <main className="browser">
      <header className="toolbar">
        <label htmlFor="bucket">{t('browser.buckets')}</label>
        <select
          id="bucket"
          value={bucket}
          onChange={(e) => {
            setBucket(e.target.value);
            setPrefix('');
          }}
        >
          {buckets.map((b) => (
            <option key={b.name} value={b.name}>
              {b.name}
            </option>
          ))}
        </select>
        <span className="who">{t('browser.signedInAs', { email: view.email })}</span>
        <button
          type="button"
          onClick={() => void run(() => api.signOut(false)).then((v) => v && onSignedOut(v))}
        >
          {t('browser.signOut')}
        </button>
      </header>
      {!view.remembered && (
        <p role="status" className="notice">
          {t('browser.notRemembered')}
        </p>
      )}
      <nav aria-label="breadcrumb" className="crumbs">
        <button type="button" className="link" onClick={() => setPrefix('')}>
          {t('browser.root')}
        </button>
        {crumbs.map((c, i) => (
          <span key={i}>
            {' / '}
            <button
              type="button"
              className="link"
              onClick={() => setPrefix(crumbs.slice(0, i + 1).join('/') + '/')}
            >
              {c}
            </button>
          </span>
        ))}
        <input
          ref={filterInput}
          type="search"
          className="filter"
          aria-label={t('browser.filter')}
          placeholder={t('browser.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        {prefix && (
          <button type="button" onClick={() => void api.downloadFolder(bucket, prefix)}>
            {t('browser.downloadFolder')}
          </button>
        )}
      </nav>
      <form
        role="search"
        className="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (searchText.trim()) startSearch(searchText.trim());
        }}
      >
        <input
          type="search"
          aria-label={t('browser.search')}
          placeholder={t('browser.search')}
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
        />
        <button type="submit" disabled={!searchText.trim()}>
          {t('browser.searchGo')}
        </button>
        {search?.state === 'running' && (
          <button type="button" onClick={stopSearch}>
            {t('browser.stopSearch')}
          </button>
        )}
        {search && search.state !== 'running' && (
          <button
            type="button"
            onClick={() => {
              setSearch(null);
              setSelection(emptySelection());
            }}
          >
            {t('browser.clearSearch')}
          </button>
        )}
        {search && (
          <span role="status">
            {t(
              search.state === 'running'
                ? 'browser.searching'
                : search.state === 'done'
                  ? 'browser.searchDone'
                  : 'browser.searchStopped',
              { count: search.matches.length, scanned: search.scanned },
            )}
          </span>
        )}
        {selection.ids.size > 1 && (
          <>
            <span role="status">{t('browser.selected', { count: selection.ids.size })}</span>
            <button type="button" onClick={() => download(picked, false)}>
              {t('browser.downloadSelected')}
            </button>
          </>
        )}
      </form>
      {status && (
        <p role="status" className="hint">
          {status}
        </p>
      )}
      <FormError message={error} />
      {next && !search && (
        <p role="status" className="hint">
          {t('browser.partial', { count: loaded })}
        </p>
      )}
      <FileList
        rows={rows}
        order={order}
        onSort={sortBy}
        onOpenFolder={setPrefix}
        onDownload={(f) => void api.download(bucket, f.key)}
        dragOf={dragOf}
        onPrepareDrag={prepareDrag}
        onStartDrag={startDrag}
        hasMore={!search && next !== undefined}
        onLoadMore={() => {
          if (next && !loading.current) void load(bucket, prefix, next);
        }}
        label={search ? t('browser.results') : undefined}
        selection={selection}
        onRowClick={(i, e) =>
          setSelection(
            click(rows, selection, i, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey }),
          )
        }
        onRowActivate={activate}
        onRowMenu={(i, e) => {
          e.preventDefault();
          const r = rows[i];
          if (r && !selection.ids.has(r.id)) setSelection(click(rows, selection, i));
          openMenuAt(e.clientX, e.clientY);
        }}
        onKeyDown={onKeyDown}
      />
      {menu && menuTarget && (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          onClose={() => setMenu(null)}
          items={[
            menuTarget.kind === 'folder'
              ? { label: t('browser.open'), act: () => setPrefix(menuTarget.prefix) }
              : { label: t('browser.preview'), act: () => setPreviewOf(menuTarget.file) },
            { label: t('browser.download'), act: () => download(picked, false) },
            { label: t('browser.downloadTo'), act: () => download(picked, true) },
            { label: t('browser.copyUri'), act: () => copyUri(menuTarget) },
          ]}
        />
      )}
      {previewOf && (
        <Preview
          bucket={bucket}
          fileKey={previewOf.key}
          name={keyName(previewOf.key) || previewOf.key}
          onClose={() => setPreviewOf(null)}
        />
      )}
      {busy && loaded === 0 && <p role="status">{t('browser.loading')}</p>}
      {!busy && loaded === 0 && !search && <p>{t('browser.empty')}</p>}
      {loaded > 0 && rows.length === 0 && <p>{t('browser.noMatch')}</p>}
    </main>
  );
}

/** A context menu: arrow keys move, Enter acts, Escape or a click elsewhere closes. */
function ContextMenu({
  x,
  y,
  items,
  onClose,
}: {
  x: number;
  y: number;
  items: { label: string; act: () => void }[];
  onClose: () => void;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const [at, setAt] = useState(0);
  useEffect(() => {
    const back = document.activeElement as HTMLElement | null;
    refs.current[0]?.focus();
    const away = () => onClose();
    window.addEventListener('mousedown', away);
    window.addEventListener('blur', away);
    return () => {
      window.removeEventListener('mousedown', away);
      window.removeEventListener('blur', away);
      back?.focus();
    };
  }, [onClose]);
  useEffect(() => refs.current[at]?.focus(), [at]);
  return (
    <ul
      role="menu"
      className="menu"
      style={{ left: x, top: y }}
      onMouseDown={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown') setAt((at + 1) % items.length);
        else if (e.key === 'ArrowUp') setAt((at - 1 + items.length) % items.length);
        else if (e.key === 'Home') setAt(0);
        else if (e.key === 'End') setAt(items.length - 1);
        else if (e.key === 'Escape' || e.key === 'Tab') onClose();
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
    >
      {items.map((item, i) => (
        <li key={item.label} role="none">
          <button
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="menuitem"
            tabIndex={i === at ? 0 : -1}
            onClick={() => {
              onClose();
              item.act();
            }}
          >
            {item.label}
          </button>
        </li>
      ))}
    </ul>
  );
}

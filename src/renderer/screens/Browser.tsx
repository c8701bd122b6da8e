import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  BucketEntry,
  DragItemView,
  FileEntry,
  FolderEntry,
  SessionView,
} from '../../shared/ipc';
import { FormError } from '../Field';
import { filterRows, rowsOf, sortRows, type SortColumn, type SortOrder } from '../listing';
import { useAction } from '../useAction';
import { FileList } from './FileList';

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
  const filterInput = useRef<HTMLInputElement>(null);
  const loading = useRef(false);
  const { busy, error, run } = useAction();

  useEffect(
    () => window.kura.on('drag', (v) => setDrag((d) => ({ ...d, [`${v.bucket}\n${v.key}`]: v }))),
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
      const list = await window.kura.listBuckets();
      setBuckets(list);
      if (list[0]) setBucket(list[0].name);
    });
  }, [run]);

  const load = useCallback(
    (b: string, p: string, token?: string) => {
      loading.current = true;
      return run(async () => {
        const page = await window.kura.listFolder(b, p, token);
        setFolders((old) => (token ? [...old, ...page.folders] : page.folders));
        setFiles((old) => (token ? [...old, ...page.files] : page.files));
        setNext(page.continuationToken);
      }).finally(() => (loading.current = false));
    },
    [run],
  );

  useEffect(() => {
    if (!bucket) return;
    setFilter('');
    void load(bucket, prefix);
  }, [bucket, prefix, load]);

  const rows = useMemo(
    () => filterRows(sortRows(rowsOf(folders, files), order, i18n.language), filter),
    [folders, files, order, filter, i18n.language],
  );

  const dragOf = (f: FileEntry) => drag[`${bucket}\n${f.key}`];
  const prepareDrag = (f: FileEntry) => {
    const current = dragOf(f);
    if (current && current.state !== 'failed') return;
    void run(async () => {
      const v = await window.kura.prepareDrag(bucket, f.key);
      setDrag((d) => ({ ...d, [`${v.bucket}\n${v.key}`]: v }));
    });
  };
  const startDrag = (f: FileEntry) => {
    const current = dragOf(f);
    if (current?.state === 'ready') void run(() => window.kura.startDrag([current.id]));
    else prepareDrag(f); // a larger file: show "preparing"; it can be dragged once ready
  };
  const sortBy = (column: SortColumn) =>
    setOrder((o) => ({
      column,
      direction: o.column === column && o.direction === 'asc' ? 'desc' : 'asc',
    }));

  const crumbs = prefix.split('/').filter(Boolean);
  const loaded = folders.length + files.length;

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
          onClick={() =>
            void run(() => window.kura.signOut(false)).then((v) => v && onSignedOut(v))
          }
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
          <button type="button" onClick={() => void window.kura.downloadFolder(bucket, prefix)}>
            {t('browser.downloadFolder')}
          </button>
        )}
      </nav>
      <FormError message={error} />
      {next && (
        <p role="status" className="hint">
          {t('browser.partial', { count: loaded })}
        </p>
      )}
      <FileList
        rows={rows}
        order={order}
        onSort={sortBy}
        onOpenFolder={setPrefix}
        onDownload={(f) => void window.kura.download(bucket, f.key)}
        dragOf={dragOf}
        onPrepareDrag={prepareDrag}
        onStartDrag={startDrag}
        hasMore={next !== undefined}
        onLoadMore={() => {
          if (next && !loading.current) void load(bucket, prefix, next);
        }}
      />
      {busy && loaded === 0 && <p role="status">{t('browser.loading')}</p>}
      {!busy && loaded === 0 && <p>{t('browser.empty')}</p>}
      {loaded > 0 && rows.length === 0 && <p>{t('browser.noMatch')}</p>}
    </main>
  );
}

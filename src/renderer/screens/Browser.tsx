import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../shared/format';
import type {
  BucketEntry,
  DragItemView,
  FileEntry,
  FolderEntry,
  SessionView,
} from '../../shared/ipc';
import { useAction } from '../useAction';

type SignedIn = Extract<SessionView, { status: 'signedIn' }>;

/** Files up to this size are fetched ahead when pointed at, so a drag starts at once. */
const DRAG_PREFETCH_BYTES = 64 * 1024 * 1024;

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
  const { busy, error, run } = useAction();
  const [drag, setDrag] = useState<Record<string, DragItemView>>({});

  useEffect(
    () => window.kura.on('drag', (v) => setDrag((d) => ({ ...d, [`${v.bucket}\n${v.key}`]: v }))),
    [],
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

  useEffect(() => {
    void run(async () => {
      const list = await window.kura.listBuckets();
      setBuckets(list);
      if (list[0]) setBucket(list[0].name);
    });
  }, []);

  const load = useCallback(
    (b: string, p: string, token?: string) =>
      run(async () => {
        const page = await window.kura.listFolder(b, p, token);
        setFolders((old) => (token ? [...old, ...page.folders] : page.folders));
        setFiles((old) => (token ? [...old, ...page.files] : page.files));
        setNext(page.continuationToken);
      }),
    [run],
  );

  useEffect(() => {
    if (bucket) void load(bucket, prefix);
  }, [bucket, prefix, load]);

  const crumbs = prefix.split('/').filter(Boolean);
  const dateFormat = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });

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
        {prefix && (
          <button type="button" onClick={() => void window.kura.downloadFolder(bucket, prefix)}>
            {t('browser.downloadFolder')}
          </button>
        )}
      </nav>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('browser.name')}</th>
            <th scope="col">{t('browser.size')}</th>
            <th scope="col">{t('browser.modified')}</th>
            <th scope="col">
              <span className="sr-only">{t('browser.download')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {folders.map((f) => (
            <tr key={f.prefix}>
              <td>
                <button type="button" className="link folder" onClick={() => setPrefix(f.prefix)}>
                  📁 {f.name}
                </button>
              </td>
              <td />
              <td />
              <td />
            </tr>
          ))}
          {files.map((f) => (
            <tr
              key={f.key}
              draggable
              data-drag={dragOf(f)?.state ?? 'none'}
              onMouseEnter={() => f.size <= DRAG_PREFETCH_BYTES && prepareDrag(f)}
              onDragStart={(e) => {
                // Main hands the OS a finished file from the drag cache; the page drags nothing itself.
                e.preventDefault();
                startDrag(f);
              }}
            >
              <td>
                {f.name}
                {dragOf(f)?.state === 'preparing' && (
                  <span className="hint" role="status">
                    {' '}
                    {t('browser.preparing', {
                      percent: Math.floor(
                        (100 * (dragOf(f)?.bytesDone ?? 0)) / Math.max(1, f.size),
                      ),
                    })}
                  </span>
                )}
              </td>
              <td>{formatBytes(f.size)}</td>
              <td>{dateFormat.format(f.lastModified)}</td>
              <td>
                <button
                  type="button"
                  aria-label={`${t('browser.download')}: ${f.name}`}
                  onClick={() => void window.kura.download(bucket, f.key)}
                >
                  {t('browser.download')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {busy && <p role="status">{t('browser.loading')}</p>}
      {!busy && folders.length === 0 && files.length === 0 && <p>{t('browser.empty')}</p>}
      {next && (
        <button type="button" disabled={busy} onClick={() => void load(bucket, prefix, next)}>
          {t('browser.more')}
        </button>
      )}
    </main>
  );
}

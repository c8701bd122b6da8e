/**
 * Quick Look, as in Finder: Space shows the focused item; the arrow keys move through the list
 * (the selection follows), Space or Escape closes. The preview is fetched through main (images
 * and PDFs whole up to a limit, text's first 256 KiB) and drawn on a neutral stage beside the
 * item's details (size, modified, type, ETag, checksum); files with no preview get a Download
 * button there, folders an Open button. Moving on cancels the previous preview's request.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../shared/format';
import type { PreviewView } from '../../shared/ipc';
import { api } from '../api';
import { describeError } from '../errors';
import type { Row } from '../listing';
import { fileKind } from '../model/fileKinds';
import { newRequestId } from '../model/requestIds';
import { MiddleName, useKindLabel } from './FileList';
import { BackIcon, CloseIcon, DownloadIcon, FileTypeIcon, ForwardIcon } from './icons';
import { PdfPages } from './PdfPages';

interface Props {
  bucket: string;
  row: Row;
  index: number;
  total: number;
  onMove: (by: 1 | -1) => void;
  onClose: () => void;
  onDownload: (row: Row) => void;
  onOpenFolder: (prefix: string) => void;
  onCancelError: (e: unknown) => void;
}

function usePreview(bucket: string, row: Row, onCancelError: (e: unknown) => void) {
  const [view, setView] = useState<PreviewView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = row.kind === 'file' ? row.file.key : null;
  useEffect(() => {
    setView(null);
    setError(null);
    if (key === null) return;
    let live = true;
    const id = newRequestId('preview');
    api.preview(bucket, key, id).then(
      (v) => live && setView(v),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
      api.cancelRequest(id).catch(onCancelError);
    };
  }, [bucket, key, onCancelError]);
  return { view, error };
}

export function QuickLook(p: Props) {
  const { t, i18n } = useTranslation();
  const kindLabel = useKindLabel();
  const { row } = p;
  const { view, error } = usePreview(p.bucket, row, p.onCancelError);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const back = document.activeElement as HTMLElement | null;
    box.current?.focus();
    return () => back?.focus();
  }, []);

  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const file = row.kind === 'file' ? row.file : null;
  const d = view?.details;
  const uri = `s3://${p.bucket}/${row.kind === 'file' ? row.file.key : row.prefix}`;

  const noPreview = (message: string) => (
    <div className="ql-none">
      <FileTypeIcon kind={fileKind(row.name)} className="huge" />
      <p>{message}</p>
      <button type="button" className="primary" onClick={() => p.onDownload(row)}>
        <DownloadIcon />
        {t('quickLook.download')}
      </button>
    </div>
  );

  let stage: React.ReactNode;
  if (row.kind === 'folder')
    stage = (
      <div className="ql-none">
        <FileTypeIcon kind="folder" className="huge" />
        <p>{t('quickLook.folder')}</p>
        <button type="button" className="primary" onClick={() => p.onOpenFolder(row.prefix)}>
          {t('quickLook.open')}
        </button>
      </div>
    );
  else if (error)
    stage = (
      <p role="alert" className="error ql-message">
        {describeError(error, i18n.language)}
      </p>
    );
  else if (!view)
    stage = (
      <p role="status" className="ql-message">
        <span className="spinner" aria-hidden="true" />
        {t('preview.loading')}
      </p>
    );
  else if (view.kind === 'image')
    stage = <img src={`data:${view.mime};base64,${view.data}`} alt={row.name} />;
  else if (view.kind === 'text')
    stage = (
      <div className="ql-text">
        <p className="hint">
          {t('preview.encoding', { encoding: view.encoding })}
          {view.truncated &&
            ` · ${t('preview.truncated', { shown: formatBytes(256 * 1024), size: formatBytes(view.size) })}`}
        </p>
        <pre tabIndex={0}>{view.text}</pre>
      </div>
    );
  else if (view.kind === 'pdf') stage = <PdfPages data={view.data} />;
  else if (view.kind === 'tooLarge')
    stage = noPreview(
      t('preview.tooLarge', { size: formatBytes(view.size), limit: formatBytes(view.limit) }),
    );
  else stage = noPreview(t('preview.unsupported'));

  const detail = (label: string, value: React.ReactNode, mono = false) =>
    value ? (
      <>
        <dt>{label}</dt>
        <dd className={mono ? 'mono' : undefined}>{value}</dd>
      </>
    ) : null;

  return (
    <div className="ql-backdrop" onMouseDown={(e) => e.target === e.currentTarget && p.onClose()}>
      <div
        ref={box}
        role="dialog"
        aria-modal="true"
        aria-label={t('preview.title', { name: row.name })}
        className="quicklook"
        tabIndex={-1}
        onKeyDown={(e) => {
          const inText = (e.target as HTMLElement).tagName === 'PRE';
          if (e.key === 'Escape' || (e.key === ' ' && !inText)) {
            e.preventDefault();
            e.stopPropagation();
            p.onClose();
          } else if (e.key === 'ArrowRight' || (e.key === 'ArrowDown' && !inText)) {
            e.preventDefault();
            p.onMove(1);
          } else if (e.key === 'ArrowLeft' || (e.key === 'ArrowUp' && !inText)) {
            e.preventDefault();
            p.onMove(-1);
          }
        }}
      >
        <header className="ql-head">
          <div className="ql-nav">
            <button
              type="button"
              className="icon-button"
              aria-label={t('quickLook.previous')}
              title={t('quickLook.previous')}
              disabled={p.index <= 0}
              onClick={() => p.onMove(-1)}
            >
              <BackIcon />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={t('quickLook.next')}
              title={t('quickLook.next')}
              disabled={p.index >= p.total - 1}
              onClick={() => p.onMove(1)}
            >
              <ForwardIcon />
            </button>
          </div>
          <h2>
            <FileTypeIcon kind={row.kind === 'folder' ? 'folder' : fileKind(row.name)} />
            <MiddleName name={row.name} />
          </h2>
          <span className="ql-position">
            {t('quickLook.position', { n: p.index + 1, total: p.total })}
          </span>
          {row.kind === 'folder' ? (
            <button type="button" onClick={() => p.onOpenFolder(row.prefix)}>
              {t('quickLook.open')}
            </button>
          ) : (
            <button type="button" onClick={() => p.onDownload(row)}>
              <DownloadIcon />
              {t('quickLook.download')}
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label={t('preview.close')}
            title={t('preview.close')}
            onClick={p.onClose}
          >
            <CloseIcon />
          </button>
        </header>
        <div className="ql-body">
          <div className={`ql-stage ${view?.kind ?? row.kind}`}>{stage}</div>
          <aside className="ql-details" aria-label={t('quickLook.details')}>
            <dl>
              {detail(t('quickLook.type'), kindLabel(row))}
              {file &&
                detail(
                  t('quickLook.size'),
                  `${formatBytes(d?.size ?? file.size)} (${(d?.size ?? file.size).toLocaleString(i18n.language)} B)`,
                )}
              {file &&
                detail(t('quickLook.modified'), date.format(d?.lastModified ?? file.lastModified))}
              {detail(t('quickLook.contentType'), d?.contentType)}
              {detail(t('quickLook.etag'), d?.etag, true)}
              {detail(t('quickLook.checksum'), d?.checksum, true)}
              {detail(t('quickLook.location'), uri, true)}
            </dl>
          </aside>
        </div>
      </div>
    </div>
  );
}

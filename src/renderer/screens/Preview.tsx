import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../shared/format';
import type { PreviewView } from '../../shared/ipc';
import { describeError } from '../errors';
import { api } from '../api';

const base64ToBytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** A PDF drawn page by page with pdf.js, loaded only when a PDF is opened (its own chunk). */
function PdfPages({ data }: { data: string }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [doc, setDoc] = useState<import('pdfjs-dist').PDFDocumentProxy | null>(null);
  const [page, setPage] = useState(1);
  /** The page the canvas shows, set only once pdf.js has finished drawing it. */
  const [drawn, setDrawn] = useState(0);
  const [failed, setFailed] = useState('');
  useEffect(() => {
    let cancelled = false;
    let loaded: import('pdfjs-dist').PDFDocumentProxy | null = null;
    void (async () => {
      try {
        const pdfjs = await import('pdfjs-dist');
        pdfjs.GlobalWorkerOptions.workerSrc = new URL(
          'pdfjs-dist/build/pdf.worker.min.mjs',
          import.meta.url,
        ).toString();
        // No eval, no font loading: glyphs are drawn as paths (the CSP allows neither).
        loaded = await pdfjs.getDocument({
          data: base64ToBytes(data),
          isEvalSupported: false,
          disableFontFace: true,
          standardFontDataUrl: new URL('pdfjs/standard_fonts/', document.baseURI).toString(),
          cMapUrl: new URL('pdfjs/cmaps/', document.baseURI).toString(),
          cMapPacked: true,
        }).promise;
        if (!cancelled) setDoc(loaded);
      } catch (err) {
        if (!cancelled) setFailed(String((err as Error).message ?? err));
      }
    })();
    return () => {
      cancelled = true;
      void loaded?.destroy();
    };
  }, [data]);
  useEffect(() => {
    if (!doc || !canvas.current) return;
    let task: { cancel(): void } | undefined;
    let live = true;
    setDrawn(0);
    void doc.getPage(page).then((p) => {
      if (!live) return;
      const viewport = p.getViewport({ scale: 1.4 });
      const c = canvas.current!;
      c.width = viewport.width;
      c.height = viewport.height;
      const r = p.render({ canvasContext: c.getContext('2d')!, viewport });
      task = r;
      // The status names the page only once it is on the canvas (tests and screen readers
      // rely on that); a cancelled render says nothing.
      return r.promise.then(
        () => live && setDrawn(page),
        () => undefined,
      );
    });
    return () => {
      live = false;
      task?.cancel();
    };
  }, [doc, page]);
  if (failed) return <p role="alert">{failed}</p>;
  if (!doc) return <p role="status">{t('preview.loading')}</p>;
  return (
    <div className="pdf">
      <div className="pager">
        <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          {t('preview.previous')}
        </button>
        <span role="status">
          {drawn === page ? t('preview.page', { page, pages: doc.numPages }) : t('preview.loading')}
        </span>
        <button type="button" disabled={page >= doc.numPages} onClick={() => setPage(page + 1)}>
          {t('preview.next')}
        </button>
      </div>
      <canvas ref={canvas} aria-label={t('preview.page', { page, pages: doc.numPages })} />
    </div>
  );
}

/** A preview in a modal dialog; Escape or the button closes it and focus goes back. */
export function Preview({
  bucket,
  fileKey,
  name,
  onClose,
}: {
  bucket: string;
  fileKey: string;
  name: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<PreviewView | null>(null);
  const [error, setError] = useState('');
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const back = document.activeElement as HTMLElement | null;
    close.current?.focus();
    let live = true;
    api.preview(bucket, fileKey).then(
      (v) => live && setView(v),
      (err: unknown) => live && setError(describeError(err, i18n.language)),
    );
    return () => {
      live = false;
      back?.focus();
    };
  }, [bucket, fileKey, i18n.language]);
  let body: React.ReactNode = <p role="status">{t('preview.loading')}</p>;
  if (error)
    body = (
      <p role="alert" className="error">
        {error}
      </p>
    );
  else if (view?.kind === 'image')
    body = <img src={`data:${view.mime};base64,${view.data}`} alt={name} />;
  else if (view?.kind === 'text')
    body = (
      <>
        <p className="hint">
          {t('preview.encoding', { encoding: view.encoding })}
          {view.truncated &&
            ` · ${t('preview.truncated', { shown: formatBytes(256 * 1024), size: formatBytes(view.size) })}`}
        </p>
        <pre tabIndex={0}>{view.text}</pre>
      </>
    );
  else if (view?.kind === 'pdf') body = <PdfPages data={view.data} />;
  else if (view?.kind === 'tooLarge')
    body = (
      <p>
        {t('preview.tooLarge', { size: formatBytes(view.size), limit: formatBytes(view.limit) })}
      </p>
    );
  else if (view?.kind === 'unsupported') body = <p>{t('preview.unsupported')}</p>;
  return (
    <div
      className="backdrop"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-label={t('preview.title', { name })}
        className="preview"
      >
        <header>
          <h2>{name}</h2>
          <button ref={close} type="button" onClick={onClose}>
            {t('preview.close')}
          </button>
        </header>
        <div className="preview-body" tabIndex={0}>
          {body}
        </div>
      </div>
    </div>
  );
}

/**
 * A PDF drawn page by page with pdf.js, loaded only when a PDF is opened (its own chunk). The
 * status names the page only once pdf.js has drawn it (tests and screen readers rely on that).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

const base64ToBytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

export function PdfPages({ data }: { data: string }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [doc, setDoc] = useState<import('pdfjs-dist').PDFDocumentProxy | null>(null);
  const [page, setPage] = useState(1);
  /** The page the canvas shows, set only once pdf.js has finished drawing it. */
  const [drawn, setDrawn] = useState(0);
  const [failed, setFailed] = useState(false);
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
        // pdf.js's own words ("Invalid PDF structure") are not for people.
        console.warn('pdf.js could not read the PDF', err);
        if (!cancelled) setFailed(true);
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
  if (failed) return <p role="alert">{t('quickLook.pdfFailed')}</p>;
  if (!doc) return <p role="status">{t('preview.loading')}</p>;
  return (
    <div className="pdf" tabIndex={0}>
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

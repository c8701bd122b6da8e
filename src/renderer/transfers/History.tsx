import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../shared/format';
import type { ReceiptView } from '../../shared/ipc';
import { api } from '../api';
import { FormError } from '../Field';
import { useAction } from '../useAction';
import { FileIcon, FolderIcon } from './icons';

/**
 * The verified downloads from the log, newest first: a file or a whole folder per entry, under
 * the name it was saved as, with what it was checked against; exported as CSV or JSON.
 */
export function History({ finished }: { finished: number }) {
  const { t, i18n } = useTranslation();
  const [receipts, setReceipts] = useState<ReceiptView[] | null>(null);
  const [status, setStatus] = useState('');
  const { error, run } = useAction();
  // Read again whenever another download finishes while the tab is open.
  useEffect(() => {
    void run(() => api.receipts()).then((list) => setReceipts(list ?? []));
  }, [run, finished]);
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const exportAs = (format: 'csv' | 'json') =>
    void run(async () => {
      if (await api.exportReceipts(format)) setStatus(t('transfers.exported'));
    });
  return (
    <section className="transfer-history" aria-label={t('transfers.history')}>
      <div className="history-actions">
        <button
          type="button"
          className="tx-quiet"
          onClick={() => exportAs('csv')}
          disabled={!receipts?.length}
        >
          {t('transfers.exportCsv')}
        </button>
        <button
          type="button"
          className="tx-quiet"
          onClick={() => exportAs('json')}
          disabled={!receipts?.length}
        >
          {t('transfers.exportJson')}
        </button>
        <span role="status">{status}</span>
      </div>
      <FormError message={error} />
      {receipts && receipts.length === 0 && (
        <p className="tx-empty">{t('transfers.historyEmpty')}</p>
      )}
      {receipts && receipts.length > 0 && (
        <ul className="tx-receipts">
          {receipts.map((r) => (
            <li key={r.id}>
              <span className="tx-kind">{r.kind === 'folder' ? <FolderIcon /> : <FileIcon />}</span>
              <span className="tx-name" title={`s3://${r.bucket}/${r.key}`}>
                {r.savedAs ?? r.name}
              </span>
              <span className="tx-when">{date.format(new Date(r.time))}</span>
              <span className="tx-size">{formatBytes(r.size)}</span>
              <span className="tx-checksum" title={r.checksum ?? ''}>
                {r.kind === 'folder'
                  ? t('transfers.count', { count: r.files ?? 0 })
                  : r.checksum
                    ? t('transfers.verified', { checksum: r.checksum.split(' ')[0] })
                    : t('transfers.sizeOnly')}
              </span>
              <button
                type="button"
                className="tx-quiet"
                onClick={() => void run(() => api.showReceipt(r.id))}
              >
                {t('transfers.show')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../shared/format';
import type { ReceiptView, TransferView } from '../../shared/ipc';
import { describeError } from '../errors';
import { api } from '../api';

/** "1 h 2 min", "3 min 5 s", "12 s". */
export function formatDuration(seconds: number, lang: string): string {
  const ja = lang.startsWith('ja');
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const unit = (n: number, en: string, jp: string) => (ja ? `${n}${jp}` : `${n} ${en}`);
  if (h) return `${unit(h, 'h', '時間')} ${unit(m, 'min', '分')}`;
  if (m) return `${unit(m, 'min', '分')} ${unit(s, 's', '秒')}`;
  return unit(s, 's', '秒');
}

function TransferRow({ x }: { x: TransferView }) {
  const { t, i18n } = useTranslation();
  type Method =
    | 'dragTransfer'
    | 'prioritizeTransfer'
    | 'pauseTransfer'
    | 'resumeTransfer'
    | 'retryTransfer'
    | 'showTransfer'
    | 'cancelTransfer';
  const act = (m: Method) => () => void api[m](x.id).catch(() => undefined);
  const total = x.bytesTotal;
  const draggable = x.kind === 'file' && x.state === 'done';
  return (
    <li
      className={`transfer ${x.state}`}
      draggable={draggable}
      title={draggable ? t('transfers.dragHint') : undefined}
      onDragStart={(e) => {
        // Main hands the OS the finished file; the page drags nothing itself.
        e.preventDefault();
        act('dragTransfer')();
      }}
    >
      <span className="name">
        {x.kind === 'folder' ? '📁 ' : ''}
        {x.name}
      </span>
      <progress
        aria-label={x.name}
        max={total || 1}
        value={x.state === 'done' ? total || 1 : Math.min(x.bytesDone, total ?? x.bytesDone)}
      />
      <span className="state">{t(`transfers.${x.state}`)}</span>
      <span className="numbers">
        {formatBytes(x.bytesDone)}
        {total !== undefined && ` / ${formatBytes(total)}`}
        {x.filesTotal !== undefined &&
          ` · ${t('transfers.files', { done: x.filesDone ?? 0, total: x.filesTotal })}`}
        {x.listing && ` · ${t('transfers.listing')}`}
        {x.speed !== undefined && ` · ${t('transfers.speed', { speed: formatBytes(x.speed) })}`}
        {x.secondsLeft !== undefined &&
          ` · ${t('transfers.left', { time: formatDuration(x.secondsLeft, i18n.language) })}`}
      </span>
      {x.skipped.length > 0 && (
        <span title={x.skipped.map((s) => `${s.key}: ${s.reason}`).join('\n')}>
          {t('transfers.skipped', { count: x.skipped.length })}
        </span>
      )}
      {x.error && (
        <span role="alert" className="error">
          {describeError({ view: x.error }, i18n.language)}
        </span>
      )}
      <span className="actions">
        {x.state === 'queued' && (
          <button type="button" onClick={act('prioritizeTransfer')}>
            {t('transfers.first')}
          </button>
        )}
        {(x.state === 'running' || x.state === 'queued') && (
          <button type="button" onClick={act('pauseTransfer')}>
            {t('transfers.pause')}
          </button>
        )}
        {x.state === 'paused' && (
          <button type="button" onClick={act('resumeTransfer')}>
            {t('transfers.resume')}
          </button>
        )}
        {(x.state === 'failed' || x.state === 'cancelled') && (
          <button type="button" onClick={act('retryTransfer')}>
            {t('transfers.retry')}
          </button>
        )}
        {x.state === 'done' && (
          <button type="button" onClick={act('showTransfer')}>
            {t('transfers.show')}
          </button>
        )}
        {(x.state === 'running' || x.state === 'queued' || x.state === 'paused') && (
          <button type="button" onClick={act('cancelTransfer')}>
            {t('transfers.cancel')}
          </button>
        )}
      </span>
    </li>
  );
}

function History() {
  const { t, i18n } = useTranslation();
  const [receipts, setReceipts] = useState<ReceiptView[] | null>(null);
  const [status, setStatus] = useState('');
  useEffect(() => {
    void api.receipts().then(setReceipts, () => setReceipts([]));
  }, []);
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const exportAs = (format: 'csv' | 'json') =>
    void api.exportReceipts(format).then((saved) => saved && setStatus(t('transfers.exported')));
  if (!receipts) return null;
  return (
    <section className="history" aria-label={t('transfers.history')}>
      <div className="actions">
        <button type="button" onClick={() => exportAs('csv')} disabled={!receipts.length}>
          {t('transfers.exportCsv')}
        </button>
        <button type="button" onClick={() => exportAs('json')} disabled={!receipts.length}>
          {t('transfers.exportJson')}
        </button>
        <span role="status">{status}</span>
      </div>
      {receipts.length === 0 ? (
        <p>{t('transfers.historyEmpty')}</p>
      ) : (
        <ul>
          {receipts.map((r) => (
            <li key={r.id}>
              <span className="name" title={`s3://${r.bucket}/${r.key}`}>
                {r.name}
              </span>
              <span>{date.format(new Date(r.time))}</span>
              <span>{formatBytes(r.size)}</span>
              <span className="checksum" title={r.checksum ?? ''}>
                {r.checksum
                  ? t('transfers.verified', { checksum: r.checksum.split(' ')[0] })
                  : t('transfers.sizeOnly')}
              </span>
              <button
                type="button"
                onClick={() => void api.showReceipt(r.id).catch(() => undefined)}
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

export function Transfers({ transfers }: { transfers: TransferView[] }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'now' | 'history'>('now');
  return (
    <aside className="transfers" aria-label={t('transfers.title')}>
      <div role="tablist" className="tabs">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'now'}
          onClick={() => setTab('now')}
        >
          {t('transfers.title')}
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'history'}
          onClick={() => setTab('history')}
        >
          {t('transfers.history')}
        </button>
      </div>
      {tab === 'now' ? (
        <ul>
          {transfers.map((x) => (
            <TransferRow key={x.id} x={x} />
          ))}
        </ul>
      ) : (
        <History />
      )}
    </aside>
  );
}

import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActiveFileView, SkippedItem, TransferView } from '../../shared/ipc';
import {
  percentOf,
  rowState,
  skippedFailed,
  skippedText,
  statusLine,
  type Translate,
} from './format';
import { ChevronIcon, FileIcon, FolderIcon, StateIcon } from './icons';
import { ProgressBar } from './ProgressBar';

/** The transfer methods a row calls, by id (the drawer runs them through its one error path). */
export type TransferAction =
  | 'dragTransfer'
  | 'prioritizeTransfer'
  | 'pauseTransfer'
  | 'resumeTransfer'
  | 'retryTransfer'
  | 'showTransfer'
  | 'openTransfer'
  | 'cancelTransfer';

/** One download: its name, what it is doing now, its progress and what can be done with it. */
export function TransferRow(p: {
  x: TransferView;
  now: number;
  act: (method: TransferAction, id: string) => void;
}) {
  const { x, now, act } = p;
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const filesId = useId();
  const state = rowState(x);
  const percent = percentOf(x);
  const name = x.savedAs ?? x.name;
  const draggable = x.kind === 'file' && x.state === 'done';
  const failedFiles = x.skipped.filter(skippedFailed);
  const unsafe = x.skipped.filter((s) => !skippedFailed(s));
  const active = x.active ?? [];
  const expandable = x.kind === 'folder' && (active.length > 0 || x.skipped.length > 0);
  const button = (method: TransferAction, label: string, title?: string) => (
    <button type="button" className="tx-quiet" title={title} onClick={() => act(method, x.id)}>
      {label}
    </button>
  );
  return (
    <li
      className={`tx-row ${state}`}
      draggable={draggable}
      title={draggable ? t('transfers.dragHint') : undefined}
      onDragStart={(e) => {
        // Main hands the OS the finished file; the page drags nothing itself.
        e.preventDefault();
        act('dragTransfer', x.id);
      }}
    >
      <span className="tx-kind">{x.kind === 'folder' ? <FolderIcon /> : <FileIcon />}</span>
      <div className="tx-main">
        <div className="tx-line">
          {expandable && (
            <button
              type="button"
              className="tx-disclose"
              aria-expanded={open}
              aria-controls={filesId}
              aria-label={open ? t('transfers.hideFiles') : t('transfers.showFiles')}
              title={open ? t('transfers.hideFiles') : t('transfers.showFiles')}
              onClick={() => setOpen(!open)}
            >
              <ChevronIcon open={open} />
            </button>
          )}
          <span className="tx-name" title={`s3://${x.bucket}/${x.key}`}>
            {name}
          </span>
          {expandable && <span className="tx-counts">{folderCounts(x, t)}</span>}
        </div>
        <div className="tx-status">
          <StateIcon state={state} />
          <span className={x.state === 'failed' ? 'tx-text error' : 'tx-text'}>
            {statusLine(x, t, i18n.language, now)}
          </span>
        </div>
        {(x.state === 'running' || x.state === 'queued' || x.state === 'paused') && (
          <ProgressBar
            label={name}
            // Only a running download is drawn as busy while its total is unknown.
            percent={x.state === 'running' ? percent : (percent ?? 0)}
            valueText={t('transfers.percent', { percent: percent ?? 0 })}
            tone={state === 'running' ? 'on' : 'held'}
          />
        )}
        {expandable && open && (
          <ul id={filesId} className="folder-files" aria-label={t('transfers.filesOf', { name })}>
            {active.map((f) => (
              <ActiveFile key={f.key} f={f} now={now} />
            ))}
            {failedFiles.map((s) => (
              <Skipped
                key={s.key}
                s={s}
                prefix={x.key}
                text={skippedText(s, t, i18n.language)}
                error
              />
            ))}
            {unsafe.map((s) => (
              <Skipped key={s.key} s={s} prefix={x.key} text={skippedText(s, t, i18n.language)} />
            ))}
          </ul>
        )}
      </div>
      <span className="tx-actions">
        {x.state === 'queued' && button('prioritizeTransfer', t('transfers.first'))}
        {(x.state === 'running' || x.state === 'queued') &&
          button('pauseTransfer', t('transfers.pause'))}
        {x.state === 'paused' && button('resumeTransfer', t('transfers.resume'))}
        {(x.state === 'failed' || x.state === 'cancelled') &&
          button('retryTransfer', t('transfers.retry'))}
        {x.openable && button('openTransfer', t('transfers.open'), t('transfers.openHint'))}
        {x.state === 'done' && button('showTransfer', t('transfers.show'))}
        {(x.state === 'running' || x.state === 'queued' || x.state === 'paused') &&
          button('cancelTransfer', t('transfers.cancel'))}
      </span>
    </li>
  );
}

/** "2 in progress · 1 failed · 3 skipped" beside a folder's name. */
function folderCounts(x: TransferView, t: Translate): string {
  const failed = x.skipped.filter(skippedFailed).length;
  const skipped = x.skipped.length - failed;
  return [
    x.active?.length ? t('transfers.inFlight', { count: x.active.length }) : '',
    failed ? t('transfers.failedFiles', { count: failed }) : '',
    skipped ? t('transfers.skippedFiles', { count: skipped }) : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function ActiveFile({ f, now }: { f: ActiveFileView; now: number }) {
  const { t, i18n } = useTranslation();
  // A file in flight reads like a small transfer of its own.
  const line = statusLine(
    {
      id: f.key,
      bucket: '',
      key: f.key,
      name: f.path,
      kind: 'file',
      state: 'running',
      bytesDone: f.bytesDone,
      bytesTotal: f.bytesTotal,
      skipped: [],
      ...(f.retry ? { retry: f.retry } : {}),
    },
    t,
    i18n.language,
    now,
  );
  return (
    <li className={f.retry ? 'retrying' : 'running'}>
      <span className="tx-path" title={f.key}>
        {f.path}
      </span>
      <span className="tx-text">{line}</span>
    </li>
  );
}

function Skipped(p: { s: SkippedItem; prefix: string; text: string; error?: boolean }) {
  const { s, text, error } = p;
  return (
    <li className={error ? 'failed' : 'skipped'}>
      <span className="tx-path" title={s.key}>
        {s.key.startsWith(p.prefix) ? s.key.slice(p.prefix.length) : s.key}
      </span>
      <span className={error ? 'tx-text error' : 'tx-text'}>{text}</span>
    </li>
  );
}

/**
 * The status bar's downloads button: "2 downloading · 45 %" while downloads run, a quiet
 * "Downloads" otherwise; it opens the downloads panel. A thin stand-in: the transfers engineer's
 * version replaces this file at merge, with the same props.
 */
import { useTranslation } from 'react-i18next';
import type { TransferView } from '../../shared/ipc';
import { DownloadIcon } from '../browser/icons';

export function TransfersBadge(p: { transfers: TransferView[]; onOpen: () => void }) {
  const { t } = useTranslation();
  const running = p.transfers.filter((x) => x.state === 'running' || x.state === 'queued');
  const total = running.reduce((n, x) => n + (x.bytesTotal ?? 0), 0);
  const done = running.reduce((n, x) => n + x.bytesDone, 0);
  const percent = total ? Math.floor((100 * done) / total) : 0;
  return (
    <button type="button" className={`badge${running.length ? ' busy' : ''}`} onClick={p.onOpen}>
      <DownloadIcon />
      {running.length
        ? t('status.badgeRunning', { count: running.length, percent })
        : t('status.badgeIdle')}
    </button>
  );
}

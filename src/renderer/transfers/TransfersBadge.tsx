import { useTranslation } from 'react-i18next';
import type { TransferView } from '../../shared/ipc';
import { badgeSummary } from './format';
import { DownloadsIcon } from './icons';
import './transfers.css';

/**
 * The status bar's transfers button: "2 downloading · 45 %", "Retrying…", "3 done", or just
 * "Downloads" when nothing is under way. It opens the drawer.
 */
export function TransfersBadge(p: { transfers: TransferView[]; onOpen: () => void }) {
  const { t } = useTranslation();
  const s = badgeSummary(p.transfers, t);
  const label = t('transfers.badge.label');
  return (
    <button
      type="button"
      className={`transfers-badge${s.busy ? ' busy' : ''}${s.failed ? ' failed' : ''}${s.idle ? ' idle' : ''}`}
      onClick={p.onOpen}
      title={s.text ? `${label}: ${s.text}` : label}
    >
      <DownloadsIcon />
      {s.text ? (
        <>
          <span className="tx-sr-only">{label}: </span>
          <span>{s.text}</span>
        </>
      ) : (
        <span>{label}</span>
      )}
      {s.percent !== undefined && (
        <span className="badge-meter" aria-hidden="true">
          <span style={{ width: `${s.percent}%` }} />
        </span>
      )}
    </button>
  );
}

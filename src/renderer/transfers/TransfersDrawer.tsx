/**
 * The downloads panel's content (Downloads / History). A thin stand-in around today's
 * screens/Transfers.tsx: the transfers engineer's version (issue #11, the transfers half)
 * replaces this file at merge, with the same props.
 */
import { useTranslation } from 'react-i18next';
import type { TransferView } from '../../shared/ipc';
import { CloseIcon } from '../browser/icons';
import { Transfers } from '../screens/Transfers';

export function TransfersDrawer(p: { transfers: TransferView[]; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="drawer-content">
      <button
        type="button"
        className="icon-button drawer-close"
        aria-label={t('drawer.close')}
        title={t('drawer.close')}
        onClick={p.onClose}
      >
        <CloseIcon />
      </button>
      <Transfers transfers={p.transfers} />
    </div>
  );
}

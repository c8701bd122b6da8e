/** The status bar's network item: Online, or Offline — waiting for the network (since when). */
import { useTranslation } from 'react-i18next';
import './network.css';
import './strings';
import { useNetwork } from './useNetwork';

export function NetworkStatus() {
  const { t, i18n } = useTranslation();
  const [view] = useNetwork();
  if (!view) return null;
  const since =
    !view.online && view.offlineSince
      ? new Date(view.offlineSince).toLocaleTimeString(i18n.language)
      : '';
  return (
    <span
      className={view.online ? 'network-status online' : 'network-status offline'}
      role="status"
      aria-label={t('network.settings')}
      title={since ? t('network.offlineSince', { time: since }) : undefined}
    >
      <span className="network-dot" aria-hidden="true" />
      {view.online ? t('network.statusOnline') : t('network.statusOffline')}
    </span>
  );
}

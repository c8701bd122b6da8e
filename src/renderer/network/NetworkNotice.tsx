/**
 * What the window says about the network, near the top: offline (downloads wait and go on by
 * themselves), and a clock far off (Kura corrects for it; the user should set it right).
 */
import { useTranslation } from 'react-i18next';
import './network.css';
import './strings';
import { skewWords, useNetwork } from './useNetwork';

export function NetworkNotice() {
  const { t } = useTranslation();
  const [view] = useNetwork();
  if (!view) return null;
  const skew = view.clockSkewSeconds !== undefined ? skewWords(view.clockSkewSeconds) : null;
  return (
    <>
      {!view.online && (
        <div className="network-notice offline" role="alert">
          <span className="network-dot" aria-hidden="true" />
          <span>{t('network.offline')}</span>
        </div>
      )}
      {skew && (
        <div className="network-notice clock" role="status">
          <span>{t(`network.${skew.key}`, { minutes: skew.minutes })}</span>
        </div>
      )}
    </>
  );
}

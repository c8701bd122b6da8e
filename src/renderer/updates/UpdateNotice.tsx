/**
 * "Restart to update": shown once a new version is downloaded and verified. A restart asked for
 * while downloads run waits for them (main holds it back), and the notice says so. Nothing is
 * shown for a check that failed: main retries by itself (UpdateSettings shows the last result).
 */
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useAction } from '../useAction';
import './strings';
import './updates.css';
import { useUpdates } from './useUpdates';

export function UpdateNotice() {
  const { t } = useTranslation();
  const [view, setView] = useUpdates();
  const { busy, error, run } = useAction();
  if (!view || view.status !== 'ready' || !view.version) return null;
  const restart = async () => {
    const v = await run(() => api.restartToUpdate());
    if (v) setView(v);
  };
  return (
    <div className="update-notice" role="status">
      <span>
        {view.restartPending
          ? t('updates.pending', { version: view.version })
          : t('updates.ready', { version: view.version })}
      </span>
      {!view.restartPending && (
        <button type="button" disabled={busy} onClick={() => void restart()}>
          {t('updates.restart')}
        </button>
      )}
      {error && <span className="update-error">{error}</span>}
    </div>
  );
}

/** The update setting: checks on or off, "Check now", and what the last check found. */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/errors';
import type { UpdateView } from '../../shared/ipc';
import { api } from '../api';
import { useAction } from '../useAction';
import './strings';
import './updates.css';
import { useUpdates } from './useUpdates';

function statusText(view: UpdateView, t: TFunction, lang: 'en' | 'ja') {
  if (!view.checks) return t('updates.off');
  switch (view.status) {
    case 'unavailable':
      return t('updates.unavailable');
    case 'checking':
      return t('updates.checking');
    case 'downloading':
      return t('updates.downloading', { version: view.version, percent: view.percent ?? 0 });
    case 'ready':
      return t('updates.ready', { version: view.version });
    case 'upToDate':
      return t('updates.upToDate');
    case 'failed':
      return t('updates.failed', {
        message: view.error ? errorMessage(view.error, lang) : '',
      });
    default:
      return '';
  }
}

export function UpdateSettings() {
  const { t, i18n } = useTranslation();
  const [view, setView] = useUpdates();
  const { busy, error, run } = useAction();
  if (!view) return null;
  const lang = i18n.language === 'ja' ? 'ja' : 'en';
  const apply = async (action: () => Promise<UpdateView>) => {
    const v = await run(action);
    if (v) setView(v);
  };
  return (
    <details className="settings-section compact-buttons update-settings">
      <summary>{t('updates.settings')}</summary>
      <label>
        <input
          type="checkbox"
          checked={view.checks}
          disabled={busy}
          onChange={(e) => {
            // Shown at once (a controlled checkbox would spring back until main answers).
            const checks = e.currentTarget.checked;
            setView({ ...view, checks });
            void apply(() => api.setUpdateChecks(checks));
          }}
        />
        {t('updates.checks')}
      </label>
      {view.currentVersion && (
        <p className="muted-note update-muted">
          {t('updates.current', { version: view.currentVersion })}
        </p>
      )}
      <p className="muted-note update-muted" role="status">
        {statusText(view, t, lang)}
      </p>
      {view.checks && view.status !== 'unavailable' && (
        <button
          type="button"
          disabled={busy || view.status === 'checking' || view.status === 'downloading'}
          onClick={() => void apply(() => api.checkForUpdates())}
        >
          {t('updates.checkNow')}
        </button>
      )}
      {error && <p className="error">{error}</p>}
    </details>
  );
}

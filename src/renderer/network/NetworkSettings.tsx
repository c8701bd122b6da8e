/**
 * The proxy setting: this computer's settings (the default; PAC included), no proxy, or a proxy
 * given here with the hosts that bypass it. Says when the environment or a PAC file decides.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProxySettingsView } from '../../shared/ipc';
import { api } from '../api';
import { useAction } from '../useAction';
import './network.css';
import './strings';
import { useNetwork } from './useNetwork';

export function NetworkSettings() {
  const { t } = useTranslation();
  const [view, setView] = useNetwork();
  const [mode, setMode] = useState<ProxySettingsView['mode']>('system');
  const [url, setUrl] = useState('');
  const [bypass, setBypass] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const proxy = view?.proxy;
  // The form follows the saved setting when it changes, not on every network event (a view
  // arrives whenever the network goes or comes back): what the user is typing stays.
  const { mode: savedMode, url: savedUrl, bypass: savedBypass } = proxy ?? {};
  useEffect(() => {
    if (!savedMode) return;
    setMode(savedMode);
    setUrl(savedUrl ?? '');
    setBypass(savedBypass ?? '');
  }, [savedMode, savedUrl, savedBypass]);
  if (!view || !proxy) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const v = await run(() => api.setProxySettings(mode, url, bypass));
    if (v) {
      setView(v);
      setSaved(true);
    }
  };
  return (
    <details className="settings-section compact-buttons network-settings">
      <summary>{t('network.settings')}</summary>
      <form onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>{t('network.proxy')}</legend>
          {(['system', 'direct', 'manual'] as const).map((m) => (
            <label key={m} className="network-choice">
              <input
                type="radio"
                name="proxy-mode"
                value={m}
                checked={mode === m}
                onChange={() => setMode(m)}
              />
              {t(`network.mode${m[0]!.toUpperCase()}${m.slice(1)}`)}
            </label>
          ))}
          {mode === 'manual' && (
            <>
              <label>
                {t('network.proxyUrl')}
                <input
                  value={url}
                  placeholder="http://proxy.example.co.jp:8080"
                  onChange={(e) => setUrl(e.target.value)}
                  required
                />
              </label>
              <label>
                {t('network.bypass')}
                <input
                  value={bypass}
                  placeholder="localhost, .intra.example.co.jp"
                  onChange={(e) => setBypass(e.target.value)}
                />
              </label>
            </>
          )}
        </fieldset>
        {mode === 'system' && proxy.source === 'environment' && (
          <p className="muted-note">{t('network.sourceEnvironment')}</p>
        )}
        {mode === 'system' && proxy.source === 'pac' && (
          <p className="muted-note">{t('network.sourcePac')}</p>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {saved && !error && <p role="status">{t('network.saved')}</p>}
        <button type="submit" className="primary" disabled={busy}>
          {t('network.save')}
        </button>
      </form>
    </details>
  );
}

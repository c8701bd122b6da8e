/**
 * A proxy asks for a user name and password (main holds the request meanwhile): asked once, in
 * the window; main keeps the answer in the keychain, so it is not asked again.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useAction } from '../useAction';
import './network.css';
import './strings';
import { useNetwork } from './useNetwork';

export function ProxyAuthDialog() {
  const { t } = useTranslation();
  const [view] = useNetwork();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const first = useRef<HTMLInputElement>(null);
  const q = view?.proxyAuth;
  useEffect(() => {
    if (q) first.current?.focus();
    setPassword('');
  }, [q]);
  if (!q) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(() => api.answerProxyAuth(username.trim(), password));
  };
  return (
    <div className="network-backdrop">
      <form
        className="network-dialog compact-buttons"
        role="dialog"
        aria-modal="true"
        aria-labelledby="proxy-auth-title"
        onSubmit={(e) => void submit(e)}
      >
        <h2 id="proxy-auth-title">{t('network.proxyTitle')}</h2>
        <p>{t('network.proxyAsks', { proxy: q.proxy })}</p>
        {q.realm && <p className="muted-note">{t('network.proxyRealm', { realm: q.realm })}</p>}
        {q.retry && (
          <p className="error" role="alert">
            {t('network.proxyRetry')}
          </p>
        )}
        <label>
          {t('network.proxyUser')}
          <input
            ref={first}
            value={username}
            autoComplete="username"
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label>
          {t('network.proxyPassword')}
          <input
            type="password"
            value={password}
            autoComplete="current-password"
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <p className="muted-note">{t('network.proxyKept')}</p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="network-actions">
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => api.cancelProxyAuth())}
          >
            {t('network.proxyCancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || !username || !password}>
            {t('network.proxySend')}
          </button>
        </div>
      </form>
    </div>
  );
}

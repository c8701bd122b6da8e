/**
 * "Sign in with <provider>": one button per sign-in the connection profile offers through the
 * organisation (managed login). Main opens the system browser; while the browser is open this
 * says so and offers Cancel (main then stops listening and keeps nothing). Nothing shows when the
 * profile offers only a password.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView, SignInOptionsView } from '../../shared/ipc';
import { api } from '../api';
import { describeError } from '../errors';
import { FormError } from '../Field';
import { useAction } from '../useAction';
import './strings';
import './managedLogin.css';
import { useSessionView } from './useSessionView';

const cancelled = (err: unknown) =>
  (err as { view?: { code?: string } }).view?.code === 'CANCELLED';

export function BrowserSignIn({ onSession }: { onSession: (v: SessionView) => void }) {
  const { t, i18n } = useTranslation();
  const [options, setOptions] = useState<SignInOptionsView | null>(null);
  const session = useSessionView();
  const { error, run, setError } = useAction();
  useEffect(() => {
    let live = true;
    void run(() => api.signInOptions()).then((o) => live && o && setOptions(o));
    return () => {
      live = false;
    };
  }, [run]);
  if (!options?.providers.length) return null;
  const waiting = session?.status === 'signedOut' ? session.browserSignIn : undefined;

  const start = async (id: string) => {
    setError(null);
    try {
      onSession(await api.signInWithBrowser(id));
    } catch (err) {
      // Cancel is the person's own choice: nothing to say.
      if (!cancelled(err)) setError(describeError(err, i18n.language));
    }
  };
  return (
    <section className="browser-sign-in" aria-label={t('managedLogin.or')}>
      <p className="browser-sign-in-or">{t('managedLogin.or')}</p>
      {waiting ? (
        <div className="browser-sign-in-waiting" role="status">
          <p>{t('managedLogin.waiting', { label: waiting.label })}</p>
          <button type="button" onClick={() => void run(() => api.cancelBrowserSignIn())}>
            {t('managedLogin.cancel')}
          </button>
        </div>
      ) : (
        options.providers.map((p) => (
          <button
            key={p.id}
            type="button"
            className="browser-sign-in-button"
            onClick={() => void start(p.id)}
          >
            {t('managedLogin.with', { label: p.label })}
          </button>
        ))
      )}
      <FormError message={error} />
    </section>
  );
}

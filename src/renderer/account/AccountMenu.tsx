/**
 * The account menu: who is signed in (and how), two-step verification — add or remove the
 * authenticator app — and signing out: here, everywhere, and for a sign-in through the
 * organisation, out of its sign-in page in the browser too.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthenticatorView, SessionView } from '../../shared/ipc';
import { api } from '../api';
import { ChevronDownIcon, PersonIcon } from '../browser/icons';
import { FormError } from '../Field';
import '../managedLogin/strings';
import { EnrolmentPanel } from '../mfa/EnrolmentPanel';
import { useAction } from '../useAction';
import './account.css';

export function AccountMenu({
  view,
  onSession,
}: {
  view: Extract<SessionView, { status: 'signedIn' }>;
  onSession: (v: SessionView) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [mfa, setMfa] = useState<AuthenticatorView | null>(null);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [alsoBrowser, setAlsoBrowser] = useState(false);
  const { busy, error, run } = useAction();
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    void run(() => api.authenticator()).then((a) => live && a && setMfa(a));
    return () => {
      live = false;
    };
  }, [open, run]);

  const close = () => {
    setOpen(false);
    setAdding(false);
    setNotice(null);
    button.current?.focus();
  };
  const signOut = async (everywhere: boolean) => {
    const v = await run(() =>
      view.managedLogin && alsoBrowser
        ? api.signOutWithBrowser(everywhere)
        : api.signOut(everywhere),
    );
    if (v) onSession(v);
  };
  const remove = async () => {
    setNotice(null);
    const a = await run(() => api.removeAuthenticator());
    if (a) {
      setMfa(a);
      setNotice(t('account.removed'));
    }
  };

  return (
    <div className="account-menu">
      <button
        ref={button}
        type="button"
        className="command"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => (open ? close() : setOpen(true))}
      >
        <PersonIcon />
        {t('account.menu')}
        <ChevronDownIcon className="small" />
      </button>
      {open && (
        <div
          className="account-panel"
          role="dialog"
          aria-label={t('account.menu')}
          onKeyDown={(e) => e.key === 'Escape' && close()}
        >
          <p className="account-who">
            {t('account.signedInAs', { email: view.email })}
            {view.managedLogin && <span> — {t('account.viaOrganisation')}</span>}
          </p>
          <h2>{t('account.mfa')}</h2>
          {mfa && (
            <p role="status">
              {!mfa.available
                ? t('account.mfaElsewhere')
                : mfa.enabled
                  ? t('account.mfaOn')
                  : t('account.mfaOff')}
            </p>
          )}
          {notice && <p role="status">{notice}</p>}
          {mfa?.available && !adding && (
            <button
              type="button"
              disabled={busy}
              onClick={() => (mfa.enabled ? void remove() : (setNotice(null), setAdding(true)))}
            >
              {mfa.enabled ? t('account.remove') : t('account.add')}
            </button>
          )}
          {adding && (
            <EnrolmentPanel
              onVerified={() => {
                setAdding(false);
                setMfa({ available: true, enabled: true });
                setNotice(t('account.added'));
              }}
              actions={
                <button type="button" onClick={() => setAdding(false)}>
                  {t('account.cancelAdd')}
                </button>
              }
            />
          )}
          <FormError message={error} />
          <hr />
          {view.managedLogin && (
            <label className="account-also">
              <input
                type="checkbox"
                checked={alsoBrowser}
                onChange={(e) => setAlsoBrowser(e.currentTarget.checked)}
              />
              {t('account.alsoBrowser')}
            </label>
          )}
          <div className="account-sign-out">
            <button type="button" disabled={busy} onClick={() => void signOut(false)}>
              {t('account.signOut')}
            </button>
            <button type="button" disabled={busy} onClick={() => void signOut(true)}>
              {t('account.signOutEverywhere')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

/**
 * Adding an authenticator app: the QR code to scan (an SVG data URL main drew; the CSP allows
 * data: images), the secret to type in instead, and the app's first code. Used at sign-in (the
 * organisation requires MFA) and from the account menu.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/errors';
import type { MfaSetupView, SessionView } from '../../shared/ipc';
import { api } from '../api';
import { Field, FormError } from '../Field';
import '../managedLogin/strings';
import { codeProblem } from '../screens/authForm';
import { useAction } from '../useAction';
import './mfa.css';

export function EnrolmentPanel({
  onVerified,
  autoFocus = true,
  actions,
}: {
  onVerified: (v: SessionView) => void;
  autoFocus?: boolean;
  /** Extra buttons beside Verify (Back, Cancel). */
  actions?: React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const [setup, setSetup] = useState<MfaSetupView | null>(null);
  const [code, setCode] = useState('');
  const { busy, error, run, setError } = useAction();
  useEffect(() => {
    let live = true;
    void run(() => api.mfaSetupBegin()).then((v) => live && v && setSetup(v));
    return () => {
      live = false;
    };
  }, [run]);
  const verify = async (e?: FormEvent) => {
    e?.preventDefault();
    const problem = codeProblem(code);
    if (problem)
      return setError(errorMessage({ code: problem }, i18n.language === 'ja' ? 'ja' : 'en'));
    const v = await run(() => api.mfaSetupVerify(code.trim()));
    if (v) onVerified(v);
  };
  return (
    <div className="enrolment">
      {setup ? (
        <>
          <img
            className="enrolment-qr"
            src={setup.qr}
            alt={t('mfaSetup.qr')}
            width={200}
            height={200}
          />
          <p className="enrolment-account">{t('mfaSetup.account', { account: setup.account })}</p>
          <p className="enrolment-secret">
            <span>{t('mfaSetup.secret')}</span>{' '}
            <code data-testid="authenticator-secret">{setup.secret}</code>
          </p>
          <Field
            id="enrolment-code"
            label={t('mfaSetup.code')}
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void verify(e);
            }}
            autoFocus={autoFocus}
            required
          />
        </>
      ) : (
        !error && <p role="status">{t('mfaSetup.preparing')}</p>
      )}
      <FormError message={error} />
      <div className="enrolment-actions">
        {setup && (
          <button type="button" disabled={busy} onClick={() => void verify()}>
            {t('mfaSetup.submit')}
          </button>
        )}
        {actions}
      </div>
    </div>
  );
}

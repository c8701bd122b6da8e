import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/errors';
import type { SessionView } from '../../shared/ipc';
import { api } from '../api';
import { Field, FormError, NewPasswordFields } from '../Field';
import { useAction } from '../useAction';
import { AuthCard, AuthLinks } from './AuthCard';
import { codeProblem, useOrganisation } from './authForm';

type ChallengeView = Extract<SessionView, { status: 'challenge' }>;

/**
 * The sign-in steps after the password: a new password (first sign-in), a code from an app or
 * an SMS. Each focuses its first field, can go Back (main forgets the step), and an SMS code can
 * be sent again.
 */
export function Challenge({
  view,
  onSession,
}: {
  view: ChallengeView;
  onSession: (v: SessionView) => void;
}) {
  const { t, i18n } = useTranslation();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [attributes, setAttributes] = useState<Record<string, string>>({});
  const { busy, error, run, setError } = useAction();
  const organisation = useOrganisation(run);
  const lang = i18n.language === 'ja' ? 'ja' : 'en';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    if (view.challenge === 'newPassword') {
      if (!password || !repeat) return setError(t('newPassword.empty'));
      if (password !== repeat) return setError(t('newPassword.mismatch'));
    } else {
      const problem = codeProblem(code);
      if (problem) return setError(errorMessage({ code: problem }, lang));
    }
    const v = await run(() =>
      view.challenge === 'newPassword'
        ? api.completeNewPassword(password, attributes)
        : api.answerMfa(code.trim()),
    );
    if (v) onSession(v);
  };
  const back = async () => {
    const v = await run(() => api.cancelChallenge());
    if (v) onSession(v);
  };
  const resend = async () => {
    setNotice(null);
    const v = await run(() => api.resendCode());
    if (!v) return;
    onSession(v);
    setCode('');
    if (v.status === 'challenge' && v.challenge === 'mfa')
      setNotice(t('mfa.resent', { destination: v.destination ?? '' }));
  };
  const backLink = (
    <button type="button" className="link" onClick={() => void back()}>
      {t('signIn.back')}
    </button>
  );

  if (view.challenge === 'newPassword') {
    return (
      <AuthCard
        title={t('newPassword.title')}
        organisation={organisation}
        email={view.email}
        onSubmit={(e) => void submit(e)}
      >
        <p>{t('newPassword.intro')}</p>
        <NewPasswordFields
          password={password}
          repeat={repeat}
          onPassword={setPassword}
          onRepeat={setRepeat}
          autoFocus
          labels={{
            password: t('newPassword.password'),
            repeat: t('newPassword.repeat'),
            policy: t('newPassword.policy'),
          }}
        />
        {view.requiredAttributes.map((a) => {
          const name = a.replace(/^userAttributes\./, '');
          return (
            <Field
              key={name}
              id={`attr-${name}`}
              label={name}
              value={attributes[name] ?? ''}
              onChange={(e) => setAttributes({ ...attributes, [name]: e.target.value })}
              required
            />
          );
        })}
        <FormError message={error} />
        <button type="submit" disabled={busy}>
          {t('newPassword.submit')}
        </button>
        <AuthLinks>{backLink}</AuthLinks>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={t('mfa.title')}
      organisation={organisation}
      email={view.email}
      onSubmit={(e) => void submit(e)}
    >
      <p>
        {view.method === 'TOTP'
          ? t('mfa.totp')
          : t('mfa.sms', { destination: view.destination ?? '' })}
      </p>
      {notice && <p role="status">{notice}</p>}
      <Field
        id="mfa-code"
        label={t('mfa.code')}
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        autoFocus
        required
      />
      <FormError message={error} />
      <button type="submit" disabled={busy}>
        {t('mfa.submit')}
      </button>
      <AuthLinks>
        {backLink}
        {view.method === 'SMS' && (
          <button type="button" className="link" disabled={busy} onClick={() => void resend()}>
            {t('mfa.resend')}
          </button>
        )}
      </AuthLinks>
    </AuthCard>
  );
}

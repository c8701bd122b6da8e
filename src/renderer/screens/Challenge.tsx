import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/ipc';
import { Field, FormError, NewPasswordFields } from '../Field';
import { useAction } from '../useAction';
import { api } from '../api';

type ChallengeView = Extract<SessionView, { status: 'challenge' }>;

export function Challenge({
  view,
  onSession,
}: {
  view: ChallengeView;
  onSession: (v: SessionView) => void;
}) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [code, setCode] = useState('');
  const [attributes, setAttributes] = useState<Record<string, string>>({});
  const { busy, error, run, setError } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (view.challenge === 'newPassword' && password !== repeat) {
      setError(t('newPassword.mismatch'));
      return;
    }
    const v = await run(() =>
      view.challenge === 'newPassword'
        ? api.completeNewPassword(password, attributes)
        : api.answerMfa(code),
    );
    if (v) onSession(v);
  };

  if (view.challenge === 'newPassword') {
    return (
      <form className="card" onSubmit={(e) => void submit(e)}>
        <h1>{t('newPassword.title')}</h1>
        <p>{t('newPassword.intro')}</p>
        <NewPasswordFields
          password={password}
          repeat={repeat}
          onPassword={setPassword}
          onRepeat={setRepeat}
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
      </form>
    );
  }
  return (
    <form className="card" onSubmit={(e) => void submit(e)}>
      <h1>{t('mfa.title')}</h1>
      <p>
        {view.method === 'TOTP'
          ? t('mfa.totp')
          : t('mfa.sms', { destination: view.destination ?? '' })}
      </p>
      <Field
        id="mfa-code"
        label={t('mfa.code')}
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        required
      />
      <FormError message={error} />
      <button type="submit" disabled={busy}>
        {t('mfa.submit')}
      </button>
    </form>
  );
}

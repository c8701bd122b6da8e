import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/ipc';
import { useAction } from '../useAction';

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
        ? window.kura.completeNewPassword(password, attributes)
        : window.kura.answerMfa(code),
    );
    if (v) onSession(v);
  };

  if (view.challenge === 'newPassword') {
    return (
      <form className="card" onSubmit={(e) => void submit(e)}>
        <h1>{t('newPassword.title')}</h1>
        <p>{t('newPassword.intro')}</p>
        <label htmlFor="new-password">{t('newPassword.password')}</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <p className="hint">{t('newPassword.policy')}</p>
        <label htmlFor="repeat-password">{t('newPassword.repeat')}</label>
        <input
          id="repeat-password"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          required
        />
        {view.requiredAttributes.map((a) => {
          const name = a.replace(/^userAttributes\./, '');
          return (
            <div key={name}>
              <label htmlFor={`attr-${name}`}>{name}</label>
              <input
                id={`attr-${name}`}
                value={attributes[name] ?? ''}
                onChange={(e) => setAttributes({ ...attributes, [name]: e.target.value })}
                required
              />
            </div>
          );
        })}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
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
      <label htmlFor="mfa-code">{t('mfa.code')}</label>
      <input
        id="mfa-code"
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        required
      />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('mfa.submit')}
      </button>
    </form>
  );
}

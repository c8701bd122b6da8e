import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/ipc';
import { Field, FormError, NewPasswordFields } from '../Field';
import { useAction } from '../useAction';
import { api } from '../api';

type Props = { expired: boolean; onSession: (v: SessionView) => void };

export function SignIn({ expired, onSession }: Props) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [mode, setMode] = useState<'signIn' | 'forgot' | 'reset'>('signIn');
  const [code, setCode] = useState('');
  const [repeat, setRepeat] = useState('');
  const [notice, setNotice] = useState<string | null>(expired ? t('signIn.expired') : null);
  const { busy, error, run, setError } = useAction();

  const signIn = async (e: FormEvent) => {
    e.preventDefault();
    const v = await run(() => api.signIn(email, password));
    if (v) onSession(v);
  };
  const sendCode = async (e: FormEvent) => {
    e.preventDefault();
    const r = await run(() => api.forgotPassword(email));
    if (r) {
      setNotice(t('forgot.sent', { destination: r.destination }));
      setMode('reset');
    }
  };
  const reset = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== repeat) {
      setError(t('newPassword.mismatch'));
      return;
    }
    const ok = await run(async () => {
      await api.confirmForgotPassword(email, code, password);
      return true;
    });
    if (ok) {
      setNotice(t('forgot.done'));
      setPassword('');
      setMode('signIn');
    }
  };

  const emailField = (
    <>
      <Field
        id="email"
        label={t('signIn.email')}
        type="email"
        autoComplete="username"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        required
      />
    </>
  );

  if (mode === 'signIn') {
    return (
      <form className="card" onSubmit={(e) => void signIn(e)}>
        <h1>{t('signIn.title')}</h1>
        {notice && <p role="status">{notice}</p>}
        {emailField}
        <Field
          id="password"
          label={t('signIn.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <FormError message={error} />
        <button type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
        <button type="button" className="link" onClick={() => setMode('forgot')}>
          {t('signIn.forgot')}
        </button>
      </form>
    );
  }
  return (
    <form className="card" onSubmit={(e) => void (mode === 'forgot' ? sendCode(e) : reset(e))}>
      <h1>{t('forgot.title')}</h1>
      {notice && mode === 'reset' && <p role="status">{notice}</p>}
      {emailField}
      {mode === 'reset' && (
        <>
          <Field
            id="code"
            label={t('forgot.code')}
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            required
          />
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
        </>
      )}
      <FormError message={error} />
      <button type="submit" disabled={busy}>
        {mode === 'forgot' ? t('forgot.send') : t('forgot.submit')}
      </button>
      <button type="button" className="link" onClick={() => setMode('signIn')}>
        {t('forgot.back')}
      </button>
    </form>
  );
}

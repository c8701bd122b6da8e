import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/errors';
import type { SessionView } from '../../shared/ipc';
import { api } from '../api';
import { Field, FormError, NewPasswordFields } from '../Field';
import { useAction } from '../useAction';
import { AuthCard, AuthLinks } from './AuthCard';
import { codeProblem, emailProblem, useOrganisation } from './authForm';

type Props = {
  expired: boolean;
  onSession: (v: SessionView) => void;
  /** Who was signed in before (a forced sign-out, an abandoned challenge): filled in again. */
  email?: string;
};

export function SignIn({ expired, onSession, email: knownEmail }: Props) {
  const { t, i18n } = useTranslation();
  const [email, setEmail] = useState(knownEmail ?? '');
  const [password, setPassword] = useState('');
  const [mode, setMode] = useState<'signIn' | 'forgot' | 'reset'>('signIn');
  const [code, setCode] = useState('');
  const [repeat, setRepeat] = useState('');
  const [notice, setNotice] = useState<string | null>(expired ? t('signIn.expired') : null);
  const { busy, error, run, setError } = useAction();
  const organisation = useOrganisation(run);
  const lang = i18n.language === 'ja' ? 'ja' : 'en';
  const passwordInput = useRef<HTMLInputElement>(null);
  // Who was signed in (a forced sign-out, a step abandoned), when the window did not say: main's
  // session view carries the email, so nobody types it again.
  useEffect(() => {
    if (knownEmail) return;
    let live = true;
    void run(() => api.sessionView()).then((v) => {
      if (!live || v?.status !== 'signedOut' || !v.email) return;
      const known = v.email;
      setEmail((typed) => typed || known);
      if (document.activeElement?.id === 'email') passwordInput.current?.focus();
    });
    return () => {
      live = false;
    };
  }, [knownEmail, run]);
  /** A field's problem, said before anything is sent; true when there is one. */
  const refuse = (message: string | null) => {
    if (message) setError(message);
    return message !== null;
  };
  const emailRefused = () => {
    const problem = emailProblem(email);
    return refuse(problem && errorMessage({ code: problem }, lang));
  };

  const signIn = async (e: FormEvent) => {
    e.preventDefault();
    if (emailRefused() || refuse(password ? null : t('signIn.missingPassword'))) return;
    const v = await run(() => api.signIn(email.trim(), password));
    if (v) onSession(v);
  };
  const sendCode = async (again: boolean) => {
    if (emailRefused()) return;
    const r = await run(() => api.forgotPassword(email.trim()));
    if (r) {
      setNotice(t(again ? 'forgot.resent' : 'forgot.sent', { destination: r.destination }));
      if (!again) setMode('reset');
    }
  };
  const reset = async (e: FormEvent) => {
    e.preventDefault();
    const problem = codeProblem(code);
    if (refuse(problem && errorMessage({ code: problem }, lang))) return;
    if (refuse(password && repeat ? null : t('newPassword.empty'))) return;
    if (refuse(password === repeat ? null : t('newPassword.mismatch'))) return;
    const ok = await run(async () => {
      await api.confirmForgotPassword(email.trim(), code.trim(), password);
      return true;
    });
    if (ok) {
      setNotice(t('forgot.done'));
      setPassword('');
      setRepeat('');
      setCode('');
      setMode('signIn');
    }
  };
  const switchTo = (next: typeof mode) => {
    setError(null);
    setNotice(null);
    setMode(next);
  };

  const emailField = (autoFocus: boolean) => (
    <Field
      id="email"
      label={t('signIn.email')}
      type="email"
      autoComplete="username"
      value={email}
      onChange={(e) => setEmail(e.target.value)}
      autoFocus={autoFocus}
      required
    />
  );

  if (mode === 'signIn') {
    return (
      <AuthCard
        title={t('signIn.title')}
        organisation={organisation}
        onSubmit={(e) => void signIn(e)}
      >
        {notice && <p role="status">{notice}</p>}
        {emailField(!email)}
        <Field
          id="password"
          ref={passwordInput}
          label={t('signIn.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoFocus={Boolean(email)}
          required
        />
        <FormError message={error} />
        <button type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
        <AuthLinks>
          <button type="button" className="link" onClick={() => switchTo('forgot')}>
            {t('signIn.forgot')}
          </button>
        </AuthLinks>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      key={mode}
      title={t('forgot.title')}
      organisation={organisation}
      onSubmit={(e) => {
        if (mode === 'reset') return void reset(e);
        e.preventDefault();
        void sendCode(false);
      }}
    >
      {notice && mode === 'reset' && <p role="status">{notice}</p>}
      {emailField(mode === 'forgot')}
      {mode === 'reset' && (
        <>
          <Field
            id="code"
            label={t('forgot.code')}
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoFocus
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
      <AuthLinks>
        <button type="button" className="link" onClick={() => switchTo('signIn')}>
          {t('forgot.back')}
        </button>
        {mode === 'reset' && (
          <button
            type="button"
            className="link"
            disabled={busy}
            onClick={() => void sendCode(true)}
          >
            {t('forgot.resend')}
          </button>
        )}
      </AuthLinks>
    </AuthCard>
  );
}

import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import './signIn.css';

/**
 * The frame of every sign-in screen: which organisation this is (the connection profile's
 * name), the step's title, and a form that checks its fields itself (noValidate: the browser's
 * own bubbles would speak the browser's language, not the app's).
 */
export function AuthCard(p: {
  title: string;
  organisation?: string;
  /** Who is signing in, on the steps after the password. */
  email?: string;
  onSubmit: (e: FormEvent) => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <form className="card auth" noValidate onSubmit={p.onSubmit}>
      {p.organisation && (
        <p className="organisation">{t('signIn.organisation', { name: p.organisation })}</p>
      )}
      <h1>{p.title}</h1>
      {p.email && <p className="who-signs-in">{t('signIn.as', { email: p.email })}</p>}
      {p.children}
    </form>
  );
}

/** The secondary actions under a form's main button (Back, Resend code, Forgot password). */
export function AuthLinks({ children }: { children: ReactNode }) {
  return <div className="auth-links">{children}</div>;
}

/** The sign-in step where the organisation requires MFA and the user has no authenticator yet. */
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/ipc';
import { api } from '../api';
import { AuthCard, AuthLinks } from '../screens/AuthCard';
import { useOrganisation } from '../screens/authForm';
import { useAction } from '../useAction';
import { EnrolmentPanel } from './EnrolmentPanel';

export function MfaSetup({
  view,
  onSession,
}: {
  view: Extract<SessionView, { status: 'challenge'; challenge: 'mfaSetup' }>;
  onSession: (v: SessionView) => void;
}) {
  const { t } = useTranslation();
  const { run } = useAction();
  const organisation = useOrganisation(run);
  return (
    <AuthCard
      title={t('mfaSetup.title')}
      organisation={organisation}
      email={view.email}
      onSubmit={(e) => e.preventDefault()}
    >
      <p>{t('mfaSetup.intro')}</p>
      <EnrolmentPanel onVerified={onSession} />
      <AuthLinks>
        <button
          type="button"
          className="link"
          onClick={() => void run(() => api.cancelChallenge()).then((v) => v && onSession(v))}
        >
          {t('signIn.back')}
        </button>
      </AuthLinks>
    </AuthCard>
  );
}

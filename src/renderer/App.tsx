import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView, TransferView } from '../shared/ipc';
import { Browser } from './screens/Browser';
import { Challenge } from './screens/Challenge';
import { ProfileSetup } from './screens/ProfileSetup';
import { SignIn } from './screens/SignIn';
import { TransfersBadge } from './transfers/TransfersBadge';
import { TransfersDrawer } from './transfers/TransfersDrawer';
import './transfers/dock.css';
import { api } from './api';
import { AccountMenu } from './account';
import { UpdateNotice, UpdateSettings } from './updates';
import { NetworkNotice, NetworkSettings, NetworkStatus, ProxyAuthDialog } from './network';

export function App() {
  const { t, i18n } = useTranslation();
  const [hasProfile, setHasProfile] = useState<boolean | null>(null);
  const [session, setSession] = useState<SessionView>({ status: 'restoring' });
  const [transfers, setTransfers] = useState<TransferView[]>([]);
  // The drawer opens by itself on the first download of a session (the window branch owns this).
  const [drawerOpen, setDrawerOpen] = useState(false);
  const autoOpened = useRef(false);

  useEffect(() => {
    const offSession = api.on('session', setSession);
    // New transfers go on top; updates stay where they are, so the list does not jump.
    const offTransfer = api.on('transfer', (v) => {
      setTransfers((old) =>
        old.some((x) => x.id === v.id) ? old.map((x) => (x.id === v.id ? v : x)) : [v, ...old],
      );
      if (!autoOpened.current && !v.removed) {
        autoOpened.current = true;
        setDrawerOpen(true);
      }
    });
    void (async () => {
      setHasProfile((await api.profileList()).length > 0);
      setSession(await api.sessionView());
      setTransfers(await api.transfers());
    })();
    return () => {
      offSession();
      offTransfer();
    };
  }, []);

  useEffect(() => {
    document.documentElement.lang = i18n.language;
  }, [i18n.language]);

  let screen;
  if (hasProfile === null || session.status === 'restoring') {
    screen = (
      <p className="card" role="status">
        {t('signIn.restoring')}
      </p>
    );
  } else if (!hasProfile) {
    screen = <ProfileSetup onImported={() => setHasProfile(true)} />;
  } else if (session.status === 'signedOut') {
    screen = <SignIn expired={session.reason === 'expired'} onSession={setSession} />;
  } else if (session.status === 'challenge') {
    screen = <Challenge view={session} onSession={setSession} />;
  } else {
    screen = <Browser view={session} onSignedOut={setSession} />;
  }

  const signedIn = session.status === 'signedIn';
  return (
    <div className={signedIn ? 'app docked' : 'app'}>
      <div className="top">
        <span className="brand">{t('appName')}</span>
        {session.status === 'signedIn' && <AccountMenu view={session} onSession={setSession} />}
        <button
          type="button"
          className="link"
          onClick={() => void i18n.changeLanguage(i18n.language === 'ja' ? 'en' : 'ja')}
        >
          {t('language')}
        </button>
      </div>
      <UpdateNotice />
      <NetworkNotice />
      {screen}
      {signedIn && (
        <div className="transfers-dock">
          <div className="strip">
            <TransfersBadge transfers={transfers} onOpen={() => setDrawerOpen((open) => !open)} />
            <NetworkStatus />
          </div>
          {drawerOpen && (
            <div className="drawer">
              <TransfersDrawer transfers={transfers} onClose={() => setDrawerOpen(false)} />
            </div>
          )}
        </div>
      )}
      <UpdateSettings />
      <NetworkSettings />
      <ProxyAuthDialog />
    </div>
  );
}

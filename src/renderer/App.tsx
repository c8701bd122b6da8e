/**
 * The window: the sign-in screens until a session exists, then the browsing window edge to
 * edge with the downloads panel docked at its bottom (resizable, its height remembered). The
 * panel and the status bar's badge exist only while signed in; the panel opens by itself on the
 * first download of a session (#11 item 1) and stays closed once the user closes it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView, TransferView } from '../shared/ipc';
import { UI_LIMITS } from '../shared/uiSettings';
import { api } from './api';
import { Browser } from './browser/Browser';
import { Splitter, useResizable } from './browser/Splitter';
import { NoticesProvider, useNotices } from './notices';
import { Challenge } from './screens/Challenge';
import { ProfileSetup } from './screens/ProfileSetup';
import { SignIn } from './screens/SignIn';
import { SettingsProvider, useSettingsStore } from './settings/settings';
import { TransfersBadge } from './transfers/TransfersBadge';
import { TransfersDrawer } from './transfers/TransfersDrawer';
import { AccountMenu } from './account';
import { UpdateNotice, UpdateSettings } from './updates';
import { NetworkNotice, NetworkSettings, NetworkStatus, ProxyAuthDialog } from './network';

export function App() {
  return (
    <NoticesProvider>
      <Window />
    </NoticesProvider>
  );
}

/** The list keeps at least this much of the window when the panel grows. */
const LIST_KEEPS_PX = 260;

function Window() {
  const { t, i18n } = useTranslation();
  const { report } = useNotices();
  const [hasProfile, setHasProfile] = useState<boolean | null>(null);
  const [session, setSession] = useState<SessionView>({ status: 'restoring' });
  const [transfers, setTransfers] = useState<TransferView[]>([]);
  const [drawerOpen, setDrawerOpen] = useState(false);
  /** Transfers that existed before this session's first download (resumed ones). */
  const known = useRef(new Set<string>());
  const openedBySelf = useRef(false);
  const onSettingsError = useCallback((err: unknown) => report(err), [report]);
  const store = useSettingsStore(session.status, onSettingsError);
  const { settings, update } = store;

  useEffect(() => {
    const offSession = api.on('session', setSession);
    // New transfers go on top; updates stay where they are, so the list does not jump.
    const offTransfer = api.on('transfer', (v) => {
      setTransfers((old) =>
        old.some((x) => x.id === v.id) ? old.map((x) => (x.id === v.id ? v : x)) : [v, ...old],
      );
      if (!known.current.has(v.id) && !v.removed) {
        known.current.add(v.id);
        if (!openedBySelf.current) {
          openedBySelf.current = true;
          setDrawerOpen(true);
        }
      }
    });
    void (async () => {
      try {
        setHasProfile((await api.profileList()).length > 0);
        setSession(await api.sessionView());
        const list = await api.transfers();
        for (const x of list) known.current.add(x.id);
        setTransfers(list);
      } catch (err) {
        report(err);
      }
    })();
    return () => {
      offSession();
      offTransfer();
    };
  }, [report]);

  // Signed out: no panel; the next session's first download opens it again.
  useEffect(() => {
    if (session.status === 'signedIn') return;
    setDrawerOpen(false);
    openedBySelf.current = false;
  }, [session.status]);

  useEffect(() => {
    document.documentElement.lang = i18n.language;
  }, [i18n.language]);

  const [drawerHeight, setDrawerHeight] = useResizable(settings.drawer.height, (height) =>
    update({ drawer: { height } }),
  );
  const switchLanguage = () => update({ language: i18n.language === 'ja' ? 'en' : 'ja' });

  if (session.status === 'signedIn' && hasProfile && store.ready) {
    const maxHeight = Math.max(
      UI_LIMITS.drawerHeight.min,
      Math.min(UI_LIMITS.drawerHeight.max, window.innerHeight - LIST_KEEPS_PX),
    );
    const height = Math.min(drawerHeight, maxHeight);
    const drawer = drawerOpen ? (
      <section className="drawer" style={{ height }}>
        <Splitter
          orientation="horizontal"
          invert
          className="drawer-resize"
          value={height}
          min={UI_LIMITS.drawerHeight.min}
          max={maxHeight}
          label={t('drawer.resize')}
          onChange={setDrawerHeight}
        />
        <TransfersDrawer transfers={transfers} onClose={() => setDrawerOpen(false)} />
      </section>
    ) : null;
    return (
      <SettingsProvider value={store}>
        <Browser
          view={session}
          account={<AccountMenu view={session} onSession={setSession} />}
          banner={<NetworkNotice />}
          drawer={drawer}
          badge={
            <>
              <UpdateNotice />
              <NetworkStatus />
              <TransfersBadge transfers={transfers} onOpen={() => setDrawerOpen((o) => !o)} />
            </>
          }
          settingsPanel={
            <>
              <UpdateSettings />
              <NetworkSettings />
            </>
          }
          onOpenDownloads={() => setDrawerOpen(true)}
        />
        <ProxyAuthDialog />
      </SettingsProvider>
    );
  }

  let screen;
  if (hasProfile === null || session.status === 'restoring' || session.status === 'signedIn') {
    screen = (
      <p className="card" role="status">
        {t('signIn.restoring')}
      </p>
    );
  } else if (!hasProfile) {
    screen = <ProfileSetup onImported={() => setHasProfile(true)} />;
  } else if (session.status === 'signedOut') {
    screen = <SignIn expired={session.reason === 'expired'} onSession={setSession} />;
  } else {
    screen = <Challenge view={session} onSession={setSession} />;
  }
  return (
    <SettingsProvider value={store}>
      <div className="app">
        <div className="top">
          <span className="brand">{t('appName')}</span>
          <button type="button" className="link" onClick={switchLanguage}>
            {t('language')}
          </button>
        </div>
        <NetworkNotice />
        {screen}
        <NetworkSettings />
        <ProxyAuthDialog />
      </div>
    </SettingsProvider>
  );
}

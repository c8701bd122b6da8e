/**
 * The Electron side of Kura's network (the core is plain Node: services/network/):
 *
 * - the OS's proxy settings per URL, PAC and WPAD included: `session.resolveProxy(url)`;
 * - the OS's connectivity: Electron's main process has no online/offline event, so
 *   `net.isOnline()` is polled, and waking from sleep (`powerMonitor` 'resume') asks again and
 *   forgets the routes (a laptop that slept may be on another network);
 * - Chromium's own requests (electron-updater's downloads use Electron's net) follow the same
 *   proxy choice (`session.setProxy`), and a proxy asking them for credentials (`app`'s 'login'
 *   event with `isProxy`) gets the ones Kura keeps in the keychain, or the same question in the
 *   window. Integrated authentication (Negotiate/NTLM) is Chromium's own for its requests.
 */
import { app, net, powerMonitor, session, type Session } from 'electron';
import type { Network, NetworkOptions, ProxySettings } from '../services/network/network';

const POLL_MS = 5_000;

/** What Kura's network takes from Electron: the OS's proxy for each URL. */
export function electronNetworkOptions(): Pick<NetworkOptions, 'systemResolver'> {
  const ses = session.defaultSession;
  return { systemResolver: (url) => ses.resolveProxy(url) };
}

/** Chromium's requests take the proxy Kura's own take. */
export function applyProxyToSession(ses: Session, network: Network, s: ProxySettings) {
  const env = network.environmentProxy;
  if (s.mode === 'manual')
    return ses.setProxy({
      mode: 'fixed_servers',
      proxyRules: s.url ?? '',
      proxyBypassRules: s.bypass ?? '',
    });
  if (s.mode === 'direct') return ses.setProxy({ mode: 'direct' });
  if (env)
    return ses.setProxy({
      mode: 'fixed_servers',
      proxyRules: [env.http ? `http=${env.http}` : '', env.https ? `https=${env.https}` : '']
        .filter(Boolean)
        .join(';'),
      proxyBypassRules: env.noProxy ?? '',
    });
  return ses.setProxy({ mode: 'system' });
}

/** Wires the OS's connectivity and Chromium's proxy logins to `network`; returns a stop. */
export function followTheOs(network: Network): () => void {
  const ses = session.defaultSession;
  void applyProxyToSession(ses, network, network.settings);
  const offSettings = network.onSettings((s) => void applyProxyToSession(ses, network, s));

  let last = net.isOnline();
  const poll = setInterval(() => {
    const now = net.isOnline();
    if (now === last) return;
    last = now;
    network.forgetRoutes();
    network.monitor.osSays(now);
  }, POLL_MS);
  poll.unref();
  const onResume = () => {
    network.forgetRoutes();
    network.monitor.osSays(net.isOnline());
  };
  powerMonitor.on('resume', onResume);

  // Chromium asks again when the pair it was given is refused.
  const given = new Map<string, { username: string; password: string }>();
  const onLogin = (
    event: Electron.Event,
    _contents: unknown,
    _details: unknown,
    authInfo: Electron.AuthInfo,
    callback: (username?: string, password?: string) => void,
  ) => {
    if (!authInfo.isProxy || authInfo.scheme.toLowerCase() !== 'basic') return;
    event.preventDefault();
    const proxy = `http://${authInfo.host}:${authInfo.port}`;
    void (async () => {
      try {
        const realm = authInfo.realm || undefined;
        const before = given.get(proxy);
        const c = before
          ? await network.auth.refused(proxy, realm, before)
          : ((await network.auth.current(proxy)) ?? (await network.auth.refused(proxy, realm)));
        given.set(proxy, c);
        callback(c.username, c.password);
      } catch {
        callback();
      }
    })();
  };
  app.on('login', onLogin);

  return () => {
    offSettings();
    clearInterval(poll);
    powerMonitor.removeListener('resume', onResume);
    app.removeListener('login', onLogin);
  };
}

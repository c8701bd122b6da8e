import { describe, expect, it, vi } from 'vitest';
import { MemorySecretStore } from '../../../src/main/services/secretStore';
import { Network } from '../../../src/main/services/network/network';

// Electron cannot load under plain Node here: the shell's network adapter runs against a fake
// `electron` with Electron's shapes (session.resolveProxy/setProxy, net.isOnline, powerMonitor,
// app's 'login' event).
type Listener = (...args: unknown[]) => void;
const appListeners = new Map<string, Listener>();
const powerListeners = new Map<string, Listener>();
const state = {
  online: true,
  pac: 'PROXY proxy.corp.example:3128; DIRECT',
  proxies: [] as unknown[],
  asked: [] as string[],
};
vi.mock('electron', () => ({
  app: {
    on: (e: string, l: Listener) => appListeners.set(e, l),
    removeListener: (e: string) => appListeners.delete(e),
  },
  net: { isOnline: () => state.online },
  powerMonitor: {
    on: (e: string, l: Listener) => powerListeners.set(e, l),
    removeListener: (e: string) => powerListeners.delete(e),
  },
  session: {
    defaultSession: {
      resolveProxy: (url: string) => {
        state.asked.push(url);
        return Promise.resolve(state.pac);
      },
      setProxy: (config: unknown) => {
        state.proxies.push(config);
        return Promise.resolve();
      },
    },
  },
}));

describe('the shell’s network adapter', () => {
  it('routes per URL with session.resolveProxy (the OS settings, PAC included)', async () => {
    const { electronNetworkOptions } = await import('../../../src/main/shell/network');
    const network = new Network({ secrets: new MemorySecretStore(), ...electronNetworkOptions() });
    const route = await network.route(new URL('https://s3.ap-northeast-1.amazonaws.com/b/k'));
    expect(route).toEqual({ kind: 'proxy', proxy: new URL('http://proxy.corp.example:3128') });
    expect(state.asked).toEqual(['https://s3.ap-northeast-1.amazonaws.com/b/k']);
    state.pac = 'DIRECT';
    network.forgetRoutes();
    expect(
      await network.route(new URL('https://cognito-idp.ap-northeast-1.amazonaws.com/')),
    ).toEqual({ kind: 'direct' });
  });

  it('gives Chromium’s requests the same proxy, and answers its proxy logins from the keychain', async () => {
    const { electronNetworkOptions, followTheOs } = await import('../../../src/main/shell/network');
    const secrets = new MemorySecretStore();
    await secrets.set(
      'proxy:http://proxy.corp.example:3128',
      JSON.stringify({ username: 'taro', password: 'pw' }),
    );
    const network = new Network({ secrets, ...electronNetworkOptions() });
    const asked: unknown[] = [];
    network.auth.setPrompt((q) => {
      asked.push(q);
      return Promise.resolve({ username: 'taro', password: 'new' });
    });
    const stop = followTheOs(network);
    expect(state.proxies.at(-1)).toEqual({ mode: 'system' });
    network.setSettings({ mode: 'manual', url: 'http://10.0.0.1:8080', bypass: 'localhost' });
    expect(state.proxies.at(-1)).toEqual({
      mode: 'fixed_servers',
      proxyRules: 'http://10.0.0.1:8080',
      proxyBypassRules: 'localhost',
    });

    const login = (isProxy: boolean) =>
      new Promise<unknown[]>((resolve) => {
        const event = { preventDefault: vi.fn() };
        appListeners.get('login')!(
          event,
          {},
          {},
          { isProxy, scheme: 'basic', host: 'proxy.corp.example', port: 3128, realm: 'corp' },
          (...args: unknown[]) => resolve(args),
        );
        if (!isProxy) resolve(['not handled', event.preventDefault.mock.calls.length]);
      });
    expect(await login(true)).toEqual(['taro', 'pw']);
    // Asked again: the pair was refused, so the user is asked (once) for a new one.
    expect(await login(true)).toEqual(['taro', 'new']);
    expect(asked).toEqual([
      { proxy: 'http://proxy.corp.example:3128', realm: 'corp', retry: true },
    ]);
    // A server's own login (not a proxy's) is not Kura's to answer.
    expect(await login(false)).toEqual(['not handled', 0]);
    stop();
    expect(appListeners.has('login')).toBe(false);
  });

  it('hears the OS going offline and waking from sleep', async () => {
    vi.useFakeTimers();
    try {
      const { electronNetworkOptions, followTheOs } =
        await import('../../../src/main/shell/network');
      const network = new Network({
        secrets: new MemorySecretStore(),
        ...electronNetworkOptions(),
      });
      const stop = followTheOs(network);
      network.monitor.unreachable('https://s3.ap-northeast-1.amazonaws.com');
      state.online = false;
      vi.advanceTimersByTime(5_000);
      expect(network.monitor.view().online).toBe(false);
      const routesAsked = state.asked.length;
      state.online = true;
      powerListeners.get('resume')!();
      await network.route(new URL('https://s3.ap-northeast-1.amazonaws.com/x'));
      // Routes are asked anew after waking (another network, perhaps).
      expect(state.asked.length).toBe(routesAsked + 1);
      stop();
      network.destroy();
    } finally {
      vi.useRealTimers();
    }
  });
});

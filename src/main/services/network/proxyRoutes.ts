/**
 * Where a request goes: straight to the server, or through an HTTP(S) proxy. Every source of
 * proxy settings answers in the PAC format (`PROXY host:port; DIRECT`), as Electron's
 * `session.resolveProxy(url)` does for the OS settings (PAC included): the explicit setting,
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY (curl's rules), a PAC file evaluated by pac-resolver (the
 * CLI), or the shell's resolver. One parser turns that answer into a route.
 *
 * Which source wins: an explicit setting, then the environment (the CLI's way, and an override in
 * the app), then the OS (the app).
 */
import { KuraError } from '../kuraError';

/** Answers for a URL in the PAC format ("DIRECT", "PROXY host:port; DIRECT" …). */
export type ProxyResolver = (url: string) => Promise<string>;

export type Route = { kind: 'direct' } | { kind: 'proxy'; proxy: URL };

export const DIRECT: Route = { kind: 'direct' };

/**
 * The first entry of a PAC answer Kura can use. `PROXY`/`HTTP` and `HTTPS` name HTTP(S) proxies;
 * SOCKS entries are skipped (Kura speaks HTTP proxies only); nothing usable means DIRECT.
 * Later entries are fallbacks a browser tries when the first fails: Kura uses the first (a proxy
 * that fails is said to the user, not silently bypassed).
 */
export function parsePacAnswer(answer: string): Route {
  for (const entry of answer.split(';')) {
    const [kind = '', where = ''] = entry.trim().split(/\s+/);
    const k = kind.toUpperCase();
    if (k === 'DIRECT') return DIRECT;
    if ((k === 'PROXY' || k === 'HTTP' || k === 'HTTPS') && where) {
      try {
        return { kind: 'proxy', proxy: new URL(`${k === 'HTTPS' ? 'https' : 'http'}://${where}`) };
      } catch {
        continue;
      }
    }
  }
  return DIRECT;
}

/** A proxy URL as a PAC answer (`http://host:port` → `PROXY host:port`). */
export function pacAnswerFor(proxyUrl: string): string {
  if (!proxyUrl) return 'DIRECT';
  const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxyUrl) ? proxyUrl : `http://${proxyUrl}`);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.protocol === 'https:' ? 'HTTPS' : 'PROXY'} ${u.hostname}:${port}`;
}

const PROXY_VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
];

/** Whether the environment names a proxy at all (then it overrides the OS settings). */
export function environmentHasProxy(env: NodeJS.ProcessEnv): boolean {
  return PROXY_VARIABLES.slice(0, 6).some((k) => Boolean(env[k]));
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * Whether NO_PROXY keeps `url` off the proxy, as curl (and proxy-from-env) read it: a comma or
 * space separated list of names, `.example.com` / `*.example.com` for a domain and its hosts,
 * `host:port` for one port, `*` for everything.
 */
export function bypassed(url: URL, noProxy: string): boolean {
  const list = noProxy.toLowerCase().trim();
  if (!list) return false;
  if (list === '*') return true;
  const host = url.hostname.toLowerCase();
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  return list.split(/[,\s]+/).some((entry) => {
    if (!entry) return false;
    const m = /^(.+):(\d+)$/.exec(entry);
    let name = m ? m[1]! : entry;
    if (m && Number(m[2]) !== port) return false;
    if (!/^[.*]/.test(name)) return host === name || host === name.replace(/^\[|\]$/g, '');
    if (name.startsWith('*')) name = name.slice(1);
    return host.endsWith(name) || `.${host}` === name;
  });
}

const first = (env: NodeJS.ProcessEnv, name: string) =>
  env[name.toLowerCase()] || env[name.toUpperCase()] || '';

/**
 * HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY as the curl family reads them (the lower-case
 * name first). User and password in the proxy URL are kept aside: they become the proxy's
 * credentials (credentialsInEnvironment).
 */
export function environmentResolver(env: NodeJS.ProcessEnv): ProxyResolver {
  return (url) => {
    const u = new URL(url);
    if (bypassed(u, first(env, 'no_proxy'))) return Promise.resolve('DIRECT');
    const scheme = u.protocol.replace(':', '');
    const proxy = first(env, `${scheme}_proxy`) || first(env, 'all_proxy');
    return Promise.resolve(pacAnswerFor(proxy));
  };
}

/** Credentials written into a proxy URL (`http://user:pass@host:port`), by proxy origin. */
export function credentialsInEnvironment(
  env: NodeJS.ProcessEnv,
): Map<string, { username: string; password: string }> {
  const out = new Map<string, { username: string; password: string }>();
  for (const k of PROXY_VARIABLES.slice(0, 6)) {
    const v = env[k];
    if (!v) continue;
    try {
      const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `http://${v}`);
      if (u.username)
        out.set(proxyKey(u), {
          username: decodeURIComponent(u.username),
          password: decodeURIComponent(u.password),
        });
    } catch {
      // A value that is not a URL names no credentials.
    }
  }
  return out;
}

/** The explicit setting: a proxy for everything but the hosts in `bypass` (NO_PROXY's syntax). */
export function explicitResolver(proxyUrl: string, bypass = ''): ProxyResolver {
  return environmentResolver({ HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, NO_PROXY: bypass });
}

/** How a proxy is named in the keychain and in prompts: `http://host:port`. */
export function proxyKey(u: URL): string {
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.protocol}//${u.hostname}:${port}`;
}

/** A proxy URL typed by a person: http(s), a host, a port; nothing else. */
export function parseProxyUrl(text: string): URL {
  const t = text.trim();
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `http://${t}`);
  } catch {
    throw new KuraError('PROXY_SETTING_INVALID', t);
  }
  if (
    !['http:', 'https:'].includes(u.protocol) ||
    !u.hostname ||
    (u.pathname !== '/' && u.pathname !== '') ||
    u.search ||
    u.hash ||
    u.username
  )
    throw new KuraError('PROXY_SETTING_INVALID', t);
  return u;
}

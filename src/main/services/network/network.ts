/**
 * Kura's one way out to the network. Every request main makes — the AWS SDK clients (through
 * `sdkHandler`), the download engine's lean GET (`request`), amazon-cognito-identity-js and any
 * other JSON call (`fetch`) — takes its agent from here, so nothing escapes the proxy, the trust
 * store or the clock:
 *
 * - the route per URL from the proxy settings (proxyRoutes.ts): a direct keep-alive agent, or an
 *   agent through the proxy (`http-proxy-agent` for http targets, `https-proxy-agent`'s CONNECT
 *   tunnel for https), with the proxy's credentials when it asks (proxyAuth.ts);
 * - the trust store: Node's roots, the OS's, and a profile's extra bundle (trust.ts); a refused
 *   certificate becomes TLS_UNTRUSTED naming it;
 * - every answer's Date header feeds the server clock (serverClock.ts), every answer and every
 *   network failure feeds the connectivity monitor (networkMonitor.ts).
 *
 * Plain Node: the Electron shell passes its `session.resolveProxy` as `systemResolver`.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { KuraError } from '../kuraError';
import type { SecretStore } from '../secretStore';
import { isNetworkFailure } from './failures';
import { NetworkMonitor, type NetworkMonitorOptions } from './networkMonitor';

export { isNetworkFailure };
import {
  ProxyAuth,
  offersBasic,
  realmOf,
  type ProxyAuthPrompt,
  type ProxyCredentials,
} from './proxyAuth';
import {
  credentialsInEnvironment,
  DIRECT,
  environmentHasProxy,
  environmentResolver,
  explicitResolver,
  parsePacAnswer,
  parseProxyUrl,
  proxyKey,
  type ProxyResolver,
  type Route,
} from './proxyRoutes';
import { ServerClock } from './serverClock';
import {
  certificateErrorCode,
  certificateView,
  pemCertificates,
  trustedCertificates,
  untrusted,
} from './trust';

/** The user's choice: the OS's settings, no proxy, or this proxy (with hosts that bypass it). */
export interface ProxySettings {
  mode: 'system' | 'direct' | 'manual';
  /** manual: `http://host:port`. */
  url?: string;
  /** manual: NO_PROXY's syntax (`localhost,.corp.example.com`). */
  bypass?: string;
}

export interface NetworkOptions {
  /** The OS's proxy settings per URL, PAC included (Electron's session.resolveProxy). */
  systemResolver?: ProxyResolver;
  /** A PAC file's resolver (the CLI's --proxy-pac). */
  pacResolver?: ProxyResolver;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY (default: process.env). */
  env?: NodeJS.ProcessEnv;
  settings?: ProxySettings;
  secrets?: SecretStore;
  prompt?: ProxyAuthPrompt;
  clock?: ServerClock;
  monitor?: Omit<NetworkMonitorOptions, 'probe'>;
}

/** How many connections one agent keeps per host: as many as the folder download has in flight. */
const MAX_SOCKETS = 128;
/** A resolved route is reused this long for the same origin (Electron's resolver caches too). */
const ROUTE_TTL_MS = 10_000;
/** A proxy answered for the server it could not reach (its own 502/503/504 page). */
export class ProxyGatewayError extends Error {
  readonly code = 'ERR_PROXY_GATEWAY';
  constructor(
    readonly proxy: string,
    readonly status: number,
  ) {
    super(`the proxy ${proxy} could not reach the server (HTTP ${status})`);
    this.name = 'ProxyGatewayError';
  }
}

/** HttpsProxyAgent with its own trust for the server behind the tunnel (its options go to the proxy). */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    options: ConstructorParameters<typeof HttpsProxyAgent<string>>[1],
    private readonly serverTls: { secureContext?: SecureContext; rejectUnauthorized?: boolean },
  ) {
    super(proxy, options);
  }

  override connect(
    req: http.ClientRequest,
    opts: Parameters<HttpsProxyAgent<string>['connect']>[1],
  ) {
    return super.connect(req, opts.secureEndpoint ? { ...opts, ...this.serverTls } : opts);
  }
}

interface Chosen {
  agent: http.Agent;
  route: Route;
  /** The proxy's key (`http://host:port`) when the route goes through one. */
  proxy?: string;
  /** The credentials this agent sends to the proxy. */
  sent?: ProxyCredentials;
}

/** One response as the request functions give it. */
export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
}

export interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** A reachability probe: any answer will do, nothing is asked of the user, nothing told. */
  probe?: boolean;
}

export class Network {
  readonly clock: ServerClock;
  readonly monitor: NetworkMonitor;
  readonly auth: ProxyAuth;
  private resolver!: ProxyResolver;
  private settingsNow: ProxySettings;
  private readonly routes = new Map<string, { route: Promise<Route>; until: number }>();
  private readonly transports = new Map<string, Transport>();
  private readonly env: NodeJS.ProcessEnv;
  private readonly settingsListeners = new Set<(s: ProxySettings) => void>();

  constructor(private readonly o: NetworkOptions = {}) {
    this.env = o.env ?? process.env;
    this.clock = o.clock ?? new ServerClock();
    this.auth = new ProxyAuth({
      secrets: o.secrets,
      prompt: o.prompt,
      environment: credentialsInEnvironment(this.env),
    });
    this.monitor = new NetworkMonitor({ ...o.monitor, probe: (url) => this.probe(url) });
    this.settingsNow = o.settings ?? { mode: 'system' };
    this.setSettings(this.settingsNow);
  }

  get settings(): ProxySettings {
    return this.settingsNow;
  }

  /** Where proxy answers come from now: for the UI ("from the environment", "the OS's"). */
  get source(): 'manual' | 'direct' | 'environment' | 'pac' | 'system' | 'none' {
    const s = this.settingsNow;
    if (s.mode === 'manual') return 'manual';
    if (s.mode === 'direct') return 'direct';
    if (this.o.pacResolver) return 'pac';
    if (environmentHasProxy(this.env)) return 'environment';
    return this.o.systemResolver ? 'system' : 'none';
  }

  /** Applies the user's proxy choice (validated: a manual proxy must be http(s)://host:port). */
  setSettings(s: ProxySettings): void {
    if (s.mode === 'manual') {
      const url = parseProxyUrl(s.url ?? '');
      this.resolver = explicitResolver(url.href, s.bypass ?? '');
    } else if (s.mode === 'direct') this.resolver = () => Promise.resolve('DIRECT');
    else if (this.o.pacResolver) this.resolver = this.o.pacResolver;
    else if (environmentHasProxy(this.env)) this.resolver = environmentResolver(this.env);
    else if (this.o.systemResolver) this.resolver = this.o.systemResolver;
    else this.resolver = () => Promise.resolve('DIRECT');
    this.settingsNow = s;
    this.forgetRoutes();
    for (const l of this.settingsListeners) l(s);
  }

  /** The proxy choice changed (the shell applies it to Chromium's network, for the updater). */
  onSettings(listener: (s: ProxySettings) => void): () => void {
    this.settingsListeners.add(listener);
    return () => this.settingsListeners.delete(listener);
  }

  /** The proxy the environment names (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), when it names one. */
  get environmentProxy(): { https?: string; http?: string; noProxy?: string } | undefined {
    if (!environmentHasProxy(this.env)) return undefined;
    const get = (n: string) => this.env[n.toLowerCase()] || this.env[n.toUpperCase()] || undefined;
    const all = get('all_proxy');
    return {
      https: get('https_proxy') ?? all,
      http: get('http_proxy') ?? all,
      noProxy: get('no_proxy'),
    };
  }

  /** Routes are asked again (the settings changed, the network came back). */
  forgetRoutes(): void {
    this.routes.clear();
  }

  /** The route for a URL (one answer per origin for a few seconds). */
  route(url: URL): Promise<Route> {
    const key = url.origin;
    const now = Date.now();
    const hit = this.routes.get(key);
    if (hit && hit.until > now) return hit.route;
    const route = this.resolver(url.href).then(parsePacAnswer, () => DIRECT);
    this.routes.set(key, { route, until: now + ROUTE_TTL_MS });
    return route;
  }

  /** The transport trusting the base store plus `extraCaPem` (a profile's bundle). */
  transport(extraCaPem?: string): Transport {
    const key = extraCaPem ? createHash('sha256').update(extraCaPem).digest('hex') : '';
    let t = this.transports.get(key);
    if (!t) {
      // A profile's own bundle is checked now; the whole trust store is read at the first TLS
      // connection (a plain-http endpoint never needs it, and the OS store is slow to read).
      if (extraCaPem) pemCertificates(extraCaPem);
      t = new Transport(this, () => trustedCertificates(extraCaPem));
      this.transports.set(key, t);
    }
    return t;
  }

  /** Whether `origin` answers at all (any HTTP status): the monitor's probe. */
  private async probe(url: string): Promise<boolean> {
    try {
      const res = await this.transport().request(new URL('/', url), {
        method: 'HEAD',
        signal: AbortSignal.timeout(10_000),
        probe: true,
      });
      res.body.resume();
      // A proxy's own error page says the server is still out of reach.
      const fromAws =
        res.headers['x-amz-request-id'] !== undefined ||
        res.headers['x-amzn-requestid'] !== undefined;
      return !([502, 503, 504].includes(res.status) && !fromAws);
    } catch (err) {
      // A certificate refused or a TLS alert: something answered. Only the network failing is "no".
      return !isNetworkFailure(err) && (err as Error).name !== 'TimeoutError';
    }
  }

  /** Closes every kept connection. */
  destroy(): void {
    for (const t of this.transports.values()) t.destroy();
    this.transports.clear();
    this.monitor.stop();
  }
}

export class Transport {
  private readonly agents = new Map<string, http.Agent>();
  private context: SecureContext | undefined;

  constructor(
    readonly network: Network,
    private readonly ca: () => string[],
  ) {}

  /**
   * The trusted CAs as one TLS context, built once (hundreds of certificates parsed for every
   * connection would cost more than the handshake), and only when a connection uses TLS: reading
   * the OS store and parsing it is a third of `kura ls`'s start-up on a plain-http endpoint.
   */
  private get secureContext(): SecureContext {
    return (this.context ??= createSecureContext({ ca: this.ca() }));
  }

  /** Whether the trust store has been read into the TLS context (diagnostics and tests). */
  get trustStoreRead(): boolean {
    return this.context !== undefined;
  }

  /** The agent for a URL: direct, or through the proxy its route names (with its credentials). */
  async agentFor(url: URL): Promise<Chosen> {
    const route = await this.network.route(url);
    const secure = url.protocol === 'https:';
    if (route.kind === 'direct') {
      const key = secure ? 'direct-https' : 'direct-http';
      let agent = this.agents.get(key);
      if (!agent) {
        const options = { keepAlive: true, maxSockets: MAX_SOCKETS };
        agent = secure
          ? new https.Agent({ ...options, secureContext: this.secureContext })
          : new http.Agent(options);
        this.agents.set(key, agent);
      }
      return { agent, route };
    }
    const proxy = proxyKey(route.proxy);
    const sent = await this.network.auth.current(proxy);
    const withAuth = new URL(route.proxy.href);
    if (sent) {
      withAuth.username = encodeURIComponent(sent.username);
      withAuth.password = encodeURIComponent(sent.password);
    }
    const who = sent
      ? createHash('sha256').update(`${sent.username}\n${sent.password}`).digest('hex')
      : '';
    const key = `${secure ? 'tunnel' : 'forward'} ${proxy} ${who}`;
    let agent = this.agents.get(key);
    if (!agent) {
      // secureContext here is for an https:// proxy itself; the server behind a tunnel gets its own.
      const options = {
        keepAlive: true,
        maxSockets: MAX_SOCKETS,
        ...(route.proxy.protocol === 'https:' ? { secureContext: this.secureContext } : {}),
      };
      agent = secure
        ? new TunnelAgent(
            withAuth.href,
            {
              ...options,
              // A CONNECT refused for credentials: ask once, then tunnel with the answer.
              onProxyAuth: async ({ response }) => {
                const header = response.headers['proxy-authenticate'];
                if (!offersBasic(header)) throw new KuraError('PROXY_AUTH_REQUIRED', proxy);
                const c = await this.network.auth.refused(proxy, realmOf(header), sent);
                const token = Buffer.from(`${c.username}:${c.password}`).toString('base64');
                return { headers: { 'Proxy-Authorization': `Basic ${token}` } };
              },
            },
            { secureContext: this.secureContext },
          )
        : new HttpProxyAgent(withAuth.href, options);
      this.agents.set(key, agent);
    }
    return { agent, route, proxy, ...(sent ? { sent } : {}) };
  }

  /**
   * One request (the caller reads or drops the body). A proxy's 407 asks for credentials once
   * and sends the request again; a refused certificate, an unreachable proxy and a proxy's own
   * gateway error become errors that say so; every outcome is told to the monitor and the clock.
   */
  async request(url: URL, init: RequestInit = {}): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const chosen = await this.agentFor(url);
      let res: http.IncomingMessage;
      try {
        res = await this.send(url, init, chosen);
      } catch (err) {
        if (init.probe) throw err;
        throw await this.failed(url, chosen, err);
      }
      if (init.probe) return { status: res.statusCode ?? 0, headers: res.headers, body: res };
      const answer = await this.answered(url, chosen, res);
      if (answer === 'again' && attempt === 0) continue;
      if (answer === 'again')
        throw new KuraError('PROXY_AUTH_FAILED', chosen.proxy, { cause: res.statusCode });
      return { status: res.statusCode ?? 0, headers: res.headers, body: res };
    }
  }

  private send(url: URL, init: RequestInit, chosen: Chosen): Promise<http.IncomingMessage> {
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        {
          agent: chosen.agent,
          method: init.method ?? 'GET',
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port || undefined,
          path: url.pathname + url.search,
          headers:
            init.body === undefined
              ? init.headers
              : {
                  'content-length': String(Buffer.byteLength(init.body)),
                  ...init.headers,
                },
          signal: init.signal,
        },
        resolve,
      );
      req.once('error', reject);
      req.end(init.body);
    });
  }

  /**
   * What an answer means before the caller sees it: `again` after a 407 the user answered, an
   * error for a proxy's gateway page; otherwise the server's answer (the network works).
   */
  async answered(
    url: URL,
    chosen: Chosen,
    res: {
      statusCode?: number;
      headers: http.IncomingHttpHeaders;
      resume?: () => void;
      destroy?: () => void;
    },
  ): Promise<'again' | 'ok'> {
    const status = res.statusCode ?? 0;
    const h = res.headers;
    if (chosen.proxy && status === 407) {
      res.resume?.();
      const header = h['proxy-authenticate'];
      if (!offersBasic(header)) throw new KuraError('PROXY_AUTH_REQUIRED', chosen.proxy);
      await this.network.auth.refused(chosen.proxy, realmOf(header), chosen.sent);
      return 'again';
    }
    const fromAws = h['x-amz-request-id'] !== undefined || h['x-amzn-requestid'] !== undefined;
    if (chosen.proxy && [502, 503, 504].includes(status) && !fromAws) {
      res.destroy?.();
      const err = new ProxyGatewayError(chosen.proxy, status);
      this.network.monitor.unreachable(url.origin);
      throw new KuraError('NETWORK', err.message, { cause: err });
    }
    this.network.clock.observe(typeof h.date === 'string' ? h.date : undefined);
    this.network.monitor.reachable();
    return 'ok';
  }

  /** The error a failed request becomes (and what the monitor hears of it). */
  async failed(url: URL, chosen: Chosen, err: unknown): Promise<unknown> {
    if (err instanceof KuraError) return err;
    const tlsCode = certificateErrorCode(err);
    if (tlsCode) {
      const cert = await this.peek(url, chosen).catch(() => undefined);
      return untrusted(certificateView(url.hostname, tlsCode, cert), err);
    }
    if ((err as Error).name === 'AbortError') return err;
    // https-proxy-agent: the proxy refused the credentials it was just given as well.
    if (chosen.proxy && /^Proxy authentication failed/.test((err as Error).message ?? '')) {
      await this.network.auth.forget(chosen.proxy);
      return new KuraError('PROXY_AUTH_FAILED', chosen.proxy, { cause: err });
    }
    if (isNetworkFailure(err)) {
      this.network.monitor.unreachable(url.origin);
      const e = err as { code?: string; port?: number; address?: string };
      const proxy = chosen.route.kind === 'proxy' ? chosen.route.proxy : undefined;
      const toProxy =
        proxy &&
        ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN'].includes(
          e.code ?? '',
        ) &&
        (e.port === undefined || String(e.port) === (proxy.port || '80'));
      if (toProxy) return new KuraError('PROXY_UNREACHABLE', chosen.proxy, { cause: err });
    }
    return err;
  }

  /**
   * The certificate a server presented, read over a connection of its own that trusts nothing
   * and carries no request of Kura's (a HEAD of `/`, without headers).
   */
  private async peek(url: URL, chosen: Chosen) {
    const serverTls = { rejectUnauthorized: false };
    const agent =
      chosen.route.kind === 'proxy'
        ? new TunnelAgent(chosen.route.proxy.href, { keepAlive: false }, serverTls)
        : new https.Agent({ keepAlive: false, rejectUnauthorized: false });
    try {
      return await new Promise<X509Certificate | undefined>((resolve) => {
        const req = https.request({
          agent,
          method: 'HEAD',
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port || undefined,
          path: '/',
          rejectUnauthorized: false,
          timeout: 10_000,
        });
        const read = (s: Socket) => {
          const tlsSocket = s as TLSSocket;
          const take = () => {
            resolve(tlsSocket.getPeerX509Certificate?.());
            req.destroy();
          };
          if (tlsSocket.encrypted && tlsSocket.getPeerX509Certificate?.()) take();
          else tlsSocket.once('secureConnect', take);
        };
        req.once('socket', read);
        req.once('error', () => resolve(undefined));
        req.once('timeout', () => req.destroy());
        req.end();
      });
    } finally {
      agent.destroy();
    }
  }

  /** A fetch-like JSON call (amazon-cognito-identity-js's transport, token endpoints). */
  async fetch(url: string, init: RequestInit = {}): Promise<FetchAnswer> {
    const res = await this.request(new URL(url), init);
    const chunks: Buffer[] = [];
    for await (const c of res.body) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const headers = res.headers;
    return {
      status: res.status,
      ok: res.status >= 200 && res.status < 300,
      header: (name) => {
        const v = headers[name.toLowerCase()];
        return Array.isArray(v) ? v.join(', ') : v;
      },
      text: () => text,
      json: () => JSON.parse(text) as unknown,
    };
  }

  destroy(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}

export interface FetchAnswer {
  status: number;
  ok: boolean;
  header(name: string): string | undefined;
  text(): string;
  json(): unknown;
}

/** Checks a PEM bundle (a profile's caBundle) the way the transport will read it. */
export function validCaBundle(pem: string): boolean {
  try {
    return pemCertificates(pem).length > 0;
  } catch {
    return false;
  }
}

/**
 * Proxy credentials (Basic): asked for once per proxy and kept in the OS keychain — the same
 * secret store as the refresh token, under `proxy:<http://host:port>` — so the next start does
 * not ask again. Credentials written into HTTPS_PROXY (`http://user:pass@host:port`) are used as
 * given and never stored. A refused pair is forgotten (memory and keychain) and asked for again,
 * once per request; a cancelled question ends the request with PROXY_AUTH_REQUIRED.
 */
import { KuraError } from '../kuraError';
import type { SecretStore } from '../secretStore';

export interface ProxyCredentials {
  username: string;
  password: string;
}

/** What a prompt is told: which proxy asks, its realm, and whether a pair was just refused. */
export interface ProxyAuthQuestion {
  proxy: string;
  realm?: string;
  /** The previous answer was refused by the proxy. */
  retry: boolean;
}

/** Asks the user (the app's window, the CLI's terminal); null when they cancel. */
export type ProxyAuthPrompt = (q: ProxyAuthQuestion) => Promise<ProxyCredentials | null>;

const account = (proxy: string) => `proxy:${proxy}`;

export class ProxyAuth {
  private readonly known = new Map<string, ProxyCredentials>();
  private readonly asking = new Map<string, Promise<ProxyCredentials>>();
  private readonly fromEnvironment: Map<string, ProxyCredentials>;
  private prompt: ProxyAuthPrompt | undefined;

  constructor(
    private readonly o: {
      secrets?: SecretStore;
      prompt?: ProxyAuthPrompt;
      /** Credentials from the environment's proxy URLs, by proxy key. */
      environment?: Map<string, ProxyCredentials>;
    } = {},
  ) {
    this.fromEnvironment = o.environment ?? new Map<string, ProxyCredentials>();
    this.prompt = o.prompt;
  }

  /** Who is asked from now on (the window, once it exists; the CLI's terminal). */
  setPrompt(prompt: ProxyAuthPrompt): void {
    this.prompt = prompt;
  }

  /** The credentials to send to `proxy` before it asks (memory, environment, keychain). */
  async current(proxy: string): Promise<ProxyCredentials | undefined> {
    const mem = this.known.get(proxy) ?? this.fromEnvironment.get(proxy);
    if (mem) return mem;
    const stored = await this.o.secrets?.get(account(proxy)).catch(() => null);
    if (!stored) return undefined;
    try {
      const c = JSON.parse(stored) as ProxyCredentials;
      if (typeof c.username !== 'string' || typeof c.password !== 'string') return undefined;
      this.known.set(proxy, c);
      return c;
    } catch {
      await this.o.secrets?.delete(account(proxy)).catch(() => undefined);
      return undefined;
    }
  }

  /**
   * The proxy refused `sent` (407): forget it, ask the user (one question in flight per proxy,
   * however many requests wait), keep the answer. Throws PROXY_AUTH_REQUIRED when nobody can be
   * asked or the user cancels.
   */
  refused(
    proxy: string,
    realm: string | undefined,
    sent?: ProxyCredentials,
  ): Promise<ProxyCredentials> {
    const inFlight = this.asking.get(proxy);
    if (inFlight) return inFlight;
    const now = this.known.get(proxy) ?? this.fromEnvironment.get(proxy);
    // Another request already got a pair this one did not send: use it.
    if (now && (!sent || now.username !== sent.username || now.password !== sent.password))
      return Promise.resolve(now);
    const ask = (async () => {
      if (sent) {
        this.known.delete(proxy);
        this.fromEnvironment.delete(proxy);
        await this.o.secrets?.delete(account(proxy)).catch(() => undefined);
      }
      const answer = this.prompt
        ? await this.prompt({ proxy, ...(realm ? { realm } : {}), retry: sent !== undefined })
        : null;
      if (!answer) throw new KuraError(sent ? 'PROXY_AUTH_FAILED' : 'PROXY_AUTH_REQUIRED', proxy);
      this.known.set(proxy, answer);
      await this.o.secrets?.set(account(proxy), JSON.stringify(answer)).catch(() => undefined);
      return answer;
    })().finally(() => this.asking.delete(proxy));
    this.asking.set(proxy, ask);
    return ask;
  }

  /** Forgets every proxy's stored credentials (the user asked). */
  async forget(proxy: string): Promise<void> {
    this.known.delete(proxy);
    await this.o.secrets?.delete(account(proxy)).catch(() => undefined);
  }
}

/** The realm of a `Proxy-Authenticate: Basic realm="…"` header, when it has one. */
export function realmOf(header: string | string[] | undefined): string | undefined {
  const h = Array.isArray(header) ? header.join(', ') : (header ?? '');
  return /realm="([^"]*)"/i.exec(h)?.[1];
}

/** Whether the proxy offers Basic (the scheme Kura answers). */
export function offersBasic(header: string | string[] | undefined): boolean {
  const h = Array.isArray(header) ? header.join(', ') : (header ?? '');
  return /(^|,\s*)basic\b/i.test(h);
}

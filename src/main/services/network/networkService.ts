/**
 * The network as the window sees it: online or not, a clock far off, the proxy setting (kept in
 * the data folder, not secret), and a proxy's question for a user name and password — asked in
 * the window, answered once, kept in the keychain (proxyAuth.ts). One view, sent on every change.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { NetworkView } from '../../../shared/ipc';
import { KuraError } from '../kuraError';
import type { Network, ProxySettings } from './network';
import type { ProxyAuthQuestion, ProxyCredentials } from './proxyAuth';
import { parseProxyUrl } from './proxyRoutes';
import { NOTICE_SKEW_MS } from './serverClock';

const settingsSchema = z.object({
  mode: z.enum(['system', 'direct', 'manual']),
  url: z.string().max(2048).optional(),
  bypass: z.string().max(4096).optional(),
});

export class NetworkService {
  private question: { q: ProxyAuthQuestion; answer: (c: ProxyCredentials | null) => void } | null =
    null;
  private readonly listeners = new Set<(v: NetworkView) => void>();

  constructor(
    readonly network: Network,
    private readonly settingsPath: string,
  ) {
    const saved = this.read();
    if (saved) {
      try {
        network.setSettings(saved);
      } catch {
        // A setting that no longer reads as a proxy is dropped: the OS's settings apply.
      }
    }
    network.auth.setPrompt((q) => this.ask(q));
    network.monitor.onChange(() => this.emit());
    network.clock.onChange(() => this.emit());
  }

  private read(): ProxySettings | undefined {
    try {
      return settingsSchema.parse(JSON.parse(readFileSync(this.settingsPath, 'utf8')));
    } catch {
      return undefined;
    }
  }

  view(): NetworkView {
    const n = this.network;
    const skew = n.clock.skewMs;
    const s = n.settings;
    return {
      ...n.monitor.view(),
      ...(Math.abs(skew) >= NOTICE_SKEW_MS ? { clockSkewSeconds: Math.round(skew / 1000) } : {}),
      proxy: {
        mode: s.mode,
        ...(s.url ? { url: s.url } : {}),
        ...(s.bypass ? { bypass: s.bypass } : {}),
        source: n.source,
      },
      ...(this.question ? { proxyAuth: this.question.q } : {}),
    };
  }

  onChange(listener: (v: NetworkView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit() {
    const v = this.view();
    for (const l of this.listeners) l(v);
  }

  /** The user's proxy choice: applied at once (connections are routed anew) and remembered. */
  setProxy(mode: ProxySettings['mode'], url?: string, bypass?: string): NetworkView {
    const s: ProxySettings =
      mode === 'manual'
        ? {
            mode,
            url: parseProxyUrl(url ?? '').href.replace(/\/$/, ''),
            bypass: bypass?.trim() ?? '',
          }
        : { mode };
    this.network.setSettings(s);
    mkdirSync(dirname(this.settingsPath), { recursive: true });
    const tmp = `${this.settingsPath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(s));
    renameSync(tmp, this.settingsPath);
    this.emit();
    return this.view();
  }

  /** A proxy asks: the window shows the question until it is answered or cancelled. */
  private ask(q: ProxyAuthQuestion): Promise<ProxyCredentials | null> {
    this.question?.answer(null);
    return new Promise((resolve) => {
      this.question = {
        q,
        answer: (c) => {
          this.question = null;
          resolve(c);
          this.emit();
        },
      };
      this.emit();
    });
  }

  answerProxyAuth(username: string, password: string): void {
    if (!this.question) throw new KuraError('INVALID_ARGUMENT', 'no proxy question is open');
    this.question.answer({ username, password });
  }

  cancelProxyAuth(): void {
    this.question?.answer(null);
  }
}

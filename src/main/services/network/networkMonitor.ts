/**
 * Whether the servers can be reached. Any answer (whatever its status) says yes; a request that
 * fails with a network error makes the monitor ask — one probe at a time, a HEAD of the server
 * that failed — and a failed probe means offline. While offline it probes again with backoff
 * (1 s, 2 s … 15 s) and goes back online at the first answer; the OS's own online/offline events
 * (where the shell has them) say the same sooner. Waiters (`whenOnline`) — transfers holding
 * their place, the CLI's --wait-network — go on by themselves when it is back.
 */
import { KuraError } from '../kuraError';

export interface NetworkMonitorOptions {
  /** Whether the server at `origin` answers (any HTTP status). */
  probe: (origin: string) => Promise<boolean>;
  /** First delay between probes while offline (doubled up to `maxProbeMs`). */
  minProbeMs?: number;
  maxProbeMs?: number;
}

export interface ConnectivityView {
  online: boolean;
  /** Epoch ms, while offline. */
  offlineSince?: number;
}

export class NetworkMonitor {
  private online = true;
  private offlineSince = 0;
  private origin = '';
  private checking: Promise<boolean> | null = null;
  private timer?: NodeJS.Timeout;
  private delay: number;
  private stopped = false;
  /** Probes made so far (tests wait on these instead of on time). */
  probes = 0;
  private readonly listeners = new Set<(v: ConnectivityView) => void>();
  private waiters = new Set<() => void>();

  constructor(private readonly o: NetworkMonitorOptions) {
    this.delay = o.minProbeMs ?? 1000;
  }

  view(): ConnectivityView {
    return this.online ? { online: true } : { online: false, offlineSince: this.offlineSince };
  }

  get isOnline(): boolean {
    return this.online;
  }

  onChange(listener: (v: ConnectivityView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(online: boolean) {
    if (online === this.online) return;
    this.online = online;
    if (online) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.delay = this.o.minProbeMs ?? 1000;
      const waiters = this.waiters;
      this.waiters = new Set();
      for (const w of waiters) w();
    } else {
      this.offlineSince = Date.now();
      this.schedule();
    }
    for (const l of this.listeners) l(this.view());
  }

  /** A server answered: the network works. */
  reachable(): void {
    this.set(true);
  }

  /**
   * A request to `origin` failed with a network error: the monitor asks that server (while
   * online; offline, the scheduled probes do).
   */
  unreachable(origin: string): void {
    this.origin = origin;
    if (this.online) void this.check();
  }

  /** The OS says the computer went offline or came back (Electron's net.isOnline, sleep/wake). */
  osSays(online: boolean): void {
    if (!online) {
      if (this.origin || !this.online) this.set(false);
      return;
    }
    if (!this.online) void this.check();
  }

  /** Probes now (one probe in flight however many ask) and says whether it is online. */
  check(): Promise<boolean> {
    if (!this.origin) return Promise.resolve(this.online);
    this.checking ??= (this.probes++, this.o.probe(this.origin))
      .then((ok) => {
        this.set(ok);
        return ok;
      })
      .finally(() => (this.checking = null));
    return this.checking;
  }

  /** After a network failure: whether the servers are gone (probed), rather than one request. */
  async isOffline(err?: unknown): Promise<boolean> {
    void err;
    return !(await this.check());
  }

  private schedule() {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.online) return;
      void this.check().then((ok) => {
        if (!ok) {
          this.delay = Math.min(this.o.maxProbeMs ?? 15_000, this.delay * 2);
          this.schedule();
        }
      });
    }, this.delay);
    this.timer.unref();
  }

  /**
   * Resolves when the servers answer again (at once when online). `deadline` (epoch ms): then it
   * rejects with NETWORK_WAIT_TIMEOUT (`waitedSeconds` names how long was waited).
   */
  whenOnline(
    signal?: AbortSignal,
    deadline?: { at: number; waitedSeconds: number },
  ): Promise<void> {
    if (this.online) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let t: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(t);
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(done);
        resolve();
      };
      const onAbort = () => {
        clearTimeout(t);
        this.waiters.delete(done);
        reject(new KuraError('CANCELLED'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(done);
      if (deadline) {
        t = setTimeout(
          () => {
            this.waiters.delete(done);
            signal?.removeEventListener('abort', onAbort);
            reject(new KuraError('NETWORK_WAIT_TIMEOUT', String(deadline.waitedSeconds)));
          },
          Math.max(0, deadline.at - Date.now()),
        );
      }
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

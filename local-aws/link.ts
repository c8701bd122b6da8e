/**
 * A link emulator beside the fault rules: what a user behind a real network sees of S3 and
 * Cognito, on loopback. Three knobs, all off by default (`lan`):
 *
 * - first-byte latency per request, with jitter (uniform in latency ± jitter): S3 answers a GET
 *   after 20–80 ms on real links, and that — not bandwidth — decides how long 10,000 small files
 *   take;
 * - a rate per connection (S3 serves each connection at a bounded rate), and
 * - a shared link cap across all connections ("a 1 Gbit/s office link"), a token bucket.
 *
 * Rates shape what the server sends (responses), on the wire, headers included: a front TCP
 * server accepts each connection and hands the HTTP server either the socket itself (no rate
 * set) or a `ShapedSocket` that releases bytes only as both buckets allow (Node's HTTP server
 * takes any Duplex as a connection). Rates apply to connections opened after they are set;
 * latency applies to every request from the moment it is set.
 *
 * The buckets reserve ahead ("debt"): a slice of n bytes takes its tokens at once and waits
 * until the bucket would have had them. Reservations from all connections interleave in the
 * order they are made, so connections share the link about fairly, and over any interval the
 * bytes released never exceed `burst + rate × interval` (test/local-aws/link.test.ts proves
 * this on the arithmetic alone, with an injected clock).
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { z } from 'zod';

const MiB = 1024 * 1024;

export const linkSettingsSchema = z
  .object({
    /** Added before each answer's first byte. */
    latencyMs: z.number().nonnegative().max(60_000).default(0),
    /** Each request's latency is uniform in latencyMs ± jitterMs (never below zero). */
    jitterMs: z.number().nonnegative().max(60_000).default(0),
    /** Bytes per second each connection may receive; absent: no limit. */
    connectionBytesPerSecond: z.number().positive().optional(),
    /** Bytes per second all connections together may receive; absent: no limit. */
    linkBytesPerSecond: z.number().positive().optional(),
  })
  .strict();

export type LinkSettings = z.output<typeof linkSettingsSchema>;

/** The named links (#14). Jitter is ours: about a sixth of the latency. */
export const LINK_PRESETS = {
  /** Loopback as it is: no latency, no limits. */
  lan: { latencyMs: 0, jitterMs: 0 },
  /** An office on a 1 Gbit/s line, 30 ms from the region. */
  office: {
    latencyMs: 30,
    jitterMs: 5,
    connectionBytesPerSecond: 40 * MiB,
    linkBytesPerSecond: 125 * MiB,
  },
  /** A home connection: 60 ms away, about 100 Mbit/s shared. */
  home: {
    latencyMs: 60,
    jitterMs: 10,
    connectionBytesPerSecond: 20 * MiB,
    linkBytesPerSecond: 12 * MiB,
  },
  /** An instance in the same region: 10 ms, S3's per-connection rate, no shared cap. */
  region: { latencyMs: 10, jitterMs: 2, connectionBytesPerSecond: 90 * MiB },
} as const satisfies Record<string, LinkSettings>;

export type LinkPreset = keyof typeof LINK_PRESETS;

export const isLinkPreset = (name: string): name is LinkPreset =>
  Object.prototype.hasOwnProperty.call(LINK_PRESETS, name);

/** A preset by name, or explicit settings (validated). */
export function parseLink(input: unknown): LinkSettings {
  if (typeof input === 'string') {
    if (!isLinkPreset(input))
      throw new Error(
        `unknown link "${input}": use one of ${Object.keys(LINK_PRESETS).join(', ')} or settings`,
      );
    return linkSettingsSchema.parse(LINK_PRESETS[input]);
  }
  if (input && typeof input === 'object' && 'preset' in input) {
    const { preset, ...rest } = input;
    return linkSettingsSchema.parse({ ...parseLink(preset), ...rest });
  }
  return linkSettingsSchema.parse(input);
}

/**
 * A token bucket that lends: `reserve(n, now)` takes n tokens at once (the level may go below
 * zero) and answers how many milliseconds to wait until the bucket would have held them. The
 * level refills at `rate` bytes per second up to `burst`. Pure: the caller passes the time.
 */
export class TokenBucket {
  private level: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.level = burst;
    this.last = now;
  }

  reserve(n: number, now: number): number {
    if (now > this.last) {
      this.level = Math.min(this.burst, this.level + ((now - this.last) * this.rate) / 1000);
      this.last = now;
    }
    this.level -= n;
    return this.level >= 0 ? 0 : (-this.level / this.rate) * 1000;
  }
}

/** How much a shaped connection sends at once: about 10 ms of its slowest rate, 4–64 KiB. */
export function sliceBytes(rates: number[]): number {
  const slowest = Math.min(...rates);
  return Math.max(4096, Math.min(64 * 1024, Math.floor(slowest / 100)));
}

/** A bucket's burst: 20 ms of its rate (timers run late), and never less than one slice. */
export const burstFor = (rate: number, slice: number) => Math.max(slice, Math.floor(rate / 50));

/** Waits until `performance.now()` reaches `due` (timers may fire early against that clock). */
async function until(due: number): Promise<void> {
  for (let wait = due - performance.now(); wait > 0; wait = due - performance.now())
    await new Promise((r) => setTimeout(r, wait));
}

export class Link {
  private s: LinkSettings = linkSettingsSchema.parse({});
  private shared: TokenBucket | null = null;

  constructor(
    settings?: unknown,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (settings !== undefined) this.set(settings);
  }

  get settings(): LinkSettings {
    return { ...this.s };
  }

  /** A preset's name or settings; the shared bucket starts full. */
  set(input: unknown): LinkSettings {
    this.s = parseLink(input);
    const rate = this.s.linkBytesPerSecond;
    this.shared = rate
      ? new TokenBucket(rate, burstFor(rate, sliceBytes(this.rates())), this.now())
      : null;
    return this.settings;
  }

  private rates(): number[] {
    return [this.s.connectionBytesPerSecond, this.s.linkBytesPerSecond].filter(
      (r): r is number => r !== undefined,
    );
  }

  /** This request's first-byte latency in ms. */
  latency(): number {
    const { latencyMs, jitterMs } = this.s;
    if (!latencyMs && !jitterMs) return 0;
    return Math.max(0, latencyMs + (this.random() * 2 - 1) * jitterMs);
  }

  /** Waits out this request's first-byte latency. */
  async delay(): Promise<void> {
    const ms = this.latency();
    if (ms > 0) await until(performance.now() + ms);
  }

  /**
   * For a new connection: when each slice it sends may leave (`performance.now()`'s clock), or
   * null when no rate is set. Each call reserves the slice from the connection's own bucket and
   * the shared one, and the later of the two answers.
   */
  connection(): { slice: number; schedule: (n: number) => number } | null {
    const rates = this.rates();
    if (!rates.length) return null;
    const slice = sliceBytes(rates);
    const perConnection = this.s.connectionBytesPerSecond;
    const own = perConnection
      ? new TokenBucket(perConnection, burstFor(perConnection, slice), this.now())
      : null;
    const buckets = [own, this.shared].filter((b): b is TokenBucket => b !== null);
    return {
      slice,
      schedule: (n) => {
        const t = this.now();
        return t + Math.max(...buckets.map((b) => b.reserve(n, t)));
      },
    };
  }

  /** The connection the HTTP server should see: the socket itself, or a shaped one. */
  accept(socket: Socket): Socket | Duplex {
    const c = this.connection();
    return c ? new ShapedSocket(socket, c.slice, c.schedule) : socket;
  }
}

/**
 * A socket whose outgoing bytes leave in slices, each when `schedule` says (a time on
 * `performance.now()`'s clock). Incoming bytes pass straight through.
 */
export class ShapedSocket extends Duplex {
  constructor(
    private readonly socket: Socket,
    private readonly slice: number,
    private readonly schedule: (n: number) => number,
  ) {
    super({ allowHalfOpen: false });
    socket.on('data', (d: Buffer) => {
      if (!this.push(d)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.destroy());
    socket.on('error', (err) => this.destroy(err));
    socket.on('timeout', () => this.emit('timeout'));
  }

  get remoteAddress() {
    return this.socket.remoteAddress;
  }
  get remotePort() {
    return this.socket.remotePort;
  }
  setTimeout(ms: number, cb?: () => void): this {
    this.socket.setTimeout(ms);
    if (cb) this.once('timeout', cb);
    return this;
  }
  setNoDelay(noDelay?: boolean): this {
    this.socket.setNoDelay(noDelay);
    return this;
  }
  setKeepAlive(enable?: boolean, delay?: number): this {
    this.socket.setKeepAlive(enable, delay);
    return this;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.send(chunk).then(() => done(), done);
  }

  override _writev(chunks: { chunk: Buffer }[], done: (err?: Error | null) => void): void {
    (async () => {
      for (const { chunk } of chunks) await this.send(chunk);
    })().then(() => done(), done);
  }

  private async send(chunk: Buffer): Promise<void> {
    for (let off = 0; off < chunk.length; off += this.slice) {
      const part = chunk.subarray(off, off + this.slice);
      await until(this.schedule(part.length));
      if (this.socket.destroyed) throw new Error('connection closed');
      if (!this.socket.write(part))
        await new Promise<void>((resolve) => {
          const go = () => {
            this.socket.off('drain', go);
            this.socket.off('close', go);
            resolve();
          };
          this.socket.on('drain', go);
          this.socket.on('close', go);
        });
    }
  }

  override _final(done: (err?: Error | null) => void): void {
    this.socket.end(() => done());
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.socket.destroy();
    done(err);
  }
}

/**
 * Fault injection for tests of the app, off by default. A rule matches requests by service,
 * operation, bucket and key prefix, applies to the next `times` matches (all, when absent),
 * and may delay, fail with 503 SlowDown / 500, stall or cut the body, flip a byte, or limit
 * the bandwidth of the connection — or hold the request unanswered until the test releases it
 * (so a test can act while a request is in flight without guessing how long that lasts).
 */
import { Transform, type TransformCallback } from 'node:stream';
import { z } from 'zod';

export const faultRuleSchema = z
  .object({
    service: z.enum(['s3', 'cognito-idp', 'cognito-identity']).default('s3'),
    operation: z.string().optional(),
    bucket: z.string().optional(),
    keyPrefix: z.string().optional(),
    times: z.number().int().positive().optional(),
    latencyMs: z.number().int().nonnegative().optional(),
    status: z.union([z.literal(500), z.literal(503)]).optional(),
    stallAfterBytes: z.number().int().nonnegative().optional(),
    /** How long a stall lasts; absent: until the client gives up. */
    stallMs: z.number().int().positive().optional(),
    cutAfterBytes: z.number().int().nonnegative().optional(),
    flipByteAt: z.number().int().nonnegative().optional(),
    bytesPerSecond: z.number().int().positive().optional(),
    /** The request waits, unanswered, until the faults are released or cleared. */
    hold: z.boolean().optional(),
  })
  .strict();

export type FaultRule = z.input<typeof faultRuleSchema>;
type Rule = z.output<typeof faultRuleSchema> & { used: number };

export interface FaultContext {
  service: 's3' | 'cognito-idp' | 'cognito-identity';
  operation: string;
  bucket?: string;
  key?: string;
}

export interface BodyFaults {
  stallAfterBytes?: number;
  stallMs?: number;
  cutAfterBytes?: number;
  flipByteAt?: number;
  bytesPerSecond?: number;
}

export interface TakenFaults {
  latencyMs: number;
  status?: 500 | 503;
  hold?: boolean;
  body: BodyFaults;
}

export class Faults {
  private rules: Rule[] = [];
  private held: { ctx: FaultContext; release: () => void }[] = [];
  private readonly holdListeners = new Set<(ctx: FaultContext) => void>();

  set(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...faultRuleSchema.parse(r), used: 0 }));
  }

  add(rule: FaultRule): void {
    this.rules.push({ ...faultRuleSchema.parse(rule), used: 0 });
  }

  /** No more rules; held requests go on. */
  clear(): void {
    this.rules = [];
    this.release();
  }

  /** Lets every held request go on; returns how many there were. */
  release(): number {
    const held = this.held;
    this.held = [];
    for (const h of held) h.release();
    return held.length;
  }

  /** The requests held now (operation, bucket, key). */
  holding(): FaultContext[] {
    return this.held.map((h) => h.ctx);
  }

  /** Holds a request until release() (what a rule with `hold` asks for). */
  hold(ctx: FaultContext): Promise<void> {
    return new Promise<void>((release) => {
      this.held.push({ ctx, release });
      for (const l of this.holdListeners) l(ctx);
    });
  }

  /** In-process tests: resolves once a request matching `operation` is held (or already is). */
  whenHeld(operation?: string): Promise<FaultContext> {
    const match = (c: FaultContext) => operation === undefined || c.operation === operation;
    const already = this.holding().find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve) => {
      const listener = (c: FaultContext) => {
        if (!match(c)) return;
        this.holdListeners.delete(listener);
        resolve(c);
      };
      this.holdListeners.add(listener);
    });
  }

  /** Requests the current rules have matched so far (a test waits on it: the request arrived). */
  get matched(): number {
    return this.rules.reduce((n, r) => n + r.used, 0);
  }

  /** The rules that apply to this request (each use counts against `times`). */
  take(ctx: FaultContext): TakenFaults {
    const out: TakenFaults = {
      latencyMs: 0,
      body: {},
    };
    for (const r of this.rules) {
      if (r.service !== ctx.service) continue;
      if (r.operation && r.operation !== ctx.operation) continue;
      if (r.bucket && r.bucket !== ctx.bucket) continue;
      if (r.keyPrefix !== undefined && !(ctx.key ?? '').startsWith(r.keyPrefix)) continue;
      if (r.times !== undefined && r.used >= r.times) continue;
      r.used++;
      out.latencyMs += r.latencyMs ?? 0;
      if (r.status) out.status = r.status;
      if (r.hold) out.hold = true;
      for (const k of [
        'stallAfterBytes',
        'stallMs',
        'cutAfterBytes',
        'flipByteAt',
        'bytesPerSecond',
      ] as const) {
        if (r[k] !== undefined) out.body[k] = r[k];
      }
    }
    return out;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Applies body faults to a response body; `cut` is called to drop the connection. */
export class FaultyBody extends Transform {
  private sent = 0;
  private readonly started = Date.now();
  private throttled = 0;
  private stalled = false;

  constructor(
    private readonly f: BodyFaults,
    private readonly cut: () => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.process(chunk).then(() => done(), done);
  }

  private async process(input: Buffer): Promise<void> {
    let chunk = input;
    const { flipByteAt, cutAfterBytes, stallAfterBytes, bytesPerSecond } = this.f;
    if (
      flipByteAt !== undefined &&
      flipByteAt >= this.sent &&
      flipByteAt < this.sent + chunk.length
    ) {
      chunk = Buffer.from(chunk);
      chunk[flipByteAt - this.sent] = chunk[flipByteAt - this.sent]! ^ 0xff;
    }
    const slice = bytesPerSecond ? Math.max(1024, Math.floor(bytesPerSecond / 50)) : chunk.length;
    for (let off = 0; off < chunk.length;) {
      let n = Math.min(slice, chunk.length - off);
      if (cutAfterBytes !== undefined) n = Math.min(n, Math.max(0, cutAfterBytes - this.sent));
      if (stallAfterBytes !== undefined && !this.stalled)
        n = Math.min(n, Math.max(0, stallAfterBytes - this.sent));
      if (n > 0) {
        if (bytesPerSecond) {
          this.throttled += n;
          const due = this.started + (this.throttled / bytesPerSecond) * 1000;
          const wait = due - Date.now();
          if (wait > 0) await sleep(wait);
        }
        this.push(chunk.subarray(off, off + n));
        this.sent += n;
        off += n;
      }
      if (cutAfterBytes !== undefined && this.sent >= cutAfterBytes) {
        // Let what was pushed reach the socket, then drop the connection.
        await sleep(20);
        this.cut();
        return new Promise(() => undefined);
      }
      if (stallAfterBytes !== undefined && !this.stalled && this.sent >= stallAfterBytes) {
        this.stalled = true;
        if (this.f.stallMs === undefined) return new Promise(() => undefined);
        await sleep(this.f.stallMs);
      }
    }
  }
}

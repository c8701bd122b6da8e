/**
 * Progress, measured and told. How fast one running transfer moves, measured honestly: the speed
 * is the bytes of the last few seconds (so it falls when nothing arrives, instead of freezing at
 * the last good value), and a transfer that has received nothing for a while, or waits to retry,
 * says so (issue #11 item 8). And how often listeners (the window, the CLI) hear of it: a change
 * of state at once, progress at most every 150 ms per transfer.
 */
import type { TransferView } from '../../../shared/ipc';
import type { RetryInfo } from '../download/retry';

/** The window the speed is measured over. */
const WINDOW_MS = 5_000;
/** After this long without a byte, the transfer is "quiet": no speed, no time left. */
export const QUIET_AFTER_MS = 3_000;
/** A speed needs at least this much time measured. */
const MIN_SPAN_MS = 1_000;

export class ProgressMeter {
  private samples: { t: number; bytes: number }[];
  private lastBytesAt: number;
  /** Set while the engine waits to try again; cleared by the next byte that arrives. */
  retry?: RetryInfo;

  constructor(
    private readonly now: () => number,
    bytes: number,
  ) {
    const t = now();
    this.samples = [{ t, bytes }];
    this.lastBytesAt = t;
  }

  /** The transfer's byte count is now `total` after a change of `delta` bytes. */
  update(total: number, delta: number): void {
    if (delta > 0) {
      this.lastBytesAt = this.now();
      this.retry = undefined;
    }
    // Bytes thrown away (a restart): the speed starts over from here.
    if (delta < 0) this.samples = [];
    this.sample(total);
  }

  /** Records the count as it stands (called on a timer too, so a silence shows). */
  sample(total: number): void {
    const t = this.now();
    const last = this.samples[this.samples.length - 1];
    if (last && t - last.t < 100) last.bytes = Math.max(last.bytes, total);
    else this.samples.push({ t, bytes: total });
    // Keep one sample at or before the window's start, so the window is always covered.
    while (this.samples.length > 2 && this.samples[1]!.t <= t - WINDOW_MS) this.samples.shift();
  }

  /** Bytes per second over the last few seconds; undefined until enough is measured. */
  speed(): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last) return undefined;
    const end = Math.max(last.t, this.now());
    const span = end - first.t;
    if (span < MIN_SPAN_MS) return undefined;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / span);
  }

  /** Since when nothing has arrived, once that has lasted QUIET_AFTER_MS (epoch ms). */
  quietSince(): number | undefined {
    return this.now() - this.lastBytesAt >= QUIET_AFTER_MS ? this.lastBytesAt : undefined;
  }
}

const EMIT_EVERY_MS = 150;

/**
 * The listeners of a queue's transfers, told of state changes at once and of progress throttled.
 * `R` is the queue's record (view.ts): only its id is read here, the rest goes to `view`.
 */
export class TransferEvents<R extends { id: string }> {
  private readonly listeners = new Set<(v: TransferView) => void>();
  /** The running transfers: when each was last told, and the telling waiting for its turn. */
  private readonly throttled = new Map<string, { last: number; timer?: NodeJS.Timeout }>();

  constructor(
    private readonly now: () => number,
    private readonly view: (r: R) => TransferView,
  ) {}

  on(listener: (v: TransferView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Until `end(id)`, this transfer's progress is told at most every 150 ms. */
  start(id: string): void {
    this.throttled.set(id, { last: 0 });
  }

  end(id: string): void {
    clearTimeout(this.throttled.get(id)?.timer);
    this.throttled.delete(id);
  }

  /** Tells listeners now (a state change), or soon (`now` false: progress of a running one). */
  emit(r: R, now = true): void {
    const t = this.throttled.get(r.id);
    if (!now && t) {
      if (t.timer) return;
      const wait = t.last + EMIT_EVERY_MS - this.now();
      if (wait > 0) {
        t.timer = setTimeout(() => {
          t.timer = undefined;
          this.emit(r);
        }, wait);
        return;
      }
    }
    if (t) {
      clearTimeout(t.timer);
      t.timer = undefined;
      t.last = this.now();
    }
    this.tell(this.view(r));
  }

  /** Tells listeners this view as it is (a removed transfer's last word). */
  tell(v: TransferView): void {
    for (const l of this.listeners) l(v);
  }
}

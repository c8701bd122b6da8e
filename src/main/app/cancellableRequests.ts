/**
 * Renderer calls that can be cancelled by name (issue #11 item 3): the window names each
 * listing, search step and preview it asks for, and cancels the ones it no longer wants (the
 * user moved on). The call's AbortSignal reaches the SDK, so the S3 request itself stops.
 * Over the browser transport a cancel can overtake its call (two HTTP requests), so ids
 * cancelled before they started are remembered — a bounded set, oldest forgotten first.
 */
import { KuraError } from '../services/kuraError';

const REMEMBERED = 256;

export class CancellableRequests {
  private readonly live = new Map<string, AbortController>();
  private readonly early = new Set<string>();

  /** Runs `op` under `id` (no id: not cancellable); a cancelled call fails with CANCELLED. */
  async run<T>(id: string | undefined, op: (signal?: AbortSignal) => Promise<T>): Promise<T> {
    if (id === undefined) return op();
    if (this.early.delete(id)) throw new KuraError('CANCELLED');
    const controller = new AbortController();
    this.live.get(id)?.abort(); // an id reused while live: the older call is the stale one
    this.live.set(id, controller);
    try {
      const value = await op(controller.signal);
      if (controller.signal.aborted) throw new KuraError('CANCELLED');
      return value;
    } catch (err) {
      if (err instanceof KuraError && err.code === 'CANCELLED') throw err;
      if (controller.signal.aborted) throw new KuraError('CANCELLED', undefined, { cause: err });
      throw err;
    } finally {
      if (this.live.get(id) === controller) this.live.delete(id);
    }
  }

  cancel(id: string): void {
    const controller = this.live.get(id);
    if (controller) {
      controller.abort();
      return;
    }
    this.early.add(id);
    if (this.early.size > REMEMBERED) this.early.delete(this.early.values().next().value!);
  }

  /** Calls in flight (for tests). */
  get size(): number {
    return this.live.size;
  }
}

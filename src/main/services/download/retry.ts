/**
 * How the download engine decides what to retry, how long it waits, and how it tells the queue
 * that it is waiting: a download that is retrying is not moving, and the user is told why and
 * when the next attempt comes (issue #11 item 8), instead of a frozen speed.
 */
import type { ErrorView } from '../../../shared/errors';
import { httpStatusOf, KuraError } from '../kuraError';

/** What the engine reports while it waits to try again. */
export interface RetryInfo {
  /** Why the last attempt failed. */
  reason: ErrorView;
  /** The attempt that comes next (2 = the first retry). */
  attempt: number;
  /** When it comes (epoch ms). */
  nextAttemptAt: number;
}

/** The object changed under the download (412, 416, another size): start over, never splice. */
export class ObjectChanged extends Error {}
/** A body that stayed silent for the whole idle window (see objectDownload's watchdog). */
export class Stalled extends Error {}

export type Failure = 'changed' | 'throttled' | 'transient' | 'fatal';

export function classify(err: unknown): Failure {
  if (err instanceof ObjectChanged) return 'changed';
  if (err instanceof Stalled) return 'transient';
  const status = httpStatusOf(err);
  const inner = err instanceof KuraError ? err.cause : err;
  const name = String((inner as { name?: string } | undefined)?.name ?? '');
  if (status === 412 || status === 416 || name === 'PreconditionFailed') return 'changed';
  if (err instanceof KuraError) {
    if (err.code === 'THROTTLED') return 'throttled';
    if (err.code === 'UNAVAILABLE') return status === 503 ? 'throttled' : 'transient';
    if (err.code === 'NETWORK') return 'transient';
    if (err.code !== 'UNKNOWN') return 'fatal';
  }
  if (status === 503 || name === 'SlowDown') return 'throttled';
  if (status !== undefined && status >= 500) return 'transient';
  if (status !== undefined && status >= 400) return 'fatal';
  // Resets, "aborted", premature close, socket hang-ups: the body broke off.
  return 'transient';
}

/** Why a retryable failure happened, as a code the UI words (never the raw error text). */
export function retryReason(err: unknown, kind: Failure): ErrorView {
  if (err instanceof Stalled) return { code: 'NETWORK', detail: 'no data arrived for too long' };
  if (err instanceof KuraError && ['THROTTLED', 'UNAVAILABLE', 'NETWORK'].includes(err.code))
    return { code: err.code };
  const status = httpStatusOf(err);
  const name = String((err as { name?: string } | undefined)?.name ?? '');
  if (kind === 'throttled') return { code: name === 'SlowDown' ? 'THROTTLED' : 'UNAVAILABLE' };
  if (status !== undefined && status >= 500) return { code: 'UNAVAILABLE' };
  return { code: 'NETWORK' };
}

/** The error a retryable failure becomes once the retries are used up. */
export function givenUp(err: unknown): KuraError {
  if (err instanceof Stalled) return new KuraError('NETWORK', 'no data arrived for too long');
  if (err instanceof KuraError) return err;
  const reason = retryReason(err, classify(err));
  return new KuraError(reason.code, (err as Error).message, { cause: err });
}

/** Capped exponential backoff with jitter: about `base`, 2×, 4× … up to 10 s. */
export function backoffDelay(failures: number, base: number): number {
  const backoff = Math.min(10_000, base * 2 ** (failures - 1));
  return backoff / 2 + Math.random() * (backoff / 2);
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new KuraError('CANCELLED'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new KuraError('CANCELLED'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Runs `op` (a HEAD, a listing page), retrying throttling and transient failures with capped
 * backoff and reporting each wait; a fatal failure, or the last one, is thrown.
 */
export async function withRetries<T>(
  op: () => Promise<T>,
  o: {
    signal?: AbortSignal;
    retries: number;
    backoffMs: number;
    onRetry?: (r: RetryInfo) => void;
  },
): Promise<T> {
  for (let failures = 1; ; failures++) {
    if (o.signal?.aborted) throw new KuraError('CANCELLED');
    try {
      return await op();
    } catch (err) {
      if (o.signal?.aborted) throw new KuraError('CANCELLED');
      const kind = classify(err);
      if (kind === 'changed') throw err;
      if (kind === 'fatal' || failures > o.retries) throw givenUp(err);
      const wait = backoffDelay(failures, o.backoffMs);
      o.onRetry?.({
        reason: retryReason(err, kind),
        attempt: failures + 1,
        nextAttemptAt: Date.now() + wait,
      });
      await sleep(wait, o.signal);
    }
  }
}

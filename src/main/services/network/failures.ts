/** Telling the network failing apart from a server answering (used by the engine and the transport). */
import { KuraError } from '../kuraError';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ECONNABORTED',
  'ERR_PROXY_GATEWAY',
]);

/** Whether an error (or one it wraps) is the network failing, not the server answering. */
export function isNetworkFailure(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    if (e instanceof KuraError) return e.code === 'NETWORK' || e.code === 'PROXY_UNREACHABLE';
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

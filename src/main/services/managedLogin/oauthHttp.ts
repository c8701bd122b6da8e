/**
 * The one function every HTTP request of managed login goes through: the token endpoint (code
 * exchange, refresh), the revocation endpoint and the user pool's JWKS. The network layer
 * (proxy, TLS, offline) routes main's requests in one place; this is that place for OAuth.
 * A request that cannot reach the server is NETWORK; the answer is returned as it came
 * (status and JSON body) for the caller to judge.
 */
import { KuraError } from '../kuraError';

export interface OAuthRequest {
  url: string;
  method: 'GET' | 'POST';
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Default 30 s. */
  timeoutMs?: number;
}

export interface OAuthResponse {
  status: number;
  /** The JSON body, or null when there was none (or it was not JSON). */
  body: unknown;
}

export async function oauthHttp(r: OAuthRequest): Promise<OAuthResponse> {
  let res: Response;
  try {
    res = await fetch(r.url, {
      method: r.method,
      redirect: 'error',
      headers: {
        accept: 'application/json',
        ...(r.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...r.headers,
      },
      body: r.form ? new URLSearchParams(r.form).toString() : undefined,
      signal: AbortSignal.timeout(r.timeoutMs ?? 30_000),
    });
  } catch (err) {
    throw new KuraError('NETWORK', undefined, { cause: err });
  }
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    body = null;
  }
  return { status: res.status, body };
}

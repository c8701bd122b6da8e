/**
 * The one function every HTTP request of managed login goes through: the token endpoint (code
 * exchange, refresh), the revocation endpoint and the user pool's JWKS. The network layer
 * (proxy, TLS, offline) routes main's requests in one place; this is that place for OAuth.
 * A request that cannot reach the server is NETWORK; the answer is returned as it came
 * (status and JSON body) for the caller to judge.
 */
import { KuraError } from '../kuraError';
import type { FetchAnswer, RequestInit } from '../network/network';

/** The network's way out (network.ts Transport): proxy, trust store, offline detection. */
export interface OAuthTransport {
  fetch(url: string, init?: RequestInit): Promise<FetchAnswer>;
}

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

export async function oauthHttp(r: OAuthRequest, via?: OAuthTransport): Promise<OAuthResponse> {
  const headers = {
    accept: 'application/json',
    ...(r.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    ...r.headers,
  };
  const body = r.form ? new URLSearchParams(r.form).toString() : undefined;
  const signal = AbortSignal.timeout(r.timeoutMs ?? 30_000);
  let status: number;
  let text: string;
  try {
    if (via) {
      // Node's http under the network's agents: no redirect is followed (as redirect: 'error').
      const res = await via.fetch(r.url, { method: r.method, headers, body, signal });
      status = res.status;
      text = res.text();
    } else {
      const res = await fetch(r.url, {
        method: r.method,
        redirect: 'error',
        headers,
        body,
        signal,
      });
      status = res.status;
      text = await res.text().catch(() => '');
    }
  } catch (err) {
    // The network's own words (a refused certificate, a proxy's question) stay as they are.
    if (err instanceof KuraError) throw err;
    throw new KuraError('NETWORK', undefined, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    parsed = null;
  }
  return { status, body: parsed };
}

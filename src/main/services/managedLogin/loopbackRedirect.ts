/**
 * Receives one OAuth redirect on the loopback interface (RFC 8252 §7.3): a server on
 * 127.0.0.1 — the IP literal, not `localhost` (§8.3) — on a port the system chooses or, when the
 * organisation's authorization server matches ports exactly, the first free one of a fixed list.
 * It answers exactly one request: a GET of its path whose `state` is the one this sign-in sent.
 * Anything else (another path, another Host, a missing or different `state` — a page trying to
 * inject its own code, RFC 6749 §10.12) is refused and does not end the wait. Then it closes;
 * so does a timeout or a cancel. Nothing is left listening.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { KuraError } from '../kuraError';
import { WORDS } from '../../i18n';

export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port><path>`: the redirect_uri (or logout_uri) to send. */
  uri: string;
  /** The accepted request's query; rejects on timeout (SIGN_IN_TIMEOUT) or cancel (CANCELLED). */
  result: Promise<URLSearchParams>;
  /** Stops listening now (a cancel). */
  close(): void;
}

export interface LoopbackOptions {
  path: string;
  /** Fixed ports to try in order; absent: one the system chooses. */
  ports?: number[];
  timeoutMs: number;
  /** The state the request must carry; absent: any request to the path is accepted (sign-out). */
  state?: string;
  signal?: AbortSignal;
  /** The page the browser shows once the request is accepted. */
  page: (query: URLSearchParams) => string;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function html(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'referrer-policy': 'no-referrer',
    connection: 'close',
  });
  res.end(body);
}

async function listen(server: Server, ports: number[]): Promise<number> {
  for (const port of ports) {
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => {
          server.off('listening', onListening);
          reject(err);
        };
        const onListening = () => {
          server.off('error', onError);
          resolve();
        };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen(port, '127.0.0.1');
      });
      return (server.address() as AddressInfo).port;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
    }
  }
  throw new KuraError('REDIRECT_PORT_BUSY');
}

export async function listenForRedirect(o: LoopbackOptions): Promise<LoopbackRedirect> {
  let settle: { resolve: (q: URLSearchParams) => void; reject: (e: unknown) => void };
  const result = new Promise<URLSearchParams>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined); // the caller awaits it; a close before that is not unhandled
  let done = false;
  let host = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (done || req.method !== 'GET' || url.pathname !== o.path || req.headers.host !== host)
      return html(res, 404, '<!doctype html><title>Kura</title><p>Not found.</p>');
    const state = url.searchParams.get('state');
    if (o.state !== undefined && (state === null || !same(state, o.state)))
      return html(
        res,
        400,
        '<!doctype html><meta charset="utf-8"><title>Kura</title>' +
          `<p>${WORDS.en.browserPage.notStarted}</p><p>${WORDS.ja.browserPage.notStarted}</p>`,
      );
    done = true;
    res.once('finish', () => finish());
    html(res, 200, o.page(url.searchParams));
    settle.resolve(url.searchParams);
  });
  const timer = setTimeout(() => {
    settle.reject(new KuraError('SIGN_IN_TIMEOUT'));
    finish();
  }, o.timeoutMs);
  timer.unref();
  const onAbort = () => {
    settle.reject(new KuraError('CANCELLED'));
    finish();
  };
  function finish() {
    done = true;
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    server.close();
    server.closeAllConnections();
  }
  let port: number;
  try {
    port = await listen(server, o.ports?.length ? o.ports : [0]);
  } catch (err) {
    finish();
    throw err;
  }
  host = `127.0.0.1:${port}`;
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    uri: `http://${host}${o.path}`,
    result,
    close: onAbort,
  };
}

/**
 * The browser transport — the one place where Electron's IPC is replaced. It serves the built
 * renderer on 127.0.0.1 and carries the same contract through the same dispatcher (schemas,
 * sender checks) to the same services: POST /ipc/<method> and a server-sent event stream. Used
 * by the e2e harness (Playwright on Debian Chromium) and by `npm run demo` where no Electron
 * binary exists. Who may call, in three layers (security review #2):
 *
 * - The URL's token is one-time: the first request that shows it burns it and opens a session.
 *   A leaked URL (shell history, a screenshot, a process listing) is worth nothing afterwards.
 * - The session is a separate random secret in an HttpOnly, SameSite=Strict cookie. Cookies are
 *   not port-isolated — Chromium sends it to every 127.0.0.1 port — so it only lets the page
 *   load; alone it calls nothing.
 * - Every call carries a per-session key in the `x-kura-key` header (the event stream, which
 *   EventSource opens without headers, in its URL). The key reaches the page in
 *   the redirect's URL fragment (never sent to any server), which the bridge moves into the
 *   tab's sessionStorage (port-isolated) and removes from the address bar. Another local page
 *   cannot set the header cross-origin without a CORS preflight this server never grants, and
 *   cannot read the key.
 *
 * Host and Origin must be this server's (no DNS rebinding, no other site).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KuraApi, KuraEvents } from '../../shared/ipc';
import { createDispatcher } from '../ipc/dispatcher';
import { CONTENT_SECURITY_POLICY, rendererFileAt } from '../shell/rendererFiles';

export interface BrowserTransportOptions {
  api: KuraApi;
  /** Subscribes to main's events (session, transfer); returns an unsubscribe. */
  subscribe: (
    send: <E extends keyof KuraEvents>(event: E, payload: KuraEvents[E]) => void,
  ) => () => void;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The bundled browser bridge script (src/renderer/transport/browserBridge.ts). */
  bridgeScript: string;
  port?: number;
  log?: (message: string) => void;
}

export interface BrowserTransport {
  /** Open this (it carries a one-time token). */
  url: string;
  /** Another one-time URL (a second browser tab, or the first one was used up). */
  newUrl(): string;
  origin: string;
  close(): Promise<void>;
}

const COOKIE = 'kura_session';
/** The header every call must carry (the page's per-session key). */
export const KEY_HEADER = 'x-kura-key';
const secret = () => randomBytes(32).toString('base64url');

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startBrowserTransport(o: BrowserTransportOptions): Promise<BrowserTransport> {
  /** One-time URL tokens not used yet. */
  const urlTokens = new Set<string>();
  /** Session secret (cookie) → the key its page must send with every call. */
  const sessions = new Map<string, string>();
  const log = o.log ?? (() => undefined);
  let origin = '';
  const dispatch = () => createDispatcher(o.api, origin, log);
  let dispatcher: ReturnType<typeof dispatch> | null = null;
  const streams = new Set<ServerResponse>();

  /** The key of the session the request's cookie names, if it names one. */
  const sessionKey = (req: IncomingMessage): string | undefined => {
    const cookie = req.headers.cookie ?? '';
    const m = new RegExp(`(?:^|;\\s*)${COOKIE}=([\\w-]+)`).exec(cookie);
    const given = m?.[1] ?? '';
    for (const [s, key] of sessions) if (sameSecret(given, s)) return key;
    return undefined;
  };
  /**
   * The page itself: its session cookie and its key in the header — or, for the event stream
   * only (EventSource cannot send a header; the stream calls nothing), in the URL.
   */
  const callerIsPage = (req: IncomingMessage, url: URL, key: string) => {
    const header = req.headers[KEY_HEADER];
    const given =
      typeof header === 'string'
        ? header
        : url.pathname === '/events'
          ? (url.searchParams.get('key') ?? '')
          : '';
    return sameSecret(given, key);
  };
  const send = (
    res: ServerResponse,
    status: number,
    body: string | Buffer,
    type = 'text/plain; charset=utf-8',
  ) => {
    res.writeHead(status, {
      'content-type': type,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    res.end(body);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      // Only this server's own name: refuses DNS-rebinding pages that point at 127.0.0.1.
      if (req.headers.host !== new URL(origin).host) return send(res, 421, 'wrong host');
      if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
        const given = url.searchParams.get('token') ?? '';
        const token = [...urlTokens].find((t) => sameSecret(given, t));
        if (!token)
          return send(res, 403, 'this URL was already used; ask the program for a new one');
        urlTokens.delete(token);
        const session = secret();
        const key = secret();
        sessions.set(session, key);
        res.writeHead(302, {
          location: `/index.html#kura-key=${key}`,
          'set-cookie': `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
        });
        return res.end();
      }
      const key = sessionKey(req);
      if (!key) return send(res, 403, 'open the URL with its token first');
      const isCall =
        (req.method === 'POST' && url.pathname.startsWith('/ipc/')) ||
        (req.method === 'GET' && url.pathname === '/events');
      if (isCall && !callerIsPage(req, url, key)) return send(res, 403, 'missing or wrong key');
      if (req.method === 'POST' && url.pathname.startsWith('/ipc/')) {
        if (req.headers.origin !== origin) return send(res, 403, 'wrong origin');
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const c of req as AsyncIterable<Buffer>) {
          size += c.length;
          if (size > 1024 * 1024) return send(res, 413, 'too large');
          chunks.push(c);
        }
        let args: unknown;
        try {
          args = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return send(res, 400, 'not JSON');
        }
        const method = decodeURIComponent(url.pathname.slice('/ipc/'.length));
        dispatcher ??= dispatch();
        const result = await dispatcher(
          method,
          { frameUrl: `${origin}/index.html`, isMainFrame: true, isAppWindow: true },
          Array.isArray(args) ? args : [args],
        );
        return send(res, 200, JSON.stringify(result), 'application/json');
      }
      if (req.method === 'GET' && url.pathname === '/events') {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      if (req.method !== 'GET') return send(res, 405, 'method not allowed');
      if (url.pathname === '/kura-bridge.js')
        return send(res, 200, o.bridgeScript, 'text/javascript; charset=utf-8');
      const file = rendererFileAt(url.pathname, o.rendererDir);
      if (!file) return send(res, 404, 'not found');
      let body = await readFile(file.path);
      if (file.type.startsWith('text/html')) {
        // The bridge must exist before the app's own module script runs.
        body = Buffer.from(
          body
            .toString('utf8')
            .replace('<script', '<script src="/kura-bridge.js"></script>\n    <script'),
        );
      }
      return send(res, 200, body, file.type);
    })().catch((err: unknown) => {
      log(`browser transport error: ${String(err)}`);
      if (!res.headersSent) send(res, 500, 'internal error');
    });
  });
  const unsubscribe = o.subscribe((event, payload) => {
    const line = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const s of streams) s.write(line);
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const newUrl = () => {
    const token = secret();
    urlTokens.add(token);
    return `${origin}/?token=${token}`;
  };
  return {
    origin,
    url: newUrl(),
    newUrl,
    close: async () => {
      unsubscribe();
      for (const s of streams) s.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

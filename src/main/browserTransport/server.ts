/**
 * The browser transport — the one place where Electron's IPC is replaced. It serves the built
 * renderer on 127.0.0.1 and carries the same contract through the same dispatcher (schemas,
 * sender checks) to the same services: POST /ipc/<method> and server-sent events. Used by the
 * e2e harness (Playwright on Debian Chromium) and by `npm run demo` where no Electron binary
 * exists. Loopback only; a random token, exchanged once for an HttpOnly cookie, is the sender
 * check; the Host and Origin headers must be this server's (no DNS rebinding, no other site).
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
  /** Open this (it carries the one-time token). */
  url: string;
  origin: string;
  close(): Promise<void>;
}

const COOKIE = 'kura_session';

export async function startBrowserTransport(o: BrowserTransportOptions): Promise<BrowserTransport> {
  const token = randomBytes(32).toString('base64url');
  const log = o.log ?? (() => undefined);
  let origin = '';
  const dispatch = () => createDispatcher(o.api, origin, log);
  let dispatcher: ReturnType<typeof dispatch> | null = null;
  const streams = new Set<ServerResponse>();

  const tokenFrom = (req: IncomingMessage) => {
    const cookie = req.headers.cookie ?? '';
    const m = new RegExp(`(?:^|;\\s*)${COOKIE}=([\\w-]+)`).exec(cookie);
    return m?.[1] ?? '';
  };
  const authorised = (req: IncomingMessage) => {
    const given = Buffer.from(tokenFrom(req));
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
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
        const given = Buffer.from(url.searchParams.get('token') ?? '');
        if (given.length !== token.length || !timingSafeEqual(given, Buffer.from(token)))
          return send(res, 403, 'wrong token');
        res.writeHead(302, {
          location: '/index.html',
          'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        });
        return res.end();
      }
      if (!authorised(req)) return send(res, 403, 'open the URL with its token first');
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
  return {
    origin,
    url: `${origin}/?token=${token}`,
    close: async () => {
      unsubscribe();
      for (const s of streams) s.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

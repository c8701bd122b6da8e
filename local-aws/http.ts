import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

export const MAX_JSON_BODY = 1024 * 1024;

export function requestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** Reads a whole small body; refuses anything over `limit` bytes. */
export async function readSmallBody(req: IncomingMessage, limit = MAX_JSON_BODY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType: string) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId(),
  });
  res.end(text);
}

/** Splits the raw query string into decoded pairs the way SigV4 needs them (no `+` → space). */
export function parseQuery(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!rawQuery) return out;
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq === -1 ? part : part.slice(0, eq);
    const v = eq === -1 ? '' : part.slice(eq + 1);
    out.set(safeDecode(k), safeDecode(v));
  }
  return out;
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Loopback names only: 127.0.0.1, localhost, [::1], and `<bucket>.localhost` (virtual hosts). */
export function isLoopbackHost(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  return (
    name === '127.0.0.1' || name === 'localhost' || name === '[::1]' || name.endsWith('.localhost')
  );
}

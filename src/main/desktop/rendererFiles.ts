/**
 * What the app:// protocol serves: files of the built renderer only, with a strict CSP.
 * Plain Node (no Electron) so it is unit-tested directly.
 */
import { realpathSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'kura';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  // pdf.js's worker is an ES module: a worker script must be served as JavaScript.
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  // pdf.js's standard fonts and character maps (out/renderer/pdfjs).
  '.pfb': 'application/octet-stream',
  '.ttf': 'font/ttf',
  '.bcmap': 'application/octet-stream',
};

/** Maps an app:// URL to a file inside `rendererDir`, or null (wrong host, escape, not a file). */
export function rendererFileFor(
  url: string,
  rendererDir: string,
): { path: string; type: string } | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  return rendererFileAt(u.pathname, rendererDir);
}

/** Maps a URL path (still percent-encoded) to a file inside `rendererDir`, or null. */
export function rendererFileAt(
  encodedPath: string,
  rendererDir: string,
): { path: string; type: string } | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(encodedPath);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relative = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^([/\\])+/, '');
  let root: string;
  let path: string;
  try {
    root = realpathSync(rendererDir);
    path = realpathSync(join(root, relative));
  } catch {
    return null;
  }
  if (!path.startsWith(root + sep)) return null;
  const type = TYPES[extname(path).toLowerCase()];
  return type ? { path, type } : null;
}

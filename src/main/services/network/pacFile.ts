/**
 * A PAC file's FindProxyForURL as a ProxyResolver, evaluated by pac-resolver in a QuickJS
 * sandbox (the script is the network's, not Kura's: it never runs in Node itself). The CLI's
 * `--proxy-pac`; in the app Electron's session.resolveProxy evaluates the OS's PAC instead.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ProxyResolver } from './proxyRoutes';

export async function pacFileResolver(script: string): Promise<ProxyResolver> {
  const [{ QuickJS }, { createPacResolver }] = await Promise.all([
    import('quickjs-wasi'),
    import('pac-resolver'),
  ]);
  // Bundled as CommonJS (Electron, the CLI: __filename) or run as an ES module (tests, tsx).
  const require = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  const wasm = await readFile(
    join(dirname(require.resolve('quickjs-wasi/package.json')), 'quickjs.wasm'),
  );
  const vm = await QuickJS.create(wasm);
  const find = createPacResolver(vm, script);
  return (url) => find(url);
}

/** A PAC file from a path or an http(s) URL (fetched directly: a PAC is not fetched through itself). */
export async function loadPac(where: string): Promise<string> {
  if (/^https?:\/\//i.test(where)) {
    const res = await fetch(where);
    if (!res.ok) throw new Error(`the PAC file at ${where} answered HTTP ${res.status}`);
    return res.text();
  }
  return readFile(where, 'utf8');
}

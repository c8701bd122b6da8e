/**
 * A real HTTP proxy for tests: Debian's squid, started on a loopback port with a private config,
 * cache and log folder, and stopped after. Its outgoing connections leave from 127.0.0.2, so a
 * server that accepts only that address (local-aws's `proxyOnly`) is reachable through the
 * proxy alone — the office network where the direct route is closed. Optional Basic
 * authentication (an htpasswd file, checked by squid's own basic_ncsa_auth helper).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SQUID = '/usr/sbin/squid';
const NCSA = '/usr/lib/squid/basic_ncsa_auth';
/** Where squid's connections to servers come from (see the header). */
export const PROXY_SOURCE_ADDRESS = '127.0.0.2';

export const squidSkipReason = existsSync(SQUID)
  ? ''
  : 'squid is not installed (apt-get install squid; .ci/run does)';

export interface Squid {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Lines of squid's access log so far (one per request or tunnel). */
  accessLog(): string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

export async function startSquid(
  o: { user?: { name: string; password: string } } = {},
): Promise<Squid> {
  const dir = mkdtempSync(join(tmpdir(), 'kura-squid-'));
  // Squid started as root runs as its own user: its logs must be writable by it.
  chmodSync(dir, 0o777);
  const log = join(dir, 'access.log');
  const auth: string[] = [];
  if (o.user) {
    const hash = spawnSync('openssl', ['passwd', '-apr1', o.user.password], { encoding: 'utf8' });
    if (hash.status !== 0) throw new Error(`openssl passwd failed: ${hash.stderr}`);
    const passwd = join(dir, 'passwd');
    writeFileSync(passwd, `${o.user.name}:${hash.stdout.trim()}\n`, { mode: 0o644 });
    auth.push(
      `auth_param basic program ${NCSA} ${passwd}`,
      'auth_param basic realm Kura test proxy',
      'acl authenticated proxy_auth REQUIRED',
      'http_access deny !authenticated',
    );
  }
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const conf = join(dir, 'squid.conf');
    writeFileSync(
      conf,
      [
        `http_port 127.0.0.1:${port}`,
        'pid_filename none',
        'cache deny all',
        'cache_mem 8 MB',
        `access_log stdio:${log}`,
        `cache_log ${join(dir, 'cache.log')}`,
        'cache_store_log none',
        `coredump_dir ${dir}`,
        `tcp_outgoing_address ${PROXY_SOURCE_ADDRESS}`,
        'pinger_enable off',
        'shutdown_lifetime 0 seconds',
        'forwarded_for delete',
        'strip_query_terms off',
        'acl loopback src 127.0.0.0/8',
        ...auth,
        'http_access allow loopback',
        'http_access deny all',
        '',
      ].join('\n'),
    );
    const child = spawn(SQUID, ['-N', '-f', conf, '-d', '1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let text = '';
    const ready = await new Promise<boolean>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('Accepting HTTP Socket connections')) resolve(true);
        if (/FATAL|Cannot open HTTP Port|Address already in use/.test(text)) resolve(false);
      });
      child.once('exit', () => resolve(false));
    });
    if (ready) {
      child.stderr.resume();
      return {
        url: `http://127.0.0.1:${port}`,
        port,
        accessLog: () =>
          existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [],
        stop: () => stop(child, dir),
      };
    }
    await stop(child, dir, false);
    if (tries >= 3) {
      const why = text.split('\n').filter((l) => /FATAL|ERROR|Cannot|denied/i.test(l));
      throw new Error(`squid did not start: ${why.join(' | ') || text.slice(-500)}`);
    }
  }
}

async function stop(child: ChildProcess, dir: string, clean = true): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  if (clean) rmSync(dir, { recursive: true, force: true });
}

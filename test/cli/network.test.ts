/**
 * The `kura` CLI on an office network (#18), as whole processes: the OS trust store on Linux
 * (SSL_CERT_DIR naming a directory with local-aws's CA, as an organisation's inspecting CA would
 * be installed), HTTP_PROXY through a real squid, and --wait-network: an outage waited out with
 * backoff until the servers come back, or a clear one-line failure when they do not in time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../../local-aws/server';
import { kura, kuraArgs, root } from '../helpers/cli';
import { keychainSkipReason, tempDir } from '../helpers/kura';
import { cleanEnv, createConfirmedUser, startTestAws } from '../helpers/localAws';
import { PROXY_SOURCE_ADDRESS, squidSkipReason, startSquid } from '../helpers/squid';

const EMAIL = 'cli-net@example.com';
const PASSWORD = 'Cli-Net-Pass-2026!';
const BODY = Buffer.from('waited for and verified\n'.repeat(40_000));

async function login(dataDir: string, profilePath: string, env: NodeJS.ProcessEnv = {}) {
  return kura(
    dataDir,
    ['--profile', profilePath, 'login', '--username', EMAIL, '--password-stdin'],
    `${PASSWORD}\n`,
    env,
  );
}

describe.skipIf(keychainSkipReason !== '')(`kura and the network ${keychainSkipReason}`, () => {
  describe('the OS trust store (SSL_CERT_DIR)', () => {
    let aws: LocalAws;
    beforeAll(async () => {
      aws = await startTestAws({ tls: true });
      createConfirmedUser(aws, EMAIL, PASSWORD);
      await aws.store.put(aws.bucket, 'net/file.txt', Readable.from([BODY]));
    });
    afterAll(() => aws?.stop());

    it('refuses an unknown CA naming the certificate, and trusts it once the OS store has it', async () => {
      const refused = await login(tempDir('kura-cli-'), aws.profilePath);
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain(
        'kura: Kura refused the certificate of 127.0.0.1 (“127.0.0.1”, issued by “local-aws test CA”): its issuer is not a certificate authority this computer trusts.',
      );
      const ja = await login(tempDir('kura-cli-'), aws.profilePath, { KURA_LANG: 'ja' });
      expect(ja.stderr).toContain('発行者「local-aws test CA」');

      // The organisation's CA installed as Linux does it: a hashed certificate directory.
      const certs = tempDir('kura-certs-');
      copyFileSync(aws.ca!.path, join(certs, 'org-ca.pem'));
      expect(spawnSync('openssl', ['rehash', certs]).status).toBe(0);
      const dataDir = tempDir('kura-cli-');
      const ok = await login(dataDir, aws.profilePath, { SSL_CERT_DIR: certs });
      expect(ok.stderr).toContain(`Signed in as ${EMAIL}.`);
      const dest = tempDir();
      const got = await kura(dataDir, ['get', `s3://${aws.bucket}/net/file.txt`, dest], '', {
        SSL_CERT_DIR: certs,
      });
      expect(got.code).toBe(0);
      expect(readFileSync(join(dest, 'file.txt'))).toEqual(BODY);
    });
  });

  describe.skipIf(squidSkipReason)('HTTP_PROXY through squid', () => {
    it('logs in and downloads through the proxy; the direct route is closed', async () => {
      const aws = await startTestAws({ proxyOnly: { from: PROXY_SOURCE_ADDRESS } });
      const squid = await startSquid();
      try {
        createConfirmedUser(aws, EMAIL, PASSWORD);
        await aws.store.put(aws.bucket, 'net/file.txt', Readable.from([BODY]));
        const direct = await login(tempDir('kura-cli-'), aws.profilePath);
        expect(direct.code).toBe(1);
        expect(direct.stderr).toContain('Cannot reach the server');
        const dataDir = tempDir('kura-cli-');
        const env = { HTTP_PROXY: squid.url };
        expect((await login(dataDir, aws.profilePath, env)).code).toBe(0);
        const dest = tempDir();
        const got = await kura(dataDir, ['get', `s3://${aws.bucket}/net/file.txt`, dest], '', env);
        expect(got.code).toBe(0);
        expect(readFileSync(join(dest, 'file.txt'))).toEqual(BODY);
        expect(squid.accessLog().some((l) => l.includes('/net/file.txt'))).toBe(true);
      } finally {
        await squid.stop();
        await aws.stop();
      }
    });
  });

  describe.skipIf(squidSkipReason)('--proxy and --proxy-pac through squid', () => {
    it('--proxy-pac URL (a PAC served over http) sends S3 through the proxy and Cognito direct; --proxy names one', async () => {
      // Two names for the one local-aws: Cognito at localhost, S3 at 127.0.0.1; only S3 is
      // reachable through the proxy alone.
      const aws = await startTestAws({
        proxyOnly: { from: PROXY_SOURCE_ADDRESS, services: ['s3'] },
      });
      const squid = await startSquid();
      const pac = createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' });
        res.end(`function FindProxyForURL(url, host) {
          if (host == "127.0.0.1") return "PROXY 127.0.0.1:${squid.port}";
          return "DIRECT";
        }`);
      });
      await new Promise<void>((r) => pac.listen(0, '127.0.0.1', r));
      const pacUrl = `http://127.0.0.1:${(pac.address() as AddressInfo).port}/proxy.pac`;
      try {
        createConfirmedUser(aws, EMAIL, PASSWORD);
        await aws.store.put(aws.bucket, 'net/file.txt', Readable.from([BODY]));
        const cognito = `http://localhost:${aws.port}`;
        const profilePath = join(tempDir('kura-profile-'), 'profile.json');
        writeFileSync(
          profilePath,
          JSON.stringify({
            ...aws.profile,
            endpoints: { cognitoIdp: cognito, cognitoIdentity: cognito, s3: aws.url },
          }),
        );
        const before = squid.accessLog().length;
        const dataDir = tempDir('kura-cli-');
        const pacArgs = ['--proxy-pac', pacUrl];
        const login = await kura(
          dataDir,
          [...pacArgs, '--profile', profilePath, 'login', '--username', EMAIL, '--password-stdin'],
          `${PASSWORD}\n`,
        );
        expect(login.code).toBe(0);
        const dest = tempDir();
        const got = await kura(dataDir, [
          ...pacArgs,
          'get',
          `s3://${aws.bucket}/net/file.txt`,
          dest,
        ]);
        expect(got.code).toBe(0);
        expect(readFileSync(join(dest, 'file.txt'))).toEqual(BODY);
        const lines = squid.accessLog().slice(before);
        expect(lines.some((l) => l.includes('/net/file.txt'))).toBe(true);
        expect(lines.filter((l) => l.includes('localhost'))).toEqual([]);
        // --proxy names the proxy for everything (Cognito included: squid reaches it too).
        const named = await kura(dataDir, [
          '--proxy',
          squid.url,
          'get',
          `s3://${aws.bucket}/net/file.txt`,
          tempDir(),
        ]);
        expect(named.code).toBe(0);
      } finally {
        await new Promise((r) => pac.close(r));
        await squid.stop();
        await aws.stop();
      }
    });
  });

  describe('--wait-network', () => {
    it('fails with one clear line when the servers do not come back in time', async () => {
      const aws = await startTestAws();
      createConfirmedUser(aws, EMAIL, PASSWORD);
      const dataDir = tempDir('kura-cli-');
      expect((await login(dataDir, aws.profilePath)).code).toBe(0);
      await aws.stop();
      const r = await kura(dataDir, ['--wait-network', '2', 'ls', `s3://${aws.bucket}/`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'kura: cannot reach the server; waiting for the network (up to 2 s)…',
      );
      expect(r.stderr.trim().split('\n').at(-1)).toBe(
        'kura: Still no connection to the server after waiting 2 seconds. Check your network connection, then run the command again.',
      );
      // Without the option, the same command fails at once.
      const now = await kura(dataDir, ['ls', `s3://${aws.bucket}/`]);
      expect(now.stderr).toContain('Cannot reach the server');
      expect(now.stderr).not.toContain('waiting for the network');
    });

    it('waits for the servers, retrying with backoff, and finishes the download when they are back', async () => {
      let aws: LocalAws | undefined = await startTestAws();
      try {
        createConfirmedUser(aws, EMAIL, PASSWORD);
        await aws.store.put(aws.bucket, 'net/file.txt', Readable.from([BODY]));
        const dataDir = tempDir('kura-cli-');
        expect((await login(dataDir, aws.profilePath)).code).toBe(0);
        const { port, dataDir: awsData, bucket } = aws;
        await aws.stop();
        aws = undefined;
        const dest = tempDir();
        const child = spawn(
          process.execPath,
          kuraArgs(['--wait-network', '120', 'get', `s3://${bucket}/net/file.txt`, dest]),
          {
            cwd: root,
            env: cleanEnv({ KURA_DATA_DIR: dataDir, KURA_LANG: 'en', NODE_NO_WARNINGS: '1' }),
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let stderr = '';
        const waiting = new Promise<void>((resolve) =>
          child.stderr.on('data', (d: Buffer) => {
            stderr += d.toString();
            if (stderr.includes('waiting for the network')) resolve();
          }),
        );
        const exited = new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
        await waiting;
        aws = await startLocalAws({ seed: 'none', port, dataDir: awsData });
        expect(await exited).toBe(0);
        expect(readFileSync(join(dest, 'file.txt'))).toEqual(BODY);
      } finally {
        await aws?.stop();
      }
    });
  });
});

/**
 * Kura behind a real proxy (#18): Debian's squid on a loopback port, local-aws reachable only
 * through it (it refuses connections that do not come from squid's outgoing address). Sign-in
 * (amazon-cognito-identity-js), the identity pool, listing, downloads (directGet) and renewed
 * credentials all go through the proxy; proxy authentication is asked once and kept in the
 * keychain; a PAC file (pac-resolver standing in for Electron's session.resolveProxy) and
 * NO_PROXY send S3 through the proxy and Cognito direct.
 */
import { composeCore } from '../../../../src/main/compose/core';
import type { KuraCore } from '../../../../src/main/services/kuraCore';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../../local-aws/server';
import { ManagedLoginClient } from '../../../../src/main/services/managedLogin/managedLoginClient';
import { Network, type NetworkOptions } from '../../../../src/main/services/network/network';
import { loadPac, pacFileResolver } from '../../../../src/main/services/network/pacFile';
import type { ProxyAuthQuestion } from '../../../../src/main/services/network/proxyAuth';
import { MemorySecretStore, type SecretStore } from '../../../../src/main/services/secretStore';
import {
  codeOf,
  downloadFile,
  keychainSkipReason,
  tempDir,
  testKeychain,
} from '../../../helpers/kura';
import { adminCall, createConfirmedUser, startTestAws } from '../../../helpers/localAws';
import {
  PROXY_SOURCE_ADDRESS,
  squidSkipReason,
  startSquid,
  type Squid,
} from '../../../helpers/squid';

const EMAIL = 'proxy-user@example.com';
const PASSWORD = 'Proxy-Pass-2026!';
const BODY = Buffer.from('through the proxy and back\n'.repeat(1000));

function coreWith(
  profile: object,
  o: NetworkOptions,
  secrets: SecretStore = new MemorySecretStore(),
) {
  const { core, network } = composeCore({
    dataDir: tempDir('kura-data-'),
    secrets,
    network: { env: {}, ...o },
  });
  core.profiles.add(profile as never);
  return { core, network };
}

/** Sign in, list the bucket, download a file, and list again with renewed credentials. */
async function fullJourney(core: KuraCore, aws: LocalAws) {
  const { session } = core.active();
  const signed = await session.signIn(EMAIL, PASSWORD);
  expect(signed.status).toBe('signedIn');
  const storage = core.active().storage;
  const page = await storage.listFolder(aws.bucket, 'proxy/');
  expect(page.files.map((f) => f.name)).toEqual(['file.txt']);
  const dest = tempDir();
  const got = await downloadFile(storage, aws.bucket, 'proxy/file.txt', dest);
  expect(readFileSync(got.path)).toEqual(BODY);
  // Credentials renewed through the proxy too: AWS forgets them, the next call gets new ones.
  await adminCall(aws, 'POST', 'credentials/expire');
  expect((await storage.listFolder(aws.bucket, 'proxy/')).files).toHaveLength(1);
}

describe.skipIf(squidSkipReason)('through a real proxy (squid)', () => {
  let aws: LocalAws;
  let squid: Squid;

  beforeAll(async () => {
    aws = await startTestAws({ proxyOnly: { from: PROXY_SOURCE_ADDRESS } });
    createConfirmedUser(aws, EMAIL, PASSWORD);
    await aws.store.put(aws.bucket, 'proxy/file.txt', Readable.from([BODY]));
    squid = await startSquid();
  });
  afterAll(async () => {
    await squid?.stop();
    await aws?.stop();
  });

  it('refuses the direct route: without the proxy nothing reaches local-aws', async () => {
    const { core } = coreWith(aws.profile, {});
    expect(await codeOf(core.active().session.signIn(EMAIL, PASSWORD))).toBe('NETWORK');
    expect(aws.refusedDirect).toBeGreaterThan(0);
  });

  it('signs in, lists, downloads and renews credentials through HTTP_PROXY', async () => {
    const before = squid.accessLog().length;
    const { core } = coreWith(aws.profile, { env: { HTTP_PROXY: squid.url } });
    await fullJourney(core, aws);
    const lines = squid.accessLog().slice(before);
    // The user pool (SRP), the identity pool, ListObjectsV2 and the GET all crossed squid.
    expect(lines.some((l) => / POST http:\/\/127\.0\.0\.1:\d+\/ /.test(l))).toBe(true);
    expect(
      lines.some((l) => / GET http:\/\/127\.0\.0\.1:\d+\/kura-demo\/proxy\/file\.txt /.test(l)),
    ).toBe(true);
    expect(
      lines.some((l) => /GET http:\/\/127\.0\.0\.1:\d+\/kura-demo\/\?.*list-type=2/.test(l)),
    ).toBe(true);
  });

  it('sends managed login (token revocation, the pool keys) through the proxy too', async () => {
    // No request of main escapes the network layer: the OAuth endpoints of the pool's domain
    // are reached through the same proxy as Cognito and S3.
    const domain = (aws.profile as { managedLogin?: { domain: string } }).managedLogin?.domain;
    expect(domain).toBeTruthy();
    const before = squid.accessLog().length;
    const network = new Network({
      env: { HTTP_PROXY: squid.url },
      secrets: new MemorySecretStore(),
    });
    const client = new ManagedLoginClient(aws.profile, Date.now, network.transport());
    // An unknown token: the pool answers (revocation of nothing succeeds or is refused) — either
    // way the request went out, and it must have crossed squid.
    await client.revoke('not-a-refresh-token').catch(() => undefined);
    await client.verifyIdToken('a.b.c').catch(() => undefined);
    const lines = squid.accessLog().slice(before);
    const host = new URL(domain!).host.replace(/\./g, '\\.');
    expect(lines.some((l) => new RegExp(` POST http://${host}/oauth2/revoke `).test(l))).toBe(true);
    expect(lines.some((l) => / GET http:\/\/127\.0\.0\.1:\d+\/.*\/jwks\.json /.test(l))).toBe(true);
    network.destroy();
  });

  it('works the same with the explicit proxy setting', async () => {
    const { core } = coreWith(aws.profile, { settings: { mode: 'manual', url: squid.url } });
    await fullJourney(core, aws);
  });

  it('a PAC file sends S3 through the proxy and Cognito direct', async () => {
    // Two names for the one local-aws: Cognito at localhost, S3 at 127.0.0.1; only S3 must come
    // through the proxy (local-aws refuses S3 from anywhere else, and Cognito is not proxied).
    const split = await startTestAws({
      proxyOnly: { from: PROXY_SOURCE_ADDRESS, services: ['s3'] },
    });
    try {
      createConfirmedUser(split, EMAIL, PASSWORD);
      await split.store.put(split.bucket, 'proxy/file.txt', Readable.from([BODY]));
      const cognito = `http://localhost:${split.port}`;
      const profile = {
        ...split.profile,
        endpoints: { cognitoIdp: cognito, cognitoIdentity: cognito, s3: split.url },
      };
      const pac = `function FindProxyForURL(url, host) {
        if (host == "127.0.0.1") return "PROXY 127.0.0.1:${squid.port}; DIRECT";
        return "DIRECT";
      }`;
      // Served locally over http, as an office's wpad.dat / proxy.pac is.
      const server = createServer((_, res) => {
        res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' });
        res.end(pac);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const pacUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/proxy.pac`;
      const script = await loadPac(pacUrl).finally(() => server.close());
      const before = squid.accessLog().length;
      const { core } = coreWith(profile, { systemResolver: await pacFileResolver(script) });
      await fullJourney(core, split);
      const lines = squid.accessLog().slice(before);
      expect(
        lines.some((l) => l.includes(`http://127.0.0.1:${split.port}/kura-demo/proxy/file.txt`)),
      ).toBe(true);
      expect(lines.filter((l) => l.includes('localhost'))).toEqual([]);
      expect(lines.filter((l) => / POST /.test(l))).toEqual([]);
    } finally {
      await split.stop();
    }
  });

  it('honours NO_PROXY: the hosts it names go direct', async () => {
    const split = await startTestAws({
      proxyOnly: { from: PROXY_SOURCE_ADDRESS, services: ['s3'] },
    });
    try {
      createConfirmedUser(split, EMAIL, PASSWORD);
      await split.store.put(split.bucket, 'proxy/file.txt', Readable.from([BODY]));
      const cognito = `http://localhost:${split.port}`;
      const profile = {
        ...split.profile,
        endpoints: { cognitoIdp: cognito, cognitoIdentity: cognito, s3: split.url },
      };
      const before = squid.accessLog().length;
      const { core } = coreWith(profile, {
        env: { http_proxy: squid.url, NO_PROXY: 'example.invalid, localhost' },
      });
      await fullJourney(core, split);
      const lines = squid.accessLog().slice(before);
      expect(lines.filter((l) => l.includes('localhost'))).toEqual([]);
      expect(lines.some((l) => l.includes('/kura-demo/proxy/file.txt'))).toBe(true);

      // And without NO_PROXY, the same Cognito calls cross the proxy.
      const { core: all } = coreWith(profile, { env: { http_proxy: squid.url } });
      await all.active().session.signIn(EMAIL, PASSWORD);
      expect(
        squid.accessLog().some((l) => l.includes(`POST http://localhost:${split.port}/`)),
      ).toBe(true);
    } finally {
      await split.stop();
    }
  });

  it('an unreachable proxy is said as such', async () => {
    const { core } = coreWith(aws.profile, { env: { HTTP_PROXY: 'http://127.0.0.1:9' } });
    expect(await codeOf(core.active().session.signIn(EMAIL, PASSWORD))).toBe('PROXY_UNREACHABLE');
  });
});

describe.skipIf(squidSkipReason)('a proxy that asks for a user name and password', () => {
  let aws: LocalAws;
  let squid: Squid;
  const user = { name: 'alice', password: 'Squid pass: 1@2' };

  beforeAll(async () => {
    aws = await startTestAws({ proxyOnly: { from: PROXY_SOURCE_ADDRESS } });
    createConfirmedUser(aws, EMAIL, PASSWORD);
    await aws.store.put(aws.bucket, 'proxy/file.txt', Readable.from([BODY]));
    squid = await startSquid({ user });
  });
  afterAll(async () => {
    await squid?.stop();
    await aws?.stop();
  });

  it('without credentials the request says the proxy wants them', async () => {
    const { core } = coreWith(aws.profile, { env: { HTTP_PROXY: squid.url } });
    expect(await codeOf(core.active().session.signIn(EMAIL, PASSWORD))).toBe('PROXY_AUTH_REQUIRED');
  });

  it('takes them from HTTPS_PROXY/HTTP_PROXY as the curl family does', async () => {
    const url = new URL(squid.url);
    url.username = encodeURIComponent(user.name);
    url.password = encodeURIComponent(user.password);
    const { core } = coreWith(aws.profile, { env: { HTTP_PROXY: url.href } });
    await fullJourney(core, aws);
  });

  it.skipIf(keychainSkipReason)(
    'asks once, keeps the answer in the keychain, and a later start asks nothing',
    async () => {
      const secrets = testKeychain();
      const asked: ProxyAuthQuestion[] = [];
      const prompt = (q: ProxyAuthQuestion) => {
        asked.push(q);
        return Promise.resolve({ username: user.name, password: user.password });
      };
      try {
        const first = coreWith(aws.profile, { env: { HTTP_PROXY: squid.url }, prompt }, secrets);
        await fullJourney(first.core, aws);
        expect(asked).toEqual([{ proxy: squid.url, realm: 'Kura test proxy', retry: false }]);
        expect(JSON.parse((await secrets.get(`proxy:${squid.url}`))!)).toEqual({
          username: user.name,
          password: user.password,
        });
        // A new launch: the keychain answers, nobody is asked.
        const never = () => Promise.reject(new Error('asked again'));
        const second = coreWith(
          aws.profile,
          { env: { HTTP_PROXY: squid.url }, prompt: never },
          secrets,
        );
        await fullJourney(second.core, aws);
      } finally {
        await secrets.delete(`proxy:${squid.url}`);
      }
    },
  );

  it('a refused password is forgotten and asked for again; cancelling ends the request', async () => {
    const secrets = new MemorySecretStore();
    const answers = [{ username: user.name, password: 'wrong' }, null];
    const asked: ProxyAuthQuestion[] = [];
    const prompt = (q: ProxyAuthQuestion) => {
      asked.push(q);
      return Promise.resolve(answers.shift() ?? null);
    };
    const { core } = coreWith(aws.profile, { env: { HTTP_PROXY: squid.url }, prompt }, secrets);
    expect(await codeOf(core.active().session.signIn(EMAIL, PASSWORD))).toBe('PROXY_AUTH_FAILED');
    expect(asked.map((q) => q.retry)).toEqual([false, true]);
    expect(await secrets.get(`proxy:${squid.url}`)).toBeNull();
  });

  it('answers a CONNECT tunnel’s 407 too (HTTPS through the proxy)', async () => {
    const tls = await startTestAws({ tls: true, proxyOnly: { from: PROXY_SOURCE_ADDRESS } });
    try {
      createConfirmedUser(tls, EMAIL, PASSWORD);
      await tls.store.put(tls.bucket, 'proxy/file.txt', Readable.from([BODY]));
      const asked: ProxyAuthQuestion[] = [];
      const prompt = (q: ProxyAuthQuestion) => {
        asked.push(q);
        return Promise.resolve({ username: user.name, password: user.password });
      };
      const before = squid.accessLog().length;
      const { core } = coreWith(
        { ...tls.profile, caBundle: tls.ca!.pem },
        { env: { HTTPS_PROXY: squid.url }, prompt },
      );
      await fullJourney(core, tls);
      expect(asked).toHaveLength(1);
      const lines = squid.accessLog().slice(before);
      expect(lines.some((l) => l.includes(`CONNECT 127.0.0.1:${tls.port} alice`))).toBe(true);
    } finally {
      await tls.stop();
    }
  });
});

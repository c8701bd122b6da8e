import { Readable } from 'node:stream';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../local-aws/server';
import { IdentityIdCache } from '../../../src/main/services/credentials';
import { MemorySecretStore } from '../../../src/main/services/secretStore';
import { adminCall, createConfirmedUser, startTestAws } from '../../helpers/localAws';
import { downloadFolderInto, newCore, tempDir } from '../../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
let aws: LocalAws;
beforeAll(async () => {
  aws = await startTestAws({ bucket: 'kura-demo' });
  createConfirmedUser(aws, 'alice@example.com', PASSWORD);
});
afterAll(() => aws.stop());

const issued = () => Object.keys(aws.state.data.credentials).length;

describe('identity-pool credentials', () => {
  it('asks once however many callers ask at the same time, and caches the identity id', async () => {
    const { core, dataDir } = newCore(aws);
    await core.active().session.signIn('alice@example.com', PASSWORD);
    const before = issued();
    const all = await Promise.all(Array.from({ length: 10 }, () => core.active().access.get()));
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1);
    expect(issued() - before).toBe(1);
    const cache = JSON.parse(readFileSync(`${dataDir}/identities.json`, 'utf8')) as Record<
      string,
      string
    >;
    expect(Object.values(cache)[0]).toMatch(/^ap-northeast-1:/);
  });

  it('renews credentials that are within five minutes of expiring', async () => {
    await adminCall(aws, 'PUT', 'settings', { credentialTtlSeconds: 240 });
    try {
      const { core } = newCore(aws);
      await core.active().session.signIn('alice@example.com', PASSWORD);
      const a = await core.active().access.get();
      const b = await core.active().access.get();
      expect(b.accessKeyId).not.toBe(a.accessKeyId);
    } finally {
      await adminCall(aws, 'PUT', 'settings', { credentialTtlSeconds: 3600 });
    }
  });

  it('retries a throttled identity pool', async () => {
    const { core } = newCore(aws);
    await core.active().session.signIn('alice@example.com', PASSWORD);
    await adminCall(aws, 'PUT', 'faults', [
      {
        service: 'cognito-identity',
        operation: 'GetCredentialsForIdentity',
        status: 503,
        times: 2,
      },
    ]);
    try {
      expect((await core.active().access.get()).accessKeyId).toMatch(/^ASIA/);
    } finally {
      await adminCall(aws, 'DELETE', 'faults');
    }
  });

  it('completes a folder download while credentials and the ID token keep expiring', async () => {
    const short = await startTestAws({
      bucket: 'kura-demo',
      credentialTtlSeconds: 2,
      idTokenTtlSeconds: 3,
      accessTokenTtlSeconds: 3,
    });
    try {
      createConfirmedUser(short, 'bob@example.com', PASSWORD);
      for (let i = 0; i < 6; i++) {
        await short.store.put(
          'kura-demo',
          `slow/${i}.bin`,
          Readable.from([Buffer.alloc(64 * 1024, i)]),
        );
      }
      // Each file takes about a second: credentials (2 s) and tokens (3 s) expire during the run.
      await adminCall(short, 'PUT', 'faults', [
        { operation: 'GetObject', bytesPerSecond: 64 * 1024 },
      ]);
      const { core } = newCore(short);
      await core.active().session.signIn('bob@example.com', PASSWORD);
      const before = Object.keys(short.state.data.credentials).length;
      const r = await downloadFolderInto(core.active().storage, 'kura-demo', 'slow/', tempDir());
      expect(r.files).toHaveLength(6);
      expect(r.skipped).toEqual([]);
      for (const f of r.files) expect(readFileSync(f.path).length).toBe(64 * 1024);
      expect(Object.keys(short.state.data.credentials).length - before).toBeGreaterThan(2);
    } finally {
      await short.stop();
    }
  });

  it('ends the session when the identity pool refuses a revoked token', async () => {
    createConfirmedUser(aws, 'carol@example.com', PASSWORD);
    const { core } = newCore(aws);
    await core.active().session.signIn('carol@example.com', PASSWORD);
    await adminCall(aws, 'POST', 'sign-out', { username: 'carol@example.com' });
    await expect(core.active().access.get()).rejects.toMatchObject({
      code: 'SESSION_EXPIRED',
    });
    expect(core.active().session.view()).toEqual({
      status: 'signedOut',
      reason: 'expired',
      email: 'carol@example.com',
    });
  });
});

describe('remembered identity ids (identities.json)', () => {
  const keyOf = (email: string) =>
    `${aws.profile.identityPoolId}/${aws.userPool.findUser(email)!.sub}`;

  it('is readable by this OS user only, and what it holds is checked', () => {
    const file = join(tempDir('kura-ids-'), 'identities.json');
    const id = 'ap-northeast-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    const cache = new IdentityIdCache(file);
    for (const text of ['null', '[]', '"x"', '{"p/a": 7, "p/b": "../../x"}', '{not json']) {
      writeFileSync(file, text);
      expect(cache.get('p/a')).toBeUndefined();
      expect(cache.get('p/b')).toBeUndefined();
      expect(cache.get('constructor')).toBeUndefined();
    }
    cache.set('p/a', id);
    expect(cache.get('p/a')).toBe(id);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => cache.set('p/b', "us-east-1:$'abc")).toThrow();
    writeFileSync(file, 'null');
    expect(cache.get('p/a')).toBeUndefined();
  });

  it("keeps a user's id while they stay signed in, and forgets it when their session ends or is replaced", async () => {
    createConfirmedUser(aws, 'bob@example.com', PASSWORD);
    const secrets = new MemorySecretStore();
    const { core, dataDir } = newCore(aws, secrets);
    const cache = new IdentityIdCache(join(dataDir, 'identities.json'));
    await core.active().session.signIn('alice@example.com', PASSWORD);
    await core.active().access.get();
    expect(cache.get(keyOf('alice@example.com'))).toMatch(/^ap-northeast-1:/);

    // Still remembered at the next launch.
    const again = newCore(aws, secrets, dataDir).core;
    await again.active().session.restore();
    expect(cache.get(keyOf('alice@example.com'))).toMatch(/^ap-northeast-1:/);

    // Bob signs in over Alice: her id goes.
    await again.active().session.signIn('bob@example.com', PASSWORD);
    await again.active().access.get();
    expect(cache.get(keyOf('alice@example.com'))).toBeUndefined();
    expect(cache.get(keyOf('bob@example.com'))).toMatch(/^ap-northeast-1:/);

    await again.active().session.signOut();
    expect(cache.get(keyOf('bob@example.com'))).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dataDir, 'identities.json'), 'utf8'))).toEqual({});
  });
});

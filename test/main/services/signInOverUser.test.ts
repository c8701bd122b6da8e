/**
 * B signs in on an app where A is still signed in (no sign-out in between). While the session
 * changes hands — B's keychain entry being written, A's refresh still in flight — nothing of B's
 * may be taken for A's (A's identity id cache poisoned with B's id, A locked out), and nothing
 * of A's may end or replace B's new session (the security review of issue #12, F1).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../local-aws/server';
import { IdentityIdCache } from '../../../src/main/services/credentials';
import { composeCore } from '../../../src/main/compose/core';
import { MemorySecretStore, type SecretStore } from '../../../src/main/services/secretStore';
import { UserAccess } from '../../../src/main/services/userAccess';
import { adminCall, createConfirmedUser, startTestAws } from '../../helpers/localAws';
import { codeOf, newCore, tempDir } from '../../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';
let aws: LocalAws;
const sub = (email: string) => aws.userPool.findUser(email)!.sub;
const identity = (email: string) => aws.identityPool.identityFor(sub(email));

beforeAll(async () => {
  aws = await startTestAws({ bucket, policy: 'own-prefix' });
  for (const email of ['ann@example.com', 'ben@example.com']) {
    createConfirmedUser(aws, email, PASSWORD);
    await aws.store.put(
      bucket,
      `${identity(email)}/of-${email}`,
      Readable.from([Buffer.from(email)]),
    );
  }
});
afterEach(() => adminCall(aws, 'DELETE', 'faults'));
afterAll(() => aws.stop());

/** A keychain whose writes wait, while closed, until it is opened again. */
class GatedSecretStore implements SecretStore {
  readonly persistent = true;
  private readonly inner = new MemorySecretStore();
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;
  private entered: () => void = () => undefined;
  /** Resolves when a write waits at the closed gate. */
  writing: Promise<void> = Promise.resolve();

  close() {
    this.gate = new Promise((resolve) => (this.open = resolve));
    this.writing = new Promise((resolve) => (this.entered = resolve));
  }

  release() {
    this.gate = null;
    this.open();
  }

  get(account: string) {
    return this.inner.get(account);
  }

  async set(account: string, value: string) {
    if (this.gate) {
      this.entered();
      await this.gate;
    }
    return this.inner.set(account, value);
  }

  delete(account: string) {
    return this.inner.delete(account);
  }
}

function gatedCore() {
  const secrets = new GatedSecretStore();
  const dataDir = tempDir('kura-data-');
  const { core } = composeCore({ dataDir, secrets });
  core.profiles.add(aws.profile);
  const cache = new IdentityIdCache(join(dataDir, 'identities.json'));
  const cached = (email: string) => cache.get(`${aws.profile.identityPoolId}/${sub(email)}`);
  return { core, secrets, dataDir, cached };
}

describe('B signing in over A', () => {
  it("takes nothing of B's for A's identity while B's keychain entry is written, and A can sign in again", async () => {
    const { core, secrets, cached } = gatedCore();
    const { session } = core.active();
    await session.signIn('ann@example.com', PASSWORD);
    const ann = core.active().access.current();

    secrets.close();
    const ben = session.signIn('ben@example.com', PASSWORD);
    await secrets.writing;
    // One of A's requests asks for A's identity id now.
    expect(await codeOf(ann.identityId())).toBe('NOT_SIGNED_IN');
    secrets.release();
    await ben;

    expect(cached('ann@example.com')).not.toBe(identity('ben@example.com'));
    expect(session.view()).toMatchObject({ status: 'signedIn', email: 'ben@example.com' });
    // A is not locked out: back on this machine, A reads A's home.
    await session.signOut();
    await session.signIn('ann@example.com', PASSWORD);
    const home = `${identity('ann@example.com')}/`;
    expect((await core.active().storage.listFolder(bucket, home)).files.map((f) => f.name)).toEqual(
      ['of-ann@example.com'],
    );
    expect(cached('ann@example.com')).toBe(identity('ann@example.com'));
  });

  it("does not let A's refused credential request end B's new session", async () => {
    const { core, secrets } = gatedCore();
    const { session } = core.active();
    await session.signIn('ann@example.com', PASSWORD);
    const ann = core.active().access.current();
    await ann.identityId(); // A's identity id is known (and cached) already

    secrets.close();
    const ben = session.signIn('ben@example.com', PASSWORD);
    await secrets.writing;
    expect(await codeOf(ann.fetchCredentials())).toBe('NOT_SIGNED_IN');
    secrets.release();
    expect(await ben).toMatchObject({ status: 'signedIn', email: 'ben@example.com' });

    expect(session.view()).toMatchObject({ status: 'signedIn', email: 'ben@example.com' });
    const home = `${identity('ben@example.com')}/`;
    expect((await core.active().storage.listFolder(bucket, home)).files).toHaveLength(1);
  });

  it("does not take A's refresh that answers after B signed in for B's session", async () => {
    let now = Date.now();
    const dataDir = tempDir('kura-data-');
    const { core } = composeCore({ dataDir, secrets: new MemorySecretStore(), now: () => now });
    core.profiles.add(aws.profile);
    const { session } = core.active();
    await session.signIn('ann@example.com', PASSWORD);
    await adminCall(aws, 'PUT', 'faults', [
      { service: 'cognito-idp', operation: 'GetTokensFromRefreshToken', hold: true, times: 1 },
    ]);
    // A's ID token is close to expiry: asking for it refreshes it, and the refresh is held.
    now += 58 * 60 * 1000;
    const annToken = session.idToken();
    await aws.faults.whenHeld('GetTokensFromRefreshToken');
    now = Date.now();
    await session.signIn('ben@example.com', PASSWORD);
    aws.faults.release();
    expect(await codeOf(annToken)).toBe('NOT_SIGNED_IN');

    expect(session.user?.email).toBe('ben@example.com');
    expect(session.view()).toMatchObject({ status: 'signedIn', email: 'ben@example.com' });
    const storage = core.active().storage;
    expect(await codeOf(storage.listFolder(bucket, `${identity('ann@example.com')}/`))).toBe(
      'ACCESS_DENIED',
    );
    expect(
      (await storage.listFolder(bucket, `${identity('ben@example.com')}/`)).files,
    ).toHaveLength(1);
  });

  it("an access built for A refuses B's token, caches nothing and ends nothing", async () => {
    const { core, dataDir, network } = newCore(aws);
    const { session } = core.active();
    await session.signIn('ben@example.com', PASSWORD);
    const file = join(dataDir, 'identities.json');
    const forAnn = new UserAccess(sub('ann@example.com'), {
      profile: aws.profile,
      session,
      identityIds: new IdentityIdCache(file),
      transport: network.transport(),
    });
    expect(await codeOf(forAnn.identityId())).toBe('NOT_SIGNED_IN');
    expect(await codeOf(forAnn.fetchCredentials())).toBe('NOT_SIGNED_IN');
    expect(await codeOf(forAnn.locations())).toBe('NOT_SIGNED_IN');
    expect(() => readFileSync(file, 'utf8')).toThrow();
    expect(session.view()).toMatchObject({ status: 'signedIn', email: 'ben@example.com' });
  });
});

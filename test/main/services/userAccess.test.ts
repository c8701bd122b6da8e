/**
 * Locations and credentials per user and per role, through the services against local-aws:
 * group folders opened with their group's role, hidden from non-members; derived locations for
 * profiles that list none; and a user's access dropped — not reused — at sign-out, revocation
 * and user change.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../local-aws/server';
import { IdentityIdCache } from '../../../src/main/services/credentials';
import type { ConnectionProfile } from '../../../src/shared/profile';
import {
  adminCall,
  createConfirmedUser,
  deleteGroup,
  deleteUser,
  startTestAws,
} from '../../helpers/localAws';
import { codeOf, downloadFile, newCore, tempDir } from '../../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'acme-files';

const put = (aws: LocalAws, key: string, body = key) =>
  aws.store.put(bucket, key, Readable.from([Buffer.from(body)]));

describe('group folders (the groups scope)', () => {
  let aws: LocalAws;
  const identity = (email: string) =>
    aws.identityPool.identityFor(aws.userPool.findUser(email)!.sub);

  beforeAll(async () => {
    aws = await startTestAws({ bucket, policy: 'groups', groups: ['design', 'sales'] });
    await put(aws, 'design/spec.txt');
    await put(aws, 'sales/leads.txt');
    for (const [email, groups] of [
      ['both@example.com', ['design', 'sales']],
      ['designer@example.com', ['design']],
      ['nobody@example.com', []],
    ] as const) {
      createConfirmedUser(aws, email, PASSWORD);
      for (const g of groups) aws.userPool.groups.addUser(email, g);
      await put(aws, `${identity(email)}/mine.txt`);
    }
  });
  afterAll(() => aws.stop());

  it("lists the home and the user's group folders, never a role ARN", async () => {
    const { core } = newCore(aws);
    await core.active().session.signIn('both@example.com', PASSWORD);
    const locations = await core.active().access.current().locations();
    const home = `${identity('both@example.com')}/`;
    expect(locations).toEqual([
      { id: `home:${bucket}/${home}`, bucket, prefix: home, label: 'My files', kind: 'home' },
      { id: `group:${bucket}/design/`, bucket, prefix: 'design/', label: 'design', kind: 'group' },
      { id: `group:${bucket}/sales/`, bucket, prefix: 'sales/', label: 'sales', kind: 'group' },
    ]);
    expect(JSON.stringify(locations)).not.toContain('arn:');
  });

  it('opens each location with the credentials of the role that grants it, one set per role', async () => {
    const { core } = newCore(aws);
    await core.active().session.signIn('both@example.com', PASSWORD);
    const storage = core.active().storage;
    const before = Object.keys(aws.state.data.credentials).length;
    for (let i = 0; i < 2; i++) {
      expect((await storage.listFolder(bucket, 'design/')).files.map((f) => f.name)).toEqual([
        'spec.txt',
      ]);
      expect((await storage.listFolder(bucket, 'sales/')).files.map((f) => f.name)).toEqual([
        'leads.txt',
      ]);
      const home = `${identity('both@example.com')}/`;
      expect((await storage.listFolder(bucket, home)).files.map((f) => f.name)).toEqual([
        'mine.txt',
      ]);
    }
    const issued = Object.values(aws.state.data.credentials).slice(before);
    expect(issued.map((c) => c.roleArn).sort()).toEqual(
      [
        aws.roles.defaultRoleArn,
        aws.roles.groupRoleArn('design'),
        aws.roles.groupRoleArn('sales'),
      ].sort(),
    );
    const dest = tempDir();
    const r = await downloadFile(storage, bucket, 'sales/leads.txt', dest);
    expect(r.size).toBe('sales/leads.txt'.length);
  });

  it('hides the folder of a group the user is not in, and IAM still refuses it', async () => {
    const { core } = newCore(aws);
    await core.active().session.signIn('designer@example.com', PASSWORD);
    const kinds = (await core.active().access.current().locations()).map((l) => l.prefix);
    expect(kinds).toEqual([`${identity('designer@example.com')}/`, 'design/']);
    expect(await codeOf(core.active().storage.listFolder(bucket, 'sales/'))).toBe('ACCESS_DENIED');
    expect(await codeOf(core.active().storage.listFolder(bucket, ''))).toBe('ACCESS_DENIED');

    const { core: other } = newCore(aws);
    await other.active().session.signIn('nobody@example.com', PASSWORD);
    expect((await other.active().access.current().locations()).map((l) => l.kind)).toEqual([
      'home',
    ]);
    expect(await codeOf(other.active().storage.listFolder(bucket, 'design/'))).toBe(
      'ACCESS_DENIED',
    );
  });

  it("asking for a role outside the token's roles is no permission, and the user stays signed in", async () => {
    const { core } = newCore(aws);
    await core.active().session.signIn('designer@example.com', PASSWORD);
    const access = core.active().access.current();
    expect(await codeOf(access.fetchCredentials(aws.roles.groupRoleArn('sales')))).toBe(
      'ACCESS_DENIED',
    );
    expect(await codeOf(access.fetchCredentials(aws.roles.defaultRoleArn))).toBe('ACCESS_DENIED');
    expect(access.live).toBe(true);
    expect(core.active().session.view().status).toBe('signedIn');
    expect((await core.active().storage.listFolder(bucket, 'design/')).files).toHaveLength(1);
  });

  it('a role the identity pool refuses although the token carries it is no permission, the user stays signed in', async () => {
    // The group's role is one IAM does not have: the pool cannot assume it.
    const ghost = 'arn:aws:iam::000000000000:role/NoSuchRole';
    aws.userPool.groups.create('ghost', { roleArn: ghost });
    createConfirmedUser(aws, 'ghost@example.com', PASSWORD);
    aws.userPool.groups.addUser('ghost@example.com', 'ghost');
    try {
      const { core } = newCore(aws);
      core.profiles.add({
        ...aws.profile,
        locations: [
          ...(aws.profile.locations ?? []),
          { bucket, prefix: 'ghost/', label: 'ghost', roleArn: ghost },
        ],
      });
      await core.active().session.signIn('ghost@example.com', PASSWORD);
      expect(await codeOf(core.active().storage.listFolder(bucket, 'ghost/'))).toBe(
        'ACCESS_DENIED',
      );
      expect(core.active().session.view().status).toBe('signedIn');
      // Their one group's role is also the pool's choice for them: their home is refused too,
      // and still nobody is signed out.
      const home = `${identity('ghost@example.com')}/`;
      expect(await codeOf(core.active().storage.listFolder(bucket, home))).toBe('ACCESS_DENIED');
      expect(core.active().session.view().status).toBe('signedIn');
      expect((await core.active().access.current().locations()).map((l) => l.kind)).toEqual([
        'home',
        'group',
      ]);
    } finally {
      await deleteGroup(aws, 'ghost');
      await deleteUser(aws, 'ghost@example.com');
    }
  });

  it('renews each role on its own, leaving the others alone, and forgets them all at sign-out', async () => {
    const { core } = newCore(aws);
    const { session } = core.active();
    await session.signIn('both@example.com', PASSWORD);
    const access = core.active().access;
    const [design, sales] = [aws.roles.groupRoleArn('design'), aws.roles.groupRoleArn('sales')];
    const home = await access.get();
    const firstSales = await access.get(sales);
    // AWS refused design's credentials: only design's are asked for again.
    const firstDesign = await access.get(design);
    access.current().renew(design);
    expect((await access.get(design)).accessKeyId).not.toBe(firstDesign.accessKeyId);
    expect((await access.get(sales)).accessKeyId).toBe(firstSales.accessKeyId);
    expect((await access.get()).accessKeyId).toBe(home.accessKeyId);

    // Within five minutes of expiry a role's credentials are renewed; the others are kept.
    await adminCall(aws, 'PUT', 'settings', { credentialTtlSeconds: 240 });
    try {
      access.current().renew(design);
      const a = await access.get(design);
      const b = await access.get(design);
      expect(b.accessKeyId).not.toBe(a.accessKeyId);
      expect((await access.get(sales)).accessKeyId).toBe(firstSales.accessKeyId);
      expect((await access.get()).accessKeyId).toBe(home.accessKeyId);
    } finally {
      await adminCall(aws, 'PUT', 'settings', { credentialTtlSeconds: 3600 });
    }

    const current = access.current();
    const held = current.role(design).credentials;
    await session.signOut();
    expect(current.live).toBe(false);
    // Held credentials answer nobody, though AWS would still accept them for a while.
    await expect(held.get()).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
    expect(() => current.role(design)).toThrow(expect.objectContaining({ code: 'NOT_SIGNED_IN' }));
  });
});

describe('derived locations (a profile that lists none)', () => {
  const withoutLocations = (aws: LocalAws): ConnectionProfile => {
    const p = { ...aws.profile };
    delete p.locations;
    return p;
  };

  it.each([
    ['whole-bucket', 'bucket'],
    ['own-prefix', 'home'],
  ] as const)('%s: the readable place of each bucket (%s)', async (policy, kind) => {
    const aws = await startTestAws({ bucket, policy });
    try {
      createConfirmedUser(aws, 'd@example.com', PASSWORD);
      const { core } = newCore(aws);
      core.profiles.add(withoutLocations(aws));
      await core.active().session.signIn('d@example.com', PASSWORD);
      const id = aws.identityPool.identityFor(aws.userPool.findUser('d@example.com')!.sub);
      const [only, ...rest] = await core.active().access.current().locations();
      expect(rest).toEqual([]);
      expect(only).toMatchObject({ bucket, kind, prefix: kind === 'home' ? `${id}/` : '' });
      expect(only!.label).toBe(kind === 'home' ? 'My files' : bucket);
    } finally {
      await aws.stop();
    }
  });
});

describe("a user's access ends with their session", () => {
  let aws: LocalAws;
  let idA: string;
  beforeAll(async () => {
    aws = await startTestAws({ bucket, policy: 'own-prefix' });
    createConfirmedUser(aws, 'a@example.com', PASSWORD);
    createConfirmedUser(aws, 'b@example.com', PASSWORD);
    idA = aws.identityPool.identityFor(aws.userPool.findUser('a@example.com')!.sub);
    await put(aws, `${idA}/a.txt`, 'of a');
    await aws.store.put(bucket, `${idA}/big.bin`, Readable.from([Buffer.alloc(256 * 1024, 7)]));
  });
  afterAll(() => aws.stop());

  it("a storage held from A's session answers nobody once A signs out, even with valid credentials", async () => {
    const { core } = newCore(aws);
    await core.active().session.signIn('a@example.com', PASSWORD);
    const held = core.active().storage;
    expect((await held.listFolder(bucket, `${idA}/`)).files).toHaveLength(2);
    await core.active().session.signOut();
    await core.active().session.signIn('b@example.com', PASSWORD);
    expect(await codeOf(held.listFolder(bucket, `${idA}/`))).toBe('NOT_SIGNED_IN');
    expect(await codeOf(core.active().storage.listFolder(bucket, `${idA}/`))).toBe('ACCESS_DENIED');
  });

  it("a listing of A's home in flight while A signs out and B signs in is answered to nobody", async () => {
    const { core } = newCore(aws);
    await core.active().session.signIn('a@example.com', PASSWORD);
    const storage = core.active().storage;
    await storage.listFolder(bucket, `${idA}/`); // credentials ready: the next call goes straight out
    await adminCall(aws, 'PUT', 'faults', [{ operation: 'ListObjectsV2', hold: true, times: 1 }]);
    try {
      const inFlight = codeOf(storage.listFolder(bucket, `${idA}/`));
      await aws.faults.whenHeld('ListObjectsV2');
      await core.active().session.signOut();
      await core.active().session.signIn('b@example.com', PASSWORD);
      aws.faults.release();
      expect(await inFlight).toBe('NOT_SIGNED_IN');
      const idB = aws.identityPool.identityFor(aws.userPool.findUser('b@example.com')!.sub);
      expect((await core.active().storage.listFolder(bucket, `${idB}/`)).files).toEqual([]);
      expect(await codeOf(core.active().storage.listFolder(bucket, `${idA}/`))).toBe(
        'ACCESS_DENIED',
      );
    } finally {
      await adminCall(aws, 'DELETE', 'faults');
    }
  });

  it("B signing in over A's session (no sign-out) drops A's access at once", async () => {
    const { core } = newCore(aws);
    await core.active().session.signIn('a@example.com', PASSWORD);
    const aAccess = core.active().access.current();
    await core.active().storage.listFolder(bucket, `${idA}/`);
    await core.active().session.signIn('b@example.com', PASSWORD);
    expect(aAccess.live).toBe(false);
    expect(core.active().access.current()).not.toBe(aAccess);
    expect(await codeOf(core.active().storage.listFolder(bucket, `${idA}/`))).toBe('ACCESS_DENIED');
  });

  it("a remembered identity id that is not the user's is replaced, and the user stays signed in", async () => {
    const { core, dataDir } = newCore(aws);
    const subA = aws.userPool.findUser('a@example.com')!.sub;
    const idB = aws.identityPool.identityFor(aws.userPool.findUser('b@example.com')!.sub);
    // As the race of the review's F1 left it: B's identity id remembered under A's name.
    const cache = new IdentityIdCache(join(dataDir, 'identities.json'));
    cache.set(`${aws.profile.identityPoolId}/${subA}`, idB);
    await core.active().session.signIn('a@example.com', PASSWORD);
    expect((await core.active().storage.listFolder(bucket, `${idA}/`)).files).toHaveLength(2);
    expect(core.active().session.view().status).toBe('signedIn');
    expect(cache.get(`${aws.profile.identityPoolId}/${subA}`)).toBe(idA);
  });

  it('a revoked session drops the access and the next call says the session ended', async () => {
    const { core } = newCore(aws);
    await core.active().session.signIn('a@example.com', PASSWORD);
    const access = core.active().access.current();
    await adminCall(aws, 'POST', 'sign-out', { username: 'a@example.com' });
    // Credentials are asked for afresh (none cached yet): the identity pool refuses the token.
    expect(await codeOf(access.storage.listFolder(bucket, `${idA}/`))).toBe('SESSION_EXPIRED');
    expect(access.live).toBe(false);
    // Signed out as expired; the email stays for the sign-in form (#11).
    expect(core.active().session.view()).toEqual({
      status: 'signedOut',
      reason: 'expired',
      email: 'a@example.com',
    });
  });

  it('a download stalled mid-body is cut when the user signs out, and leaves no partial file', async () => {
    const { core } = newCore(aws);
    await core.active().session.signIn('a@example.com', PASSWORD);
    await adminCall(aws, 'PUT', 'faults', [
      { operation: 'GetObject', keyPrefix: `${idA}/big`, stallAfterBytes: 1000 },
    ]);
    try {
      const dest = tempDir();
      let started!: () => void;
      const receiving = new Promise<void>((resolve) => (started = resolve));
      const running = downloadFile(core.active().storage, bucket, `${idA}/big.bin`, dest, {
        onBytes: (n) => n > 0 && started(),
      });
      const outcome = codeOf(running);
      await receiving;
      await core.active().session.signOut();
      // The cut body is retried, and the retry finds the access dropped.
      expect(await outcome).toBe('NOT_SIGNED_IN');
      expect(existsSync(dest) ? readdirSync(dest) : []).toEqual([]);
    } finally {
      await adminCall(aws, 'DELETE', 'faults');
    }
  });
});

import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../local-aws/seed';
import type { LocalAws } from '../../local-aws/server';
import {
  authenticate,
  cognitoUser,
  roleCredentials,
  s3Client,
  signIn,
  startTestAws,
} from '../helpers/localAws';
import { newCore } from '../helpers/kura';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startTestAws({ seed: 'demo', seedLargeFileBytes: 3 * 1024 * 1024 });
});
afterAll(() => aws.stop());

describe('--seed demo', () => {
  it('has a demo user who signs in and reads the bucket, and a user with a temporary password', async () => {
    const [demo, fresh] = DEMO_USERS;
    expect(aws.admin.users.map((u) => u.email)).toEqual([demo!.email, fresh!.email]);
    const s = await signIn(aws, demo!.email, demo!.password);
    const s3 = s3Client(aws, await roleCredentials(aws, s.getIdToken().getJwtToken()));
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'kura-demo', Delimiter: '/' }));
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual([
      'docs/',
      'logs/',
      'photos/',
      'projects/',
      'reports/',
      'videos/',
    ]);
    expect((await authenticate(cognitoUser(aws, fresh!.email), fresh!.password)).kind).toBe(
      'newPasswordRequired',
    );

    let count = 0;
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(
        new ListObjectsV2Command({
          Bucket: 'kura-demo',
          Prefix: 'logs/2026/',
          ContinuationToken: token,
        }),
      );
      count += page.KeyCount ?? 0;
      token = page.NextContinuationToken;
    } while (token);
    expect(count).toBe(2500);

    const sjis = await s3.send(
      new GetObjectCommand({ Bucket: 'kura-demo', Key: 'docs/shift_jis/請求書_2026-04.txt' }),
    );
    const bytes = Buffer.from(await sjis.Body!.transformToByteArray());
    expect(bytes.toString('utf8')).not.toContain('請求書'); // really Shift_JIS, not UTF-8
    expect(iconv.decode(bytes, 'Shift_JIS')).toContain('請求書');

    const png = await s3.send(
      new GetObjectCommand({ Bucket: 'kura-demo', Key: 'photos/summer trip/beach + sunset.png' }),
    );
    expect(
      Buffer.from(await png.Body!.transformToByteArray())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const pdf = await s3.send(
      new GetObjectCommand({ Bucket: 'kura-demo', Key: 'docs/manual.pdf' }),
    );
    expect((await pdf.Body!.transformToString()).startsWith('%PDF-1.4')).toBe(true);
    const empty = await s3.send(
      new GetObjectCommand({ Bucket: 'kura-demo', Key: 'docs/empty.txt' }),
    );
    expect(empty.ContentLength).toBe(0);
    const large = await s3.send(
      new GetObjectCommand({ Bucket: 'kura-demo', Key: 'videos/large-file.bin' }),
    );
    expect(large.ContentLength).toBe(3 * 1024 * 1024);
    large.Body!.transformToByteArray().catch(() => undefined);
  });

  it('seeds once: a restart on the same data keeps what users changed', async () => {
    const again = await startTestAws({ dataDir: aws.dataDir, seed: 'demo', seedLargeFileBytes: 1 });
    try {
      expect(again.store.head('kura-demo', 'videos/large-file.bin')?.size).toBe(3 * 1024 * 1024);
    } finally {
      await again.stop();
    }
  });
});

describe('--seed demo --policy groups (npm run demo)', () => {
  it("gives the demo user a home with the demo tree and the folders of two groups, through Kura's services", async () => {
    const groups = await startTestAws({
      seed: 'demo',
      policy: 'groups',
      seedLargeFileBytes: 1024,
    });
    try {
      const [demo] = DEMO_USERS;
      const { core } = newCore(groups);
      await core.active().session.signIn(demo!.email, demo!.password);
      const locations = await core.active().access.current().locations();
      expect(locations.map((l) => [l.kind, l.label])).toEqual([
        ['home', 'My files'],
        ['group', 'design'],
        ['group', 'sales'],
      ]);
      const storage = core.active().storage;
      const home = await storage.listFolder('kura-demo', locations[0]!.prefix);
      expect(home.files.map((f) => f.name)).toEqual(['README.txt']);
      expect(home.folders.map((f) => f.name)).toContain('photos');
      for (const l of locations.slice(1)) {
        const page = await storage.listFolder('kura-demo', l.prefix);
        expect(page.files.length + page.folders.length).toBeGreaterThan(0);
      }
      // The bucket's top level is nobody's in this scope.
      await expect(storage.listFolder('kura-demo', '')).rejects.toMatchObject({
        code: 'ACCESS_DENIED',
      });
    } finally {
      await groups.stop();
    }
  });
});

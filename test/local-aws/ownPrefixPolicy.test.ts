import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import {
  createConfirmedUser,
  roleCredentials,
  s3Client,
  signIn,
  startTestAws,
} from '../helpers/localAws';

// The "each user their own prefix" policy from infra/policies, enforced with two real users.
let aws: LocalAws;
const users: { s3: S3Client; identityId: string }[] = [];
const bucket = 'shared';

beforeAll(async () => {
  aws = await startTestAws({ bucket, policy: 'own-prefix' });
  for (const email of ['u1@example.com', 'u2@example.com']) {
    createConfirmedUser(aws, email, 'Correct-Horse-9');
    const s = await signIn(aws, email, 'Correct-Horse-9');
    const c = await roleCredentials(aws, s.getIdToken().getJwtToken());
    users.push({ s3: s3Client(aws, c), identityId: c.identityId });
    await aws.store.put(
      bucket,
      `${c.identityId}/notes.txt`,
      Readable.from([Buffer.from(`notes of ${email}`)]),
    );
  }
});
afterAll(() => aws.stop());

const outcome = async (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (e: Error) => e.name,
  );

describe('per-user prefix policy (${cognito-identity.amazonaws.com:sub})', () => {
  it('lets a user list and read their own folder', async () => {
    const [u1] = users;
    const list = await u1!.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${u1!.identityId}/` }),
    );
    expect(list.Contents?.map((c) => c.Key)).toEqual([`${u1!.identityId}/notes.txt`]);
    const get = await u1!.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: `${u1!.identityId}/notes.txt` }),
    );
    expect(await get.Body!.transformToString()).toBe('notes of u1@example.com');
  });

  it("denies the other user's folder, the bucket root and a missing own key's existence", async () => {
    const [u1, u2] = users;
    expect(
      await outcome(
        u1!.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${u2!.identityId}/` })),
      ),
    ).toBe('AccessDenied');
    expect(
      await outcome(
        u1!.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${u2!.identityId}/notes.txt` })),
      ),
    ).toBe('AccessDenied');
    expect(await outcome(u1!.s3.send(new ListObjectsV2Command({ Bucket: bucket })))).toBe(
      'AccessDenied',
    );
    expect(
      await outcome(u1!.s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }))),
    ).toBe('AccessDenied');
    // Without an unconditional s3:ListBucket, S3 hides whether a key exists: 403, not 404.
    expect(
      await outcome(
        u1!.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${u1!.identityId}/missing.txt` })),
      ),
    ).toBe('AccessDenied');
  });
});

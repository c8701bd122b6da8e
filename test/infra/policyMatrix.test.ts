/**
 * The infra policies as deployed, enforced by local-aws: two users, both access scopes, every
 * read that must work and every read or write that must not.
 */
import { Readable } from 'node:stream';
import {
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import {
  createConfirmedUser,
  roleCredentials,
  s3Client,
  signIn,
  startTestAws,
} from '../helpers/localAws';

const bucket = 'acme-files';
const other = 'other-team';
type User = { s3: S3Client; id: string };

async function setUp(policy: 'whole-bucket' | 'own-prefix') {
  const aws = await startTestAws({ bucket, policy });
  aws.store.createBucket(other);
  await aws.store.put(other, 'secret.txt', Readable.from([Buffer.from('x')]));
  await aws.store.put(bucket, 'shared/readme.txt', Readable.from([Buffer.from('x')]));
  const users: User[] = [];
  for (const email of ['ann@example.com', 'ben@example.com']) {
    createConfirmedUser(aws, email, 'Correct-Horse-9');
    const s = await signIn(aws, email, 'Correct-Horse-9');
    const c = await roleCredentials(aws, s.getIdToken().getJwtToken());
    users.push({ s3: s3Client(aws, c), id: c.identityId });
    await aws.store.put(bucket, `${c.identityId}/notes.txt`, Readable.from([Buffer.from(email)]));
  }
  return { aws, ann: users[0]!, ben: users[1]! };
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'allow',
    (e: Error) => (e.name === 'AccessDenied' ? 'deny' : e.name),
  );

type Case = [string, (u: { ann: User; ben: User }) => Promise<unknown>, 'allow' | 'deny'];

const writes: Case[] = [
  [
    'Put into own folder',
    ({ ann }) =>
      ann.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${ann.id}/new.txt`, Body: 'x' })),
    'deny',
  ],
  [
    'Put at the bucket root',
    ({ ann }) => ann.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'new.txt', Body: 'x' })),
    'deny',
  ],
  [
    'Delete own object',
    ({ ann }) =>
      ann.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${ann.id}/notes.txt` })),
    'deny',
  ],
  [
    'Start a multipart upload',
    ({ ann }) =>
      ann.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: `${ann.id}/big.bin` })),
    'deny',
  ],
  [
    'List another bucket',
    ({ ann }) => ann.s3.send(new ListObjectsV2Command({ Bucket: other })),
    'deny',
  ],
  [
    'Read another bucket',
    ({ ann }) => ann.s3.send(new GetObjectCommand({ Bucket: other, Key: 'secret.txt' })),
    'deny',
  ],
];

const matrix: Record<'own-prefix' | 'whole-bucket', Case[]> = {
  'own-prefix': [
    [
      'List own folder',
      ({ ann }) => ann.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${ann.id}/` })),
      'allow',
    ],
    [
      'Read own object',
      ({ ann }) =>
        ann.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${ann.id}/notes.txt` })),
      'allow',
    ],
    [
      "List the other user's folder",
      ({ ann, ben }) =>
        ann.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${ben.id}/` })),
      'deny',
    ],
    [
      "Read the other user's object",
      ({ ann, ben }) =>
        ann.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${ben.id}/notes.txt` })),
      'deny',
    ],
    [
      'List the bucket root',
      ({ ann }) => ann.s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' })),
      'deny',
    ],
    [
      'Read a shared object outside own folder',
      ({ ann }) => ann.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared/readme.txt' })),
      'deny',
    ],
    ...writes,
  ],
  'whole-bucket': [
    [
      'List the bucket root',
      ({ ann }) => ann.s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' })),
      'allow',
    ],
    [
      "Read the other user's object",
      ({ ann, ben }) =>
        ann.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${ben.id}/notes.txt` })),
      'allow',
    ],
    [
      'Read a shared object',
      ({ ann }) => ann.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared/readme.txt' })),
      'allow',
    ],
    ...writes,
  ],
};

for (const policy of ['own-prefix', 'whole-bucket'] as const) {
  describe(`${policy} policy`, () => {
    let env: Awaited<ReturnType<typeof setUp>>;
    let aws: LocalAws;
    beforeAll(async () => {
      env = await setUp(policy);
      aws = env.aws;
    });
    afterAll(() => aws.stop());
    it.each(matrix[policy])('%s → %s', async (_name, act, expected) => {
      expect(await outcome(act(env))).toBe(expected);
    });
  });
}

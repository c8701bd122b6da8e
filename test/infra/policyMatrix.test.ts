/**
 * The infra policies as deployed, enforced by local-aws: three users (ann in the group design,
 * ben in design and sales, cal in none), the three access scopes, every read that must work and
 * every read or write that must not. In the groups scope a user reads with the role the identity
 * pool gives by default (a lone group's role, else the own-prefix role) or, by CustomRoleArn, with
 * one of their groups' roles.
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
const PASSWORD = 'Correct-Horse-9';
const MEMBERS = { ann: ['design'], ben: ['design', 'sales'], cal: [] as string[] };
type Name = keyof typeof MEMBERS;
type Policy = 'whole-bucket' | 'own-prefix' | 'groups';

interface User {
  id: string;
  /** S3 with the role the identity pool gives without CustomRoleArn. */
  s3: S3Client;
  /** S3 with a group's role (CustomRoleArn); a refusal of the identity pool if not the user's. */
  as(group: string): Promise<S3Client>;
}
type Users = Record<Name, User>;

async function setUp(policy: Policy) {
  const aws = await startTestAws({
    bucket,
    policy,
    ...(policy === 'groups' ? { groups: ['design', 'sales'] } : {}),
  });
  aws.store.createBucket(other);
  const put = (b: string, key: string) => aws.store.put(b, key, Readable.from([Buffer.from(key)]));
  for (const key of ['shared/readme.txt', 'design/spec.txt', 'sales/leads.txt'])
    await put(bucket, key);
  await put(other, 'secret.txt');
  const users = {} as Users;
  for (const [name, groups] of Object.entries(MEMBERS) as [Name, string[]][]) {
    const email = `${name}@example.com`;
    createConfirmedUser(aws, email, PASSWORD);
    if (policy === 'groups') for (const g of groups) aws.userPool.groups.addUser(email, g);
    const token = (await signIn(aws, email, PASSWORD)).getIdToken().getJwtToken();
    const c = await roleCredentials(aws, token);
    users[name] = {
      id: c.identityId,
      s3: s3Client(aws, c),
      as: async (group) =>
        s3Client(aws, await roleCredentials(aws, token, aws.roles.groupRoleArn(group))),
    };
    await put(bucket, `${c.identityId}/notes.txt`);
  }
  return { aws, users };
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'allow',
    (e: Error) =>
      e.name === 'AccessDenied' || e.name === 'NotAuthorizedException' ? 'deny' : e.name,
  );

const list = (s3: S3Client, prefix?: string) =>
  s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/' }));
const read = (s3: S3Client, key: string, b = bucket) =>
  s3.send(new GetObjectCommand({ Bucket: b, Key: key }));

type Case = [string, (u: Users) => Promise<unknown>, 'allow' | 'deny'];

const everyScope: Case[] = [
  ['ann lists her own folder', ({ ann }) => list(ann.s3, `${ann.id}/`), 'allow'],
  ['ann reads her own object', ({ ann }) => read(ann.s3, `${ann.id}/notes.txt`), 'allow'],
  [
    'ann lists another bucket',
    ({ ann }) => ann.s3.send(new ListObjectsV2Command({ Bucket: other })),
    'deny',
  ],
  ['ann reads another bucket', ({ ann }) => read(ann.s3, 'secret.txt', other), 'deny'],
  [
    'ann puts into her own folder',
    ({ ann }) =>
      ann.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${ann.id}/new.txt`, Body: 'x' })),
    'deny',
  ],
  [
    'ann puts at the bucket root',
    ({ ann }) => ann.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'new.txt', Body: 'x' })),
    'deny',
  ],
  [
    'ann deletes her own object',
    ({ ann }) =>
      ann.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${ann.id}/notes.txt` })),
    'deny',
  ],
  [
    'ann starts a multipart upload',
    ({ ann }) =>
      ann.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: `${ann.id}/big.bin` })),
    'deny',
  ],
];

const ownPrefixDenials: Case[] = [
  ["ann lists ben's folder", ({ ann, ben }) => list(ann.s3, `${ben.id}/`), 'deny'],
  ["ann reads ben's object", ({ ann, ben }) => read(ann.s3, `${ben.id}/notes.txt`), 'deny'],
  ['ann lists the bucket root', ({ ann }) => list(ann.s3), 'deny'],
  [
    'ann reads a shared object outside her folder',
    ({ ann }) => read(ann.s3, 'shared/readme.txt'),
    'deny',
  ],
];

const matrix: Record<Policy, Case[]> = {
  'whole-bucket': [
    ...everyScope,
    ['ann lists the bucket root', ({ ann }) => list(ann.s3), 'allow'],
    ["ann reads ben's object", ({ ann, ben }) => read(ann.s3, `${ben.id}/notes.txt`), 'allow'],
    ['ann reads a shared object', ({ ann }) => read(ann.s3, 'shared/readme.txt'), 'allow'],
  ],
  'own-prefix': [
    ...everyScope,
    ...ownPrefixDenials,
    ['ann reads the design folder', ({ ann }) => read(ann.s3, 'design/spec.txt'), 'deny'],
  ],
  groups: [
    ...everyScope,
    ...ownPrefixDenials,
    // ann is in one group: its role is hers by default, and still reads her own folder.
    ['ann lists the design folder', ({ ann }) => list(ann.s3, 'design/'), 'allow'],
    ['ann reads a design object', ({ ann }) => read(ann.s3, 'design/spec.txt'), 'allow'],
    ['ann lists the sales folder', ({ ann }) => list(ann.s3, 'sales/'), 'deny'],
    ['ann reads a sales object', ({ ann }) => read(ann.s3, 'sales/leads.txt'), 'deny'],
    ['ann asks for the sales role', ({ ann }) => ann.as('sales'), 'deny'],
    [
      'ann puts into the design folder',
      ({ ann }) =>
        ann.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'design/x.txt', Body: 'x' })),
      'deny',
    ],
    // ben is in two groups of equal precedence: by default the least-privileged role.
    ['ben lists his own folder', ({ ben }) => list(ben.s3, `${ben.id}/`), 'allow'],
    ['ben reads design by default', ({ ben }) => read(ben.s3, 'design/spec.txt'), 'deny'],
    [
      'ben reads design with its role',
      async ({ ben }) => read(await ben.as('design'), 'design/spec.txt'),
      'allow',
    ],
    [
      'ben reads sales with its role',
      async ({ ben }) => read(await ben.as('sales'), 'sales/leads.txt'),
      'allow',
    ],
    [
      'ben reads sales with the design role',
      async ({ ben }) => read(await ben.as('design'), 'sales/leads.txt'),
      'deny',
    ],
    [
      'ben reads his own object with the sales role',
      async ({ ben }) => read(await ben.as('sales'), `${ben.id}/notes.txt`),
      'allow',
    ],
    [
      "ben reads ann's object with the design role",
      async ({ ann, ben }) => read(await ben.as('design'), `${ann.id}/notes.txt`),
      'deny',
    ],
    [
      'ben lists the bucket root with the design role',
      async ({ ben }) => list(await ben.as('design')),
      'deny',
    ],
    // cal is in no group.
    ['cal lists his own folder', ({ cal }) => list(cal.s3, `${cal.id}/`), 'allow'],
    ['cal lists the design folder', ({ cal }) => list(cal.s3, 'design/'), 'deny'],
    ['cal reads a design object', ({ cal }) => read(cal.s3, 'design/spec.txt'), 'deny'],
    ['cal reads a sales object', ({ cal }) => read(cal.s3, 'sales/leads.txt'), 'deny'],
    ['cal asks for the design role', ({ cal }) => cal.as('design'), 'deny'],
  ],
};

for (const policy of ['whole-bucket', 'own-prefix', 'groups'] as const) {
  describe(`${policy} policy`, () => {
    let env: Awaited<ReturnType<typeof setUp>>;
    let aws: LocalAws;
    beforeAll(async () => {
      env = await setUp(policy);
      aws = env.aws;
    });
    afterAll(() => aws.stop());
    it.each(matrix[policy])('%s → %s', async (_name, act, expected) => {
      expect(await outcome(act(env.users))).toBe(expected);
    });
  });
}

/**
 * local-aws answers only what it implements, and what it implements behaves as S3 does — the
 * cases Ceph's s3-tests found: unknown sub-resources, ListObjects v1 paging, max-keys=0, a
 * repeated CompleteMultipartUpload, checksums on Complete, copy preconditions, bucket names,
 * DeleteObjects limits and a listener leak under multipart uploads.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetObjectAclCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketAclCommand,
  PutBucketVersioningCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { adminS3, signedS3, startTestAws } from '../helpers/localAws';

let aws: LocalAws;
let s3: S3Client;
const bucket = 'kura-conformance';
const BODY = 'the object body, which nothing but a PUT may change';

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the request to be refused');
};

const bodyOf = async (key: string) => {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await r.Body!.transformToByteArray()).toString('utf8');
};

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  s3 = adminS3(aws, { maxAttempts: 1 });
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc.txt', Body: BODY }));
});
afterAll(() => aws.stop());

describe('sub-resources local-aws does not implement answer 501 NotImplemented', () => {
  const Bucket = bucket;
  const Key = 'doc.txt';
  it.each([
    ['PUT ?acl on an object', () => new PutObjectAclCommand({ Bucket, Key, ACL: 'private' })],
    [
      'PUT ?tagging on an object',
      () =>
        new PutObjectTaggingCommand({
          Bucket,
          Key,
          Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] },
        }),
    ],
    [
      'GET ?attributes',
      () => new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ['ETag'] }),
    ],
    ['GET ?tagging on an object', () => new GetObjectTaggingCommand({ Bucket, Key })],
    ['GET ?acl on an object', () => new GetObjectAclCommand({ Bucket, Key })],
    ['GET ?versions', () => new ListObjectVersionsCommand({ Bucket })],
    [
      'PUT ?versioning (PutBucketVersioning)',
      () =>
        new PutBucketVersioningCommand({
          Bucket,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
    ],
    [
      'PUT ?acl on a bucket (PutBucketAcl)',
      () => new PutBucketAclCommand({ Bucket, ACL: 'private' }),
    ],
    ['GET ?acl on a bucket', () => new GetBucketAclCommand({ Bucket })],
    ['GET ?policy', () => new GetBucketPolicyCommand({ Bucket })],
    ['GET ?tagging on a bucket', () => new GetBucketTaggingCommand({ Bucket })],
    ['GetObject with partNumber', () => new GetObjectCommand({ Bucket, Key, PartNumber: 1 })],
    ['HeadObject with partNumber', () => new HeadObjectCommand({ Bucket, Key, PartNumber: 1 })],
  ])('%s', async (_name, command) => {
    const e = await failure(s3.send(command() as Parameters<S3Client['send']>[0]));
    expect(e.status).toBe(501);
    // HEAD has no body to carry the code; every other answer is S3's XML error.
    if (!_name.startsWith('Head')) expect(e.name).toBe('NotImplemented');
    // Whatever was asked, the object is untouched.
    expect(await bodyOf(Key)).toBe(BODY);
  });

  it('refuses a PUT ?acl before reading its body, with S3 XML naming what is missing', async () => {
    const r = await signedS3(aws, 'PUT', `/${bucket}/doc.txt`, {
      query: { acl: '' },
      body: '<AccessControlPolicy/>',
    });
    expect(r.status).toBe(501);
    expect(r.text).toContain('<Code>NotImplemented</Code>');
    expect(r.text).toContain(
      '<Message>local-aws does not implement PUT on a object ?acl.</Message>',
    );
    expect(await bodyOf('doc.txt')).toBe(BODY);
  });

  it('refuses an anonymous PUT ?acl too, and the object stays as it was', async () => {
    const res = await fetch(`${aws.url}/${bucket}/doc.txt?acl`, { method: 'PUT', body: '' });
    expect([403, 501]).toContain(res.status);
    expect(await bodyOf('doc.txt')).toBe(BODY);
  });
});

describe('ListObjects v1 with a delimiter', () => {
  const keys = ['asdf', 'boo/bar', 'boo/baz/xyzzy', 'cquux/thud', 'cquux/bla'];
  beforeAll(async () => {
    for (const k of keys)
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `v1/${k}`, Body: k }));
  });

  it('pages one entry at a time without repeating a common prefix (NextMarker = the prefix)', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await s3.send(
        new ListObjectsCommand({
          Bucket: bucket,
          Prefix: 'v1/',
          Delimiter: '/',
          MaxKeys: 1,
          Marker: marker,
        }),
      );
      seen.push(...(r.Contents ?? []).map((c) => c.Key!));
      seen.push(...(r.CommonPrefixes ?? []).map((c) => c.Prefix!));
      if (!r.IsTruncated) break;
      expect(r.NextMarker).toBe(seen.at(-1));
      marker = r.NextMarker;
    }
    expect(seen).toEqual(['v1/asdf', 'v1/boo/', 'v1/cquux/']);
  });

  it('answers max-keys=0 with an empty page that is not truncated', async () => {
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 0 }));
    expect(v1.IsTruncated).toBe(false);
    expect(v1.Contents ?? []).toEqual([]);
    const v2 = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 0 }));
    expect(v2.IsTruncated).toBe(false);
    expect(v2.KeyCount).toBe(0);
  });
});

describe('multipart uploads', () => {
  const MiB = 1024 * 1024;
  async function uploadParts(key: string, parts: Buffer[], algorithm?: 'SHA256') {
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: algorithm }),
    );
    const done: { PartNumber: number; ETag: string; ChecksumSHA256?: string }[] = [];
    for (const [i, body] of parts.entries()) {
      const r = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          PartNumber: i + 1,
          Body: body,
          ChecksumAlgorithm: algorithm,
        }),
      );
      done.push({ PartNumber: i + 1, ETag: r.ETag!, ChecksumSHA256: r.ChecksumSHA256 });
    }
    return { UploadId: UploadId!, done };
  }

  it('answers a second CompleteMultipartUpload with 200 and the same ETag', async () => {
    const { UploadId, done } = await uploadParts('mp/twice.bin', [
      randomBytes(5 * MiB),
      randomBytes(10),
    ]);
    const complete = () =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: 'mp/twice.bin',
          UploadId,
          MultipartUpload: { Parts: done },
        }),
      );
    const first = await complete();
    const second = await complete();
    expect(second.ETag).toBe(first.ETag);
    expect(first.ETag).toMatch(/-2"$/);
  });

  it('refuses a wrong x-amz-checksum-sha256 on Complete and stores nothing', async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(1000)];
    const { UploadId, done } = await uploadParts('mp/sha.bin', parts, 'SHA256');
    const wrong = createHash('sha256').update('something else').digest('base64');
    const e = await failure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: 'mp/sha.bin',
          UploadId,
          ChecksumSHA256: wrong,
          MultipartUpload: { Parts: done },
        }),
      ),
    );
    expect(e).toMatchObject({ name: 'BadDigest', status: 400 });
    expect(aws.store.head(bucket, 'mp/sha.bin')).toBeUndefined();
    // The right composite checksum (SHA-256 of the parts' SHA-256s) completes it.
    const composite = createHash('sha256')
      .update(Buffer.concat(parts.map((p) => createHash('sha256').update(p).digest())))
      .digest('base64');
    const ok = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'mp/sha.bin',
        UploadId,
        ChecksumSHA256: composite,
        MultipartUpload: { Parts: done },
      }),
    );
    expect(ok.ChecksumSHA256).toBe(`${composite}-2`);
  });

  it('assembles a 13-part upload without a MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const body = randomBytes(12 * 5 * MiB + 10);
      await new Upload({
        client: s3,
        params: { Bucket: bucket, Key: 'mp/many.bin', Body: body },
        partSize: 5 * MiB,
        queueSize: 2,
      }).done();
      // Warnings are emitted on the next tick: a HEAD round trip gives them time to arrive.
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'mp/many.bin' }));
      expect(head.ETag).toMatch(/-13"$/);
      expect(head.ContentLength).toBe(body.length);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });
});

describe('CopyObject preconditions', () => {
  it.each([
    [
      'CopySourceIfMatch with another ETag',
      { CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' },
    ],
    ['CopySourceIfNoneMatch with its ETag', 'etag'],
    [
      'CopySourceIfModifiedSince in the future',
      { CopySourceIfModifiedSince: new Date(Date.now() + 86_400_000) },
    ],
    ['CopySourceIfUnmodifiedSince in the past', { CopySourceIfUnmodifiedSince: new Date(0) }],
  ] as const)('%s → 412, nothing copied', async (_name, condition) => {
    const etag = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'doc.txt' }))).ETag!;
    const extra = condition === 'etag' ? { CopySourceIfNoneMatch: etag } : condition;
    const key = `copies/${randomBytes(4).toString('hex')}`;
    const e = await failure(
      s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: key,
          CopySource: `${bucket}/doc.txt`,
          ...extra,
        }),
      ),
    );
    expect(e).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    expect(aws.store.head(bucket, key)).toBeUndefined();
  });

  it('copies when the conditions hold', async () => {
    const etag = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'doc.txt' }))).ETag!;
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'copies/ok.txt',
        CopySource: `${bucket}/doc.txt`,
        CopySourceIfMatch: etag,
        CopySourceIfUnmodifiedSince: new Date(Date.now() + 86_400_000),
      }),
    );
    expect(await bodyOf('copies/ok.txt')).toBe(BODY);
  });
});

describe('bucket names and batch deletes', () => {
  it.each([
    'a',
    'ab',
    'UPPER',
    'under_score',
    'a'.repeat(64),
    '192.168.5.4',
    'dots..twice',
    'dot.-dash',
    'dash-.dot',
    '-leading',
    'trailing-',
    'xn--punycode',
    'sthree-reserved',
    'name-s3alias',
    'name--ol-s3',
  ])('refuses to create the bucket "%s"', async (name) => {
    const e = await failure(s3.send(new CreateBucketCommand({ Bucket: name })));
    expect(e).toMatchObject({ name: 'InvalidBucketName', status: 400 });
    expect(aws.store.hasBucket(name)).toBe(false);
  });

  it('creates a bucket with a good name', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'good.name-123' }));
    expect(aws.store.hasBucket('good.name-123')).toBe(true);
  });

  it('refuses DeleteObjects with more than 1,000 keys and deletes none', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'del/keep.txt', Body: 'x' }));
    const Objects = Array.from({ length: 1001 }, (_, i) => ({ Key: `del/${i}` }));
    Objects[0] = { Key: 'del/keep.txt' };
    const e = await failure(
      s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects } })),
    );
    expect(e).toMatchObject({ name: 'MalformedXML', status: 400 });
    expect(aws.store.head(bucket, 'del/keep.txt')).toBeDefined();
    const ok = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: Objects.slice(0, 1000) } }),
    );
    expect(ok.Deleted).toHaveLength(1000);
    expect(aws.store.head(bucket, 'del/keep.txt')).toBeUndefined();
  });
});

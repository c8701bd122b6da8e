import { createHash } from 'node:crypto';
import { Agent } from 'node:http';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import {
  adminCall,
  adminCredentials,
  adminS3,
  createConfirmedUser,
  roleCredentials,
  s3Client,
  signIn,
  startTestAws,
} from '../helpers/localAws';

const PASSWORD = 'Correct-Horse-9';
let aws: LocalAws;
let admin: S3Client;
let role: S3Client;
let roleCreds: Awaited<ReturnType<typeof roleCredentials>>;
const bucket = 'kura-test';

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected an error');
};

const put = (key: string, body: string | Buffer, client = admin) =>
  client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
const text = async (
  key: string,
  extra: Partial<ConstructorParameters<typeof GetObjectCommand>[0]> = {},
  client = role,
) => {
  const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
  return { body: Buffer.from(await r.Body!.transformToByteArray()), r };
};

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  admin = adminS3(aws);
  createConfirmedUser(aws, 'alice@example.com', PASSWORD);
  const s = await signIn(aws, 'alice@example.com', PASSWORD);
  roleCreds = await roleCredentials(aws, s.getIdToken().getJwtToken());
  role = s3Client(aws, roleCreds);
  await admin.send(
    new (await import('@aws-sdk/client-s3')).CreateBucketCommand({ Bucket: 'other-bucket' }),
  );
});
afterAll(() => aws.stop());

describe('SigV4 and authentication', () => {
  it('denies an anonymous request', async () => {
    await put('public.txt', 'x');
    const res = await fetch(`${aws.url}/${bucket}/public.txt`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('refuses a wrong secret key', async () => {
    const bad = s3Client(aws, {
      ...roleCreds,
      secretAccessKey: 'wrong' + roleCreds.secretAccessKey.slice(5),
    });
    expect(await errorOf(bad.send(new ListObjectsV2Command({ Bucket: bucket })))).toEqual({
      name: 'SignatureDoesNotMatch',
      status: 403,
    });
  });

  it('refuses an unknown access key', async () => {
    const bad = s3Client(aws, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' });
    expect((await errorOf(bad.send(new ListObjectsV2Command({ Bucket: bucket })))).name).toBe(
      'InvalidAccessKeyId',
    );
  });

  it('refuses a wrong session token', async () => {
    const bad = s3Client(aws, {
      ...roleCreds,
      sessionToken: roleCreds.sessionToken.slice(0, -4) + 'AAAA',
    });
    expect((await errorOf(bad.send(new ListObjectsV2Command({ Bucket: bucket })))).name).toBe(
      'InvalidToken',
    );
  });

  it('refuses temporary credentials without their session token', async () => {
    const bad = s3Client(aws, {
      accessKeyId: roleCreds.accessKeyId,
      secretAccessKey: roleCreds.secretAccessKey,
    });
    expect((await errorOf(bad.send(new ListObjectsV2Command({ Bucket: bucket })))).name).toBe(
      'InvalidAccessKeyId',
    );
  });

  it('refuses a request signed more than 15 minutes away from the server clock', async () => {
    await adminCall(aws, 'POST', 'clock', { skewMs: 20 * 60 * 1000 });
    try {
      // One attempt, a client of its own: the SDK would otherwise correct its clock from the
      // answer's Date header and retry (as Kura relies on, #18), and keep that offset after.
      const once = adminS3(aws, { maxAttempts: 1 });
      expect((await errorOf(once.send(new ListObjectsV2Command({ Bucket: bucket })))).name).toBe(
        'RequestTimeTooSkewed',
      );
    } finally {
      await adminCall(aws, 'POST', 'clock', { skewMs: 0 });
    }
  });

  it('serves a presigned URL and refuses it tampered or expired', async () => {
    await put('docs/presigned file+1.txt', 'signed bytes');
    const url = await getSignedUrl(
      role,
      new GetObjectCommand({ Bucket: bucket, Key: 'docs/presigned file+1.txt' }),
      {
        expiresIn: 60,
      },
    );
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('signed bytes');
    const tampered = await fetch(url.replace('presigned', 'presignee'));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('SignatureDoesNotMatch');
    const extended = await fetch(url.replace('X-Amz-Expires=60', 'X-Amz-Expires=600'));
    expect(await extended.text()).toContain('SignatureDoesNotMatch');
    await adminCall(aws, 'POST', 'clock', { skewMs: 120_000 });
    try {
      const expired = await fetch(url);
      expect(expired.status).toBe(403);
      expect(await expired.text()).toContain('Request has expired');
    } finally {
      await adminCall(aws, 'POST', 'clock', { skewMs: 0 });
    }
  });

  it('accepts virtual-host style addressing (<bucket>.localhost)', async () => {
    await put('vhost.txt', 'virtual host');
    // *.localhost is loopback (RFC 6761), but not every resolver knows: resolve it here.
    const agent = new Agent({
      lookup: (_host, opts, cb) => {
        const done = cb as (e: null, a: unknown, f?: number) => void;
        if ((opts as { all?: boolean }).all) done(null, [{ address: '127.0.0.1', family: 4 }]);
        else done(null, '127.0.0.1', 4);
      },
    });
    const vhost = new S3Client({
      region: aws.profile.region,
      endpoint: `http://localhost:${aws.port}`,
      forcePathStyle: false,
      credentials: roleCreds,
      requestHandler: new NodeHttpHandler({ httpAgent: agent }),
    });
    const { body } = await text('vhost.txt', {}, vhost);
    expect(body.toString()).toBe('virtual host');
  });
});

describe('IAM: the role reads and never writes', () => {
  it('denies PutObject, DeleteObject and multipart uploads to the role', async () => {
    await put('keep.txt', 'keep');
    expect(await errorOf(put('new.txt', 'x', role))).toEqual({ name: 'AccessDenied', status: 403 });
    expect(
      (await errorOf(role.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'keep.txt' })))).name,
    ).toBe('AccessDenied');
    expect(
      (
        await errorOf(
          role.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big.bin' })),
        )
      ).name,
    ).toBe('AccessDenied');
    expect((await text('keep.txt')).body.toString()).toBe('keep');
  });

  it('denies another bucket and ListBuckets', async () => {
    await put('x.txt', 'x');
    expect(
      (await errorOf(role.send(new ListObjectsV2Command({ Bucket: 'other-bucket' })))).name,
    ).toBe('AccessDenied');
    expect((await errorOf(role.send(new ListBucketsCommand({})))).name).toBe('AccessDenied');
    const buckets = await admin.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((b) => b.Name)).toEqual(['kura-test', 'other-bucket']);
  });

  it('answers NoSuchKey (404) to the role for a missing key it may list', async () => {
    expect(await errorOf(text('missing.txt'))).toEqual({ name: 'NoSuchKey', status: 404 });
  });
});

describe('ListObjectsV2', () => {
  const keys = [
    'list/a.txt',
    'list/b/1.txt',
    'list/b/2.txt',
    'list/c/x/y.txt',
    'list/d.txt',
    'list/e/1.txt',
    'list/\uFFFDz.txt',
    'list/🎉.txt',
    'list/space and+plus.txt',
    'list/日本語/ファイル.txt',
  ];
  beforeAll(async () => {
    for (const k of keys) await put(k, k);
  });

  it('orders keys by UTF-8 bytes (an emoji after U+FFFD)', async () => {
    const r = await role.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/' }));
    const listed = r.Contents!.map((c) => c.Key!);
    const expected = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(listed).toEqual(expected);
    expect(listed.indexOf('list/🎉.txt')).toBeGreaterThan(listed.indexOf('list/\uFFFDz.txt'));
  });

  it('counts CommonPrefixes towards MaxKeys and never repeats them across pages', async () => {
    const seenKeys: string[] = [];
    const seenPrefixes: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r: ListObjectsV2CommandOutput = await role.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: 'list/',
          Delimiter: '/',
          MaxKeys: 2,
          ContinuationToken: token,
        }),
      );
      expect((r.Contents?.length ?? 0) + (r.CommonPrefixes?.length ?? 0)).toBeLessThanOrEqual(2);
      expect(r.KeyCount).toBe((r.Contents?.length ?? 0) + (r.CommonPrefixes?.length ?? 0));
      seenKeys.push(...(r.Contents ?? []).map((c) => c.Key!));
      seenPrefixes.push(...(r.CommonPrefixes ?? []).map((c) => c.Prefix!));
      token = r.NextContinuationToken;
      pages++;
    } while (token);
    expect(seenPrefixes).toEqual(['list/b/', 'list/c/', 'list/e/', 'list/日本語/']);
    expect(new Set(seenPrefixes).size).toBe(seenPrefixes.length);
    expect(seenKeys).toEqual([
      'list/a.txt',
      'list/d.txt',
      'list/space and+plus.txt',
      'list/\uFFFDz.txt',
      'list/🎉.txt',
    ]);
    expect(pages).toBe(5);
  });

  it('resumes after StartAfter', async () => {
    const r = await role.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', StartAfter: 'list/c/x/y.txt' }),
    );
    expect(r.Contents![0]!.Key).toBe('list/d.txt');
  });

  it('refuses a forged continuation token', async () => {
    const r = errorOf(
      role.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: 'bGlzdC8.forged' })),
    );
    expect(await r).toEqual({ name: 'InvalidArgument', status: 400 });
  });

  it('url-encodes keys with encoding-type=url', async () => {
    const res = await role.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/space', EncodingType: 'url' }),
    );
    // The SDK does not decode: the raw wire form is visible.
    expect(res.Contents![0]!.Key).toBe('list/space+and%2Bplus.txt');
  });

  it('pages through 2,500 keys 1,000 at a time', async () => {
    for (let i = 0; i < 2500; i++) {
      await aws.store.put(
        bucket,
        `many/${String(i).padStart(4, '0')}.txt`,
        Readable.from([Buffer.from('x')]),
      );
    }
    const counts: number[] = [];
    let token: string | undefined;
    do {
      const r: ListObjectsV2CommandOutput = await role.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'many/', ContinuationToken: token }),
      );
      counts.push(r.KeyCount!);
      token = r.NextContinuationToken;
    } while (token);
    expect(counts).toEqual([1000, 1000, 500]);
  });
});

describe('GetObject', () => {
  const body = Buffer.from('0123456789abcdefghij');
  beforeAll(() => put('range.bin', body));

  it.each([
    ['bytes=0-4', '01234', 'bytes 0-4/20'],
    ['bytes=15-', 'fghij', 'bytes 15-19/20'],
    ['bytes=-3', 'hij', 'bytes 17-19/20'],
    ['bytes=0-0', '0', 'bytes 0-0/20'],
    ['bytes=18-100', 'ij', 'bytes 18-19/20'],
  ])('serves Range %s', async (range, expected, contentRange) => {
    const { body: got, r } = await text('range.bin', { Range: range });
    expect(got.toString()).toBe(expected);
    expect(r.ContentRange).toBe(contentRange);
    expect(r.ContentLength).toBe(expected.length);
  });

  it('answers 416 to an unsatisfiable range', async () => {
    expect(await errorOf(text('range.bin', { Range: 'bytes=20-' }))).toEqual({
      name: 'InvalidRange',
      status: 416,
    });
  });

  it('honours If-Match, If-None-Match and If-Modified-Since', async () => {
    const head = await role.send(new HeadObjectCommand({ Bucket: bucket, Key: 'range.bin' }));
    expect(head.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    expect((await text('range.bin', { IfMatch: head.ETag })).body.equals(body)).toBe(true);
    expect(await errorOf(text('range.bin', { IfMatch: '"0000"' }))).toEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect((await errorOf(text('range.bin', { IfNoneMatch: head.ETag }))).status).toBe(304);
    const future = new Date(Date.now() + 3600_000);
    expect((await errorOf(text('range.bin', { IfModifiedSince: future }))).status).toBe(304);
  });

  it('returns the full-object CRC64NVME for whole reads only, and the SDK validates it', async () => {
    // Stored without a client checksum: S3 computes CRC64NVME itself.
    await aws.store.put(bucket, 'plain.bin', Readable.from([body]));
    const whole = await text('plain.bin', { ChecksumMode: 'ENABLED' });
    expect(whole.r.ChecksumCRC64NVME).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    expect(whole.r.ChecksumType).toBe('FULL_OBJECT');
    const ranged = await text('plain.bin', { ChecksumMode: 'ENABLED', Range: 'bytes=0-3' });
    expect(ranged.r.ChecksumCRC64NVME).toBeUndefined();
  });

  it("reports the checksum the uploader chose (the SDK's CRC32)", async () => {
    const whole = await text('range.bin', { ChecksumMode: 'ENABLED' });
    const expected = Buffer.alloc(4);
    expected.writeUInt32BE((await import('node:zlib')).crc32(body) >>> 0);
    expect(whole.r.ChecksumCRC32).toBe(expected.toString('base64'));
  });

  it('serves a zero-byte object', async () => {
    await put('empty.txt', '');
    const { body: got, r } = await text('empty.txt');
    expect(got.length).toBe(0);
    expect(r.ContentLength).toBe(0);
  });

  it('stores hostile keys as plain data', async () => {
    const hostile = [
      '../escape.txt',
      'a//b.txt',
      '..',
      '/abs',
      'C:\\x',
      'con.txt',
      'dir/',
      'ctl\u0001.txt',
    ];
    for (const k of hostile) await put(k, `data of ${k}`);
    for (const k of hostile) expect((await text(k)).body.toString()).toBe(`data of ${k}`);
  });
});

describe('uploads (administrator)', () => {
  it('decodes the SDK default streaming upload (aws-chunked with a trailing checksum)', async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    const stream = Readable.from([payload.subarray(0, 1_000_000), payload.subarray(1_000_000)]);
    await admin.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'stream.bin',
        Body: stream,
        ContentLength: payload.length,
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    const { body: got, r } = await text('stream.bin', { ChecksumMode: 'ENABLED' });
    expect(got.equals(payload)).toBe(true);
    expect(r.ChecksumCRC32).toBeTruthy();
  });

  it('rejects a body whose declared checksum does not match', async () => {
    const res = admin.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'bad-digest.txt',
        Body: 'hello',
        ChecksumCRC32: 'AAAAAA==',
      }),
    );
    expect((await errorOf(res)).name).toBe('BadDigest');
    expect((await errorOf(text('bad-digest.txt'))).name).toBe('NoSuchKey');
  });

  it('assembles a multipart upload (lib-storage) with a -N ETag', async () => {
    const payload = Buffer.alloc(12 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4096) payload[i] = i % 251;
    const upload = new Upload({
      client: admin,
      params: { Bucket: bucket, Key: 'multi.bin', Body: payload },
      partSize: 5 * 1024 * 1024,
    });
    await upload.done();
    const { body: got, r } = await text('multi.bin');
    expect(got.equals(payload)).toBe(true);
    expect(r.ETag).toMatch(/-3"$/);
  });

  it('aborts a multipart upload', async () => {
    const { UploadId } = await admin.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'aborted.bin' }),
    );
    await admin.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'aborted.bin', UploadId }),
    );
    const again = admin.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'aborted.bin', UploadId }),
    );
    expect((await errorOf(again)).name).toBe('NoSuchUpload');
  });

  it('keeps objects across a restart', async () => {
    const other = await startTestAws({ bucket: 'persist' });
    const dataDir = other.dataDir;
    await adminS3(other).send(
      new PutObjectCommand({ Bucket: 'persist', Key: 'kept.txt', Body: 'still here' }),
    );
    const creds = adminCredentials(other);
    await other.stop();
    const again = await startTestAws({ dataDir, bucket: 'persist' });
    try {
      const r = await s3Client(again, creds).send(
        new GetObjectCommand({ Bucket: 'persist', Key: 'kept.txt' }),
      );
      expect(await r.Body!.transformToString()).toBe('still here');
    } finally {
      await again.stop();
    }
  });
});

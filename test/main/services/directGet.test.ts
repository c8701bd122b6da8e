/** The lean GetObject path against local-aws: hostile keys, ranges, conditions, S3 errors. */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../local-aws/server';
import { Network } from '../../../src/main/services/network/network';
import { DirectGet, encodeKey } from '../../../src/main/services/directGet';
import type { KuraCore } from '../../../src/main/services/kuraCore';
import { createConfirmedUser, startTestAws } from '../../helpers/localAws';
import { newCore } from '../../helpers/kura';

const bucket = 'kura-demo';
let aws: LocalAws;
let core: KuraCore;
const text = async (body: unknown) => {
  let s = '';
  for await (const c of body as Readable) s += (c as Buffer).toString('utf8');
  return s;
};
const signal = () => new AbortController().signal;

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  createConfirmedUser(aws, 'd@example.com', 'Correct-Horse-9');
  core = newCore(aws).core;
  await core.active().session.signIn('d@example.com', 'Correct-Horse-9');
});
afterAll(() => aws.stop());

describe('direct GetObject', () => {
  it('signs keys S3 would encode differently from a browser, byte for byte', async () => {
    const keys = [
      "odd/!'()*+ %25 ~.txt",
      'odd/a//b.txt',
      'odd/日本語 ファイル.txt',
      'odd/Cafe\u0301.txt',
      'odd/?#[]@$&=;,.txt',
    ];
    const s = core.active().storage;
    for (const key of keys) {
      await aws.store.put(bucket, key, Readable.from([Buffer.from(`content of ${key}`)]));
      const got = await s.getObject({ Bucket: bucket, Key: key }, signal());
      expect(await text(got.Body)).toBe(`content of ${key}`);
    }
    expect(encodeKey("a b/!'()*/c")).toBe('a%20b/%21%27%28%29%2A/c');
  });

  it('answers like the SDK: ranges, ETag, checksum headers; errors by S3 code', async () => {
    const meta = await aws.store.put(bucket, 'd/x.bin', Readable.from([Buffer.from('0123456789')]));
    const s = core.active().storage;
    const whole = await s.getObject(
      { Bucket: bucket, Key: 'd/x.bin', ChecksumMode: 'ENABLED' },
      signal(),
    );
    expect(whole).toMatchObject({
      ETag: `"${meta.etag}"`,
      ContentLength: 10,
      ChecksumCRC64NVME: meta.checksum.value,
      ChecksumType: 'FULL_OBJECT',
    });
    await text(whole.Body);
    const part = await s.getObject(
      { Bucket: bucket, Key: 'd/x.bin', Range: 'bytes=2-4', IfMatch: `"${meta.etag}"` },
      signal(),
    );
    expect(part).toMatchObject({ ContentLength: 3, ContentRange: 'bytes 2-4/10' });
    expect(await text(part.Body)).toBe('234');
    await expect(
      s.getObject({ Bucket: bucket, Key: 'd/x.bin', IfMatch: '"nope"' }, signal()),
    ).rejects.toMatchObject({
      cause: { name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } },
    });
    await expect(s.getObject({ Bucket: bucket, Key: 'd/missing' }, signal())).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
    await expect(s.getObject({ Bucket: 'other-bucket', Key: 'x' }, signal())).rejects.toMatchObject(
      {
        code: 'ACCESS_DENIED',
      },
    );
  });

  it('addresses buckets virtual-hosted unless path style is set or the name has dots', () => {
    const creds = () => Promise.resolve({ accessKeyId: 'a', secretAccessKey: 'b' });
    const aws1 = new DirectGet(
      { ...aws.profile, s3ForcePathStyle: false, endpoints: undefined },
      creds,
      new Network().transport(),
    );
    expect(aws1.target('my-bucket', 'a b')).toEqual({
      hostname: 'my-bucket.s3.' + aws.profile.region + '.amazonaws.com',
      port: '',
      path: '/a%20b',
    });
    expect(aws1.target('my.bucket', 'k').path).toBe('/my.bucket/k');
    const local = new DirectGet(aws.profile, creds, new Network().transport());
    expect(local.target('kura-demo', 'k').path).toBe('/kura-demo/k');
    aws1.destroy();
    local.destroy();
  });
});

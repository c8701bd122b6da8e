/**
 * Downloads from a versioned bucket (infra/template.yaml BucketVersioning=true): HEAD then
 * answers `x-amz-version-id`, and a GET naming that version needs s3:GetObjectVersion, which the
 * read-only roles do not grant (least privilege). The engine pins every read to the object first
 * seen with If-Match on its ETag only, never with VersionId (the security review of issue #12,
 * F2). local-aws judges a GET or HEAD with `versionId` as s3:GetObjectVersion, so sending one
 * is refused here as on AWS.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { GetObjectCommandInput } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../../local-aws/server';
import {
  downloadObject,
  type ObjectReader,
} from '../../../../src/main/services/download/objectDownload';
import type { KuraCore } from '../../../../src/main/services/kuraCore';
import {
  adminS3,
  createConfirmedUser,
  roleCredentials,
  s3Client,
  signIn,
  startTestAws,
} from '../../../helpers/localAws';
import { newCore, tempDir } from '../../../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';
const VERSION = '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH';
let aws: LocalAws;
let core: KuraCore;
const small = randomBytes(40 * 1024);
const large = randomBytes(600 * 1024);

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  createConfirmedUser(aws, 'v@example.com', PASSWORD);
  await aws.store.put(bucket, 'small.bin', Readable.from([small]));
  await aws.store.put(bucket, 'large.bin', Readable.from([large]));
  core = newCore(aws).core;
  await core.active().session.signIn('v@example.com', PASSWORD);
});
afterAll(() => aws.stop());

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (e: { name?: string }) => e.name,
  );

describe('a versioned bucket', () => {
  it.each([
    ['one whole GET', 'small.bin', small],
    ['parallel ranges', 'large.bin', large],
  ])('downloads with reads pinned by If-Match only, never VersionId (%s)', async (_, key, body) => {
    const storage = core.active().storage;
    const gets: GetObjectCommandInput[] = [];
    // The HEAD of a versioned bucket names the current version.
    const versioned: ObjectReader = {
      headObject: async (b, k) => ({ ...(await storage.headObject(b, k)), VersionId: VERSION }),
      getObject: (input, signal) => {
        gets.push(input);
        return storage.getObject(input, signal);
      },
    };
    const dir = tempDir();
    const r = await downloadObject(
      versioned,
      { bucket, key, dir, name: key },
      { engine: { rangeThreshold: 128 * 1024, partSize: 128 * 1024, backoffMs: 10 } },
    );
    expect(readFileSync(join(dir, key)).equals(body)).toBe(true);
    expect(r.versionId).toBe(VERSION); // still named in the receipt
    expect(gets.length).toBeGreaterThan(0);
    for (const g of gets) {
      expect(g.VersionId).toBeUndefined();
      expect(g.IfMatch).toMatch(/^"[0-9a-f]{32}"$/);
    }
  });
});

describe('local-aws: a read that names a version', () => {
  it('is s3:GetObjectVersion, which the read-only role does not have', async () => {
    const token = (await signIn(aws, 'v@example.com', PASSWORD)).getIdToken().getJwtToken();
    const user = s3Client(aws, await roleCredentials(aws, token), { maxAttempts: 1 });
    const named = { Bucket: bucket, Key: 'small.bin', VersionId: 'null' };
    expect(
      await codeOf(user.send(new GetObjectCommand({ Bucket: bucket, Key: 'small.bin' }))),
    ).toBe('allowed');
    expect(await codeOf(user.send(new GetObjectCommand(named)))).toBe('AccessDenied');
    // A HEAD error has no body: only its status says AccessDenied.
    await expect(user.send(new HeadObjectCommand(named))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('answers the one version of an unversioned bucket ("null"), and refuses any other', async () => {
    const admin = adminS3(aws, { maxAttempts: 1 });
    const got = await admin.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'small.bin', VersionId: 'null' }),
    );
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(small)).toBe(true);
    expect(
      await codeOf(
        admin.send(new GetObjectCommand({ Bucket: bucket, Key: 'small.bin', VersionId: VERSION })),
      ),
    ).toBe('InvalidArgument');
  });
});

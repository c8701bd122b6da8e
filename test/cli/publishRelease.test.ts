import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { publishRelease } from '../../src/cli/publishRelease';
import type { KuraError } from '../../src/main/services/kuraError';
import { errorMessage } from '../../src/shared/errors';
import { kuraAdmin } from '../helpers/cli';
import { adminS3, startTestAws } from '../helpers/localAws';
import { tempDir } from '../helpers/kura';
import { LINUX_CHANNEL, makeRelease } from '../helpers/release';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startTestAws();
});
afterAll(() => aws.stop());

const keysUnder = async (prefix: string) =>
  (
    await adminS3(aws).send(new ListObjectsV2Command({ Bucket: aws.admin.bucket, Prefix: prefix }))
  ).Contents?.map((o) => o.Key) ?? [];
const bytesOf = async (key: string) =>
  Buffer.from(
    await (
      await adminS3(aws).send(new GetObjectCommand({ Bucket: aws.admin.bucket, Key: key }))
    ).Body!.transformToByteArray(),
  );

/** `kura admin …` as an administrator, each run with a data folder of its own. */
const admin = (args: string[]) => kuraAdmin(aws, tempDir('kura-admin-'), args);

describe('kura admin publish-release (against local-aws)', () => {
  it('uploads the installer and its blockmap first and latest*.yml last, byte for byte', async () => {
    const { dir, installer, bytes } = makeRelease(tempDir('kura-rel-'), '0.3.0');
    writeFileSync(join(dir, `${installer}.blockmap`), 'blockmap');
    writeFileSync(join(dir, 'builder-debug.yml'), 'not part of a release');
    const r = await publishRelease(
      dir,
      { bucket: aws.admin.bucket, prefix: 'kura-releases/' },
      adminS3(aws),
    );
    expect(r).toEqual({
      version: '0.3.0',
      keys: [
        `kura-releases/${installer}`,
        `kura-releases/${installer}.blockmap`,
        `kura-releases/${LINUX_CHANNEL}`,
      ],
    });
    expect((await bytesOf(`kura-releases/${installer}`)).equals(bytes)).toBe(true);
    expect((await keysUnder('kura-releases/')).sort()).toEqual([...r.keys].sort());
  });

  it('refuses a folder whose installer does not match latest*.yml, and uploads nothing', async () => {
    const { dir, installer } = makeRelease(tempDir('kura-rel-'), '0.4.0', {
      stateSha512Of: Buffer.from('another build'),
    });
    const refused = await publishRelease(
      dir,
      { bucket: aws.admin.bucket, prefix: 'bad-release/' },
      adminS3(aws),
    ).then(
      () => expect.unreachable('published a release that does not match its feed'),
      (e: unknown) => e as KuraError,
    );
    expect(refused).toMatchObject({ code: 'RELEASE_INVALID' });
    expect(errorMessage(refused.toView(), 'en')).toBe(
      `The release cannot be published: ${installer} does not have the SHA-512 latest*.yml states (rebuilt since?). Nothing was uploaded.`,
    );
    expect(errorMessage(refused.toView(), 'ja')).toBe(
      `リリースを公開できません: ${installer} の SHA-512 が latest*.yml の記載と違います（その後ビルドし直しましたか？）。何もアップロードしていません。`,
    );
    expect(await keysUnder('bad-release/')).toEqual([]);
  });

  it('refuses a feed that names a file outside the folder', async () => {
    const dir = tempDir('kura-rel-');
    writeFileSync(
      join(dir, LINUX_CHANNEL),
      'version: 0.5.0\nfiles:\n  - url: ../../etc/passwd\n    sha512: x\n',
    );
    await expect(
      publishRelease(dir, { bucket: aws.admin.bucket, prefix: 'evil/' }, adminS3(aws)),
    ).rejects.toThrow(/will not fetch/);
  });

  it('is a command with --to, and says what it needs when DIR or the folder is missing', async () => {
    const { dir } = makeRelease(tempDir('kura-rel-'), '0.6.0');
    const ok = await admin([
      'publish-release',
      dir,
      '--to',
      `s3://${aws.admin.bucket}/cli-releases/`,
    ]);
    expect(ok.stderr).toContain(`Published Kura 0.6.0 to s3://${aws.admin.bucket}/cli-releases/`);
    expect(ok.code).toBe(0);
    expect(await keysUnder('cli-releases/')).toContain(`cli-releases/${LINUX_CHANNEL}`);

    const noDir = await admin(['publish-release']);
    expect(noDir.code).toBe(1);
    expect(noDir.stderr).toContain('needs DIR');
    const noTarget = await admin(['publish-release', dir]);
    expect(noTarget.stderr).toContain('--to s3://bucket/prefix/');
    const notFolder = await admin([
      'publish-release',
      tempDir('kura-empty-'),
      '--to',
      `s3://${aws.admin.bucket}/cli-releases/`,
    ]);
    expect(notFolder.stderr).toContain('has no latest*.yml');
  });
});

/**
 * The real peers are judges too: Debian's `aws` CLI (v2) and `rclone` must work against
 * local-aws unchanged apart from the endpoint. Skipped, with the reason, where they are not
 * installed (`.ci/run` installs both).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import {
  adminS3,
  cleanEnv,
  createConfirmedUser,
  roleCredentials,
  signIn,
  startTestAws,
} from '../helpers/localAws';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';
const RCLONE = '/usr/bin/rclone';
const haveAws = existsSync(AWS);
const haveRclone = existsSync(RCLONE);

let aws: LocalAws;
let dir: string;
const bucket = 'peers';

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  dir = mkdtempSync(join(tmpdir(), 'kura-peers-'));
  for (const k of ['list/a.txt', 'list/sub/b.txt', 'list/日本語 file+1.txt']) {
    await adminS3(aws).send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: `body of ${k}` }));
  }
});
afterAll(() => aws.stop());

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

function awsEnv(creds: Creds) {
  return cleanEnv({
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    ...(creds.sessionToken ? { AWS_SESSION_TOKEN: creds.sessionToken } : {}),
    AWS_DEFAULT_REGION: aws.profile.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  });
}

const awsCli = (args: string[], creds: Creds = aws.admin) =>
  run(AWS, ['--endpoint-url', aws.url, ...args], {
    env: awsEnv(creds),
    maxBuffer: 64 * 1024 * 1024,
  });

function rcloneEnv(creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  return cleanEnv({
    RCLONE_CONFIG: '/dev/null',
    RCLONE_CONFIG_LOCALAWS_TYPE: 's3',
    // provider=AWS makes rclone use virtual-host addressing, which needs DNS for
    // <bucket>.127.0.0.1; "Other" keeps path style (and lists with ListObjects v1 by default).
    RCLONE_CONFIG_LOCALAWS_PROVIDER: 'Other',
    RCLONE_CONFIG_LOCALAWS_ACCESS_KEY_ID: creds.accessKeyId,
    RCLONE_CONFIG_LOCALAWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    RCLONE_CONFIG_LOCALAWS_SESSION_TOKEN: creds.sessionToken ?? '',
    RCLONE_CONFIG_LOCALAWS_ENDPOINT: aws.url,
    RCLONE_CONFIG_LOCALAWS_REGION: aws.profile.region,
    RCLONE_CONFIG_LOCALAWS_FORCE_PATH_STYLE: 'true',
  });
}

const rclone = (
  args: string[],
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = aws.admin,
) => run(RCLONE, args, { env: rcloneEnv(creds), maxBuffer: 64 * 1024 * 1024 });

async function roleCreds() {
  createConfirmedUser(aws, `peer-${randomBytes(3).toString('hex')}@example.com`, 'Correct-Horse-9');
  const email = Object.values(aws.state.data.users).at(-1)!.attributes.email!;
  const s = await signIn(aws, email, 'Correct-Horse-9');
  return roleCredentials(aws, s.getIdToken().getJwtToken());
}

describe.skipIf(!haveAws)(
  haveAws
    ? 'aws CLI (Debian awscli)'
    : 'aws CLI: skipped, /usr/bin/aws is not installed (apt-get install awscli)',
  () => {
    it('uploads a 20 MB file (multipart) and downloads it unchanged', async () => {
      const src = join(dir, 'cli-upload.bin');
      const payload = randomBytes(20 * 1024 * 1024);
      writeFileSync(src, payload);
      await awsCli(['s3', 'cp', src, `s3://${bucket}/cli/upload.bin`]);
      const head = await adminS3(aws).send(
        new GetObjectCommand({ Bucket: bucket, Key: 'cli/upload.bin' }),
      );
      expect(head.ETag).toMatch(/-\d+"$/);
      const out = join(dir, 'cli-download.bin');
      await awsCli(['s3', 'cp', `s3://${bucket}/cli/upload.bin`, out]);
      expect(readFileSync(out).equals(payload)).toBe(true);
    });

    it('lists recursively, with Unicode and + in keys', async () => {
      const { stdout } = await awsCli(['s3', 'ls', '--recursive', `s3://${bucket}/list/`]);
      const keys = stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/).slice(3).join(' '));
      expect(keys).toEqual(['list/a.txt', 'list/sub/b.txt', 'list/日本語 file+1.txt']);
    });

    it('reads with role credentials and is denied a write', async () => {
      const creds = await roleCreds();
      const out = join(dir, 'role-read.txt');
      await awsCli(['s3', 'cp', `s3://${bucket}/list/a.txt`, out], creds);
      expect(readFileSync(out, 'utf8')).toBe('body of list/a.txt');
      const src = join(dir, 'role-write.txt');
      writeFileSync(src, 'nope');
      const denied = await awsCli(['s3', 'cp', src, `s3://${bucket}/list/nope.txt`], creds).catch(
        (e: { stderr: string }) => e,
      );
      expect(denied.stderr).toContain('AccessDenied');
    });

    it('deletes as the administrator', async () => {
      await awsCli(['s3', 'cp', join(dir, 'role-write.txt'), `s3://${bucket}/tmp/delete-me.txt`]);
      await awsCli(['s3', 'rm', `s3://${bucket}/tmp/delete-me.txt`]);
      const { stdout } = await awsCli([
        's3api',
        'list-objects-v2',
        '--bucket',
        bucket,
        '--prefix',
        'tmp/',
      ]);
      expect(stdout.trim() === '' || !stdout.includes('delete-me')).toBe(true);
    });
  },
);

describe.skipIf(!haveRclone)(
  haveRclone
    ? 'rclone'
    : 'rclone: skipped, /usr/bin/rclone is not installed (apt-get install rclone)',
  () => {
    it('uploads and copies back a file unchanged', async () => {
      const src = join(dir, 'rclone-up.bin');
      const payload = randomBytes(9 * 1024 * 1024 + 5);
      writeFileSync(src, payload);
      await rclone(['copyto', src, `localaws:${bucket}/rclone/up.bin`]);
      const out = join(dir, 'rclone-down.bin');
      await rclone(['copyto', `localaws:${bucket}/rclone/up.bin`, out]);
      expect(readFileSync(out).equals(payload)).toBe(true);
    });

    it.each(['1', '2'])('lists recursively (lsf -R) with ListObjects v%s', async (version) => {
      const { stdout } = await rclone([
        'lsf',
        '-R',
        '--files-only',
        '--s3-list-version',
        version,
        `localaws:${bucket}/list/`,
      ]);
      expect(stdout.trim().split('\n').sort()).toEqual(
        ['a.txt', 'sub/b.txt', '日本語 file+1.txt'].sort(),
      );
    });

    it('copies a folder with role credentials', async () => {
      const creds = await roleCreds();
      const out = mkdtempSync(join(dir, 'rclone-role-'));
      await rclone(['copy', `localaws:${bucket}/list/`, out], creds);
      expect(readFileSync(join(out, 'sub', 'b.txt'), 'utf8')).toBe('body of list/sub/b.txt');
      expect(readFileSync(join(out, '日本語 file+1.txt'), 'utf8')).toBe(
        'body of list/日本語 file+1.txt',
      );
    });
  },
);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { LocalAws } from '../../local-aws/server';
import { profileFromStack } from '../../src/cli/admin';
import { kuraAdmin } from '../helpers/cli';
import { authenticate, cognitoUser, startTestAws } from '../helpers/localAws';
import { tempDir } from '../helpers/kura';

let aws: LocalAws;
let dataDir: string;
beforeAll(async () => {
  aws = await startTestAws();
  dataDir = tempDir('kura-admin-');
});
afterAll(() => aws.stop());

/** `kura admin …` as an administrator. */
const admin = (args: string[], input = '') => kuraAdmin(aws, dataDir, args, input);

describe('kura admin (against local-aws)', () => {
  it('creates a user with a temporary password (read from stdin) who must choose a new one', async () => {
    const r = await admin(
      ['create-user', 'new@example.com', '--temporary-password'],
      'Temp-Pass-123!\n',
    );
    expect(r.stderr).toContain('Created new@example.com (FORCE_CHANGE_PASSWORD)');
    expect((await authenticate(cognitoUser(aws, 'new@example.com'), 'Temp-Pass-123!')).kind).toBe(
      'newPasswordRequired',
    );
  });

  it('invites by email with a generated temporary password', async () => {
    expect((await admin(['create-user', 'invited@example.com', '--invite'])).code).toBe(0);
    const invitation = aws.userPool
      .outbox()
      .find((m) => m.to === 'invited@example.com' && m.kind === 'INVITATION');
    expect(invitation?.code).toBeTruthy();
  });

  it('lists, disables and enables users', async () => {
    const listed = JSON.parse((await admin(['list-users', '--json'])).stdout) as {
      email: string;
      enabled: boolean;
    }[];
    expect(listed.map((u) => u.email)).toEqual(
      expect.arrayContaining(['new@example.com', 'invited@example.com']),
    );
    await admin(['disable-user', 'new@example.com']);
    await expect(
      authenticate(cognitoUser(aws, 'new@example.com'), 'Temp-Pass-123!'),
    ).rejects.toMatchObject({ message: 'User is disabled.' });
    await admin(['enable-user', 'new@example.com']);
    expect((await authenticate(cognitoUser(aws, 'new@example.com'), 'Temp-Pass-123!')).kind).toBe(
      'newPasswordRequired',
    );
  });

  it('resets a password to a new temporary one and signs a user out everywhere', async () => {
    expect(
      (
        await admin(
          ['reset-password', 'new@example.com', '--temporary-password'],
          'Other-Temp-456!\n',
        )
      ).code,
    ).toBe(0);
    expect((await authenticate(cognitoUser(aws, 'new@example.com'), 'Other-Temp-456!')).kind).toBe(
      'newPasswordRequired',
    );
    expect((await admin(['sign-out', 'new@example.com'])).code).toBe(0);
  });

  it('never takes a password on the command line, and never echoes one given there', async () => {
    for (const args of [
      ['create-user', 'cli@example.com', '--temporary-password', 'Leaked-Pass-1!'],
      ['create-user', 'cli@example.com', '--temporary-password=Leaked-Pass-1!'],
      ['reset-password', 'cli@example.com', '--temporary-password', 'Leaked-Pass-1!'],
    ]) {
      const r = await admin(args);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain('Leaked-Pass-1!');
      expect(r.stderr.split('\n')[0]).toMatch(/^kura: .*--temporary-password/);
    }
    expect(aws.userPool.findUser('cli@example.com')).toBeUndefined();
  });

  it('reports an AWS refusal in one line', async () => {
    const r = await admin(['create-user', 'new@example.com']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(
      /^kura: Something unexpected went wrong\. .* \(UsernameExistsException: [^\n]+\)$/,
    );
  });
});

describe('kura admin profile --stack (stubbed CloudFormation)', () => {
  const outputs = [
    { OutputKey: 'Region', OutputValue: 'ap-northeast-1' },
    { OutputKey: 'UserPoolId', OutputValue: 'ap-northeast-1_AbC123' },
    { OutputKey: 'UserPoolClientId', OutputValue: 'abc123def' },
    {
      OutputKey: 'IdentityPoolId',
      OutputValue: 'ap-northeast-1:12345678-1234-4234-a234-123456789012',
    },
    { OutputKey: 'BucketName', OutputValue: 'acme-files' },
    { OutputKey: 'AppName', OutputValue: 'Acme' },
  ];
  const stub = (status: string, outs = outputs) => ({
    asked: [] as string[],
    send(command: DescribeStacksCommand) {
      this.asked.push(command.input.StackName ?? '');
      return Promise.resolve({ Stacks: [{ StackStatus: status, Outputs: outs }] });
    },
  });

  it('writes the profile from a deployed stack', async () => {
    const cfn = stub('UPDATE_COMPLETE');
    const profile = await profileFromStack(cfn, 'kura-prod');
    expect(cfn.asked).toEqual(['kura-prod']);
    expect(profile).toMatchObject({
      name: 'Acme (kura-prod)',
      userPoolId: 'ap-northeast-1_AbC123',
      buckets: ['acme-files'],
    });
  });

  it('refuses a stack that is not deployed or not a Kura stack', async () => {
    await expect(profileFromStack(stub('ROLLBACK_COMPLETE'), 'x')).rejects.toMatchObject({
      code: 'PROFILE_INVALID',
      message:
        'The connection profile is not valid: the stack x (ROLLBACK_COMPLETE) is not deployed',
    });
    await expect(
      profileFromStack(stub('CREATE_COMPLETE', outputs.slice(1)), 'x'),
    ).rejects.toMatchObject({ detail: 'the stack has no Region output (is it a Kura stack?)' });
  });
});

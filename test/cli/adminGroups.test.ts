/**
 * `kura admin create-group / list-groups / add-to-group / remove-from-group` against local-aws
 * (groups scope), judged by the tokens and the folders a member then gets; and `kura admin
 * profile` writing the locations of each access scope from a stack's outputs.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { profileFromStackOutputs } from '../../src/cli/admin';
import { createConfirmedUser, signIn, startTestAws } from '../helpers/localAws';
import { newCore, runKura, tempDir } from '../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';
let aws: LocalAws;
let dataDir: string;

beforeAll(async () => {
  aws = await startTestAws({ bucket, policy: 'groups' });
  dataDir = tempDir('kura-admin-groups-');
  createConfirmedUser(aws, 'gil@example.com', PASSWORD);
  await aws.store.put(bucket, 'finance/budget.txt', Readable.from([Buffer.from('budget')]));
});
afterAll(() => aws.stop());

/** `kura admin …` with the administrator's key in the environment, as the SDK chain reads it. */
const admin = (args: string[]) =>
  runKura(dataDir, ['--profile', aws.profilePath, 'admin', ...args], '', {
    AWS_ACCESS_KEY_ID: aws.admin.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.admin.secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_CA_BUNDLE: undefined,
  });

const groupsOf = async (email: string) =>
  (await signIn(aws, email, PASSWORD)).getIdToken().payload['cognito:groups'] as unknown;

describe('kura admin groups (against local-aws)', () => {
  it('creates a group with its role, adds and removes a member, and lists groups', async () => {
    const role = aws.roles.groupRoleArn('finance');
    const created = await admin([
      'create-group',
      'finance',
      '--role-arn',
      role,
      '--precedence',
      '2',
    ]);
    expect(created.stderr).toBe(`Created the group finance; its members get the role ${role}.\n`);
    expect(created.code).toBe(0);
    expect(JSON.parse((await admin(['list-groups', '--json'])).stdout)).toEqual([
      { name: 'finance', roleArn: role, precedence: 2 },
    ]);
    // local-aws's profile.json now offers the group's folder.
    expect(aws.profile.locations?.map((l) => l.prefix)).toEqual(['${identityId}/', 'finance/']);

    expect((await admin(['add-to-group', 'gil@example.com', 'finance'])).code).toBe(0);
    expect(await groupsOf('gil@example.com')).toEqual(['finance']);
    const { core } = newCore(aws);
    await core.active().session.signIn('gil@example.com', PASSWORD);
    expect((await core.active().storage.listFolder(bucket, 'finance/')).files).toHaveLength(1);

    expect((await admin(['remove-from-group', 'gil@example.com', 'finance'])).code).toBe(0);
    expect(await groupsOf('gil@example.com')).toBeUndefined();
  });

  it('says what is wrong in one line', async () => {
    const missing = await admin(['add-to-group', 'gil@example.com']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe(
      'kura: admin add-to-group needs an EMAIL and a GROUP',
    );
    const unknown = await admin(['add-to-group', 'gil@example.com', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'kura: Something went wrong: ResourceNotFoundException: Group not found.\n',
    );
    const twice = await admin(['create-group', 'finance']);
    expect(twice.stderr).toMatch(/^kura: Something went wrong: GroupExistsException/);
  });
});

describe('kura admin profile: the locations of each scope', () => {
  const base = [
    { OutputKey: 'Region', OutputValue: 'ap-northeast-1' },
    { OutputKey: 'UserPoolId', OutputValue: 'ap-northeast-1_AbC123' },
    { OutputKey: 'UserPoolClientId', OutputValue: 'abc123def' },
    {
      OutputKey: 'IdentityPoolId',
      OutputValue: 'ap-northeast-1:12345678-1234-4234-a234-123456789012',
    },
    { OutputKey: 'BucketName', OutputValue: 'acme-files' },
  ];
  const role = (g: string) => `arn:aws:iam::123456789012:role/kura-GroupRole${g}-ABC`;

  it.each([
    ['WholeBucket', [], [{ bucket: 'acme-files', prefix: '', label: 'acme-files' }]],
    ['OwnPrefix', [], [{ bucket: 'acme-files', prefix: '${identityId}/', label: 'My files' }]],
    [
      'Groups',
      [
        { OutputKey: 'Groupsales', OutputValue: `sales ${role('sales')}` },
        { OutputKey: 'Groupdesignteam', OutputValue: `design-team ${role('designteam')}` },
      ],
      [
        { bucket: 'acme-files', prefix: '${identityId}/', label: 'My files' },
        {
          bucket: 'acme-files',
          prefix: 'design-team/',
          label: 'design-team',
          roleArn: role('designteam'),
        },
        { bucket: 'acme-files', prefix: 'sales/', label: 'sales', roleArn: role('sales') },
      ],
    ],
  ])('%s', (scope, groups, locations) => {
    const outputs = [...base, { OutputKey: 'AccessScope', OutputValue: scope }, ...groups];
    expect(profileFromStackOutputs(outputs, 'Acme').locations).toEqual(locations);
  });

  it('refuses a group output it cannot read', () => {
    expect(() =>
      profileFromStackOutputs(
        [
          ...base,
          { OutputKey: 'AccessScope', OutputValue: 'Groups' },
          { OutputKey: 'Groupx', OutputValue: 'x' },
        ],
        'Acme',
      ),
    ).toThrow('the stack\'s output Groupx is not "<group> <role ARN>"');
  });
});

/**
 * `kura admin create-group / list-groups / add-to-group / remove-from-group` against local-aws
 * (groups scope), judged by the tokens and the folders a member then gets; and `kura admin
 * profile` writing the locations of each access scope from a stack's outputs.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { profileFromStackOutputs } from '../../src/cli/admin';
import type { KuraError } from '../../src/main/services/kuraError';
import { errorMessage } from '../../src/shared/errors';
import { adminCall, createConfirmedUser, signIn, startTestAws } from '../helpers/localAws';
import { kuraAdmin } from '../helpers/cli';
import { newCore, tempDir } from '../helpers/kura';

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

/** `kura admin …` as an administrator. */
const admin = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  kuraAdmin(aws, dataDir, args, '', env);

const groupsOf = async (email: string) =>
  (await signIn(aws, email, PASSWORD)).getIdToken().payload['cognito:groups'] as unknown;

describe('kura admin groups (against local-aws)', () => {
  it('creates a group with its role, adds and removes a member, and lists groups', async () => {
    // The role exists in IAM (made by hand, or by another stack): local-aws is told so.
    const { roleArn: role } = (await adminCall(aws, 'POST', 'group-roles', {
      name: 'finance',
    })) as { roleArn: string };
    const created = await admin([
      'create-group',
      'finance',
      '--role-arn',
      role,
      '--precedence',
      '2',
    ]);
    expect(created.stderr).toBe(
      `Created the group finance; its members get the role ${role}.\n` +
        `kura: Note: ${role} is not one of this profile's group roles. It must also read each member's own folder (\${cognito-identity.amazonaws.com:sub}/*), or a member of this group alone is refused their home; and give users a profile that lists the group's folder.\n`,
    );
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

  it('says what is wrong in one line, in words an administrator can act on', async () => {
    const missing = await admin(['add-to-group', 'gil@example.com']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe(
      'kura: admin add-to-group needs an EMAIL and a GROUP',
    );
    expect(await admin(['add-to-group', 'gil@example.com', 'nope'])).toMatchObject({
      code: 1,
      stderr: 'kura: There is no group named nope. `kura admin list-groups` shows the groups.\n',
    });
    expect((await admin(['create-group', 'audit'])).code).toBe(0);
    expect(await admin(['create-group', 'audit'])).toMatchObject({
      code: 1,
      stderr:
        'kura: A group named audit exists already. `kura admin list-groups` shows the groups.\n',
    });
    expect(await admin(['add-to-group', 'nobody@example.com', 'audit'])).toMatchObject({
      code: 1,
      stderr:
        'kura: There is no user nobody@example.com. `kura admin list-users` shows the users.\n',
    });
    const ja = await admin(['add-to-group', 'gil@example.com', 'nope'], { KURA_LANG: 'ja' });
    expect(ja.stderr).toBe(
      'kura: nope という名前のグループはありません。`kura admin list-groups` でグループを確認できます。\n',
    );
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
    const outputs = [
      ...base,
      { OutputKey: 'AccessScope', OutputValue: 'Groups' },
      { OutputKey: 'Groupx', OutputValue: 'x' },
    ];
    expect(() => profileFromStackOutputs(outputs, 'Acme')).toThrow(
      'The connection profile is not valid: the stack\'s output Groupx is not "<group> <role ARN>"',
    );
    // In the administrator's language too.
    const view = (() => {
      try {
        profileFromStackOutputs(outputs, 'Acme');
      } catch (err) {
        return (err as KuraError).toView();
      }
    })()!;
    expect(errorMessage(view, 'ja')).toBe(
      '接続プロファイルが正しくありません: スタックの出力 Groupx が「<group> <role ARN>」の形ではありません',
    );
  });
});

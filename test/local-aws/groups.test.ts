/**
 * User pool groups and identity pool role mapping (type Token), through the real clients: the
 * administrator calls of the SDK, amazon-cognito-identity-js sign-ins, GetCredentialsForIdentity
 * with and without CustomRoleArn, and S3 reads that show which role the credentials carry.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import {
  adminCall,
  adminIdp,
  createConfirmedUser,
  deleteGroup,
  deleteUser,
  roleCredentials,
  s3Client,
  signIn,
  startTestAws,
} from '../helpers/localAws';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'acme-files';

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: Error) => `${e.name}: ${e.message}`,
  );

let aws: LocalAws;
let design: string;
let sales: string;

beforeAll(async () => {
  aws = await startTestAws({ bucket, policy: 'groups', groups: ['design', 'sales'] });
  design = aws.roles.groupRoleArn('design');
  sales = aws.roles.groupRoleArn('sales');
  for (const key of ['design/spec.txt', 'sales/leads.txt'])
    await aws.store.put(bucket, key, Readable.from([Buffer.from(key)]));
  createConfirmedUser(aws, 'zero@example.com', PASSWORD);
  createConfirmedUser(aws, 'one@example.com', PASSWORD);
  createConfirmedUser(aws, 'two@example.com', PASSWORD);
  aws.userPool.groups.addUser('one@example.com', 'design');
  aws.userPool.groups.addUser('two@example.com', 'design');
  aws.userPool.groups.addUser('two@example.com', 'sales');
});
afterAll(() => aws.stop());

const tokens = async (email: string) => {
  const s = await signIn(aws, email, PASSWORD);
  return { id: s.getIdToken(), access: s.getAccessToken() };
};

/** Which group folders credentials read: the observable role. */
async function readable(c: Awaited<ReturnType<typeof roleCredentials>>) {
  const s3 = s3Client(aws, c);
  const out: string[] = [];
  for (const key of ['design/spec.txt', 'sales/leads.txt']) {
    const r = await errorOf(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
    if (r === 'ok') out.push(key.split('/')[0]!);
  }
  return out;
}

describe('user pool groups (administrator API)', () => {
  it('creates, reads, updates, lists and deletes groups, and manages members', async () => {
    const idp = adminIdp(aws);
    const UserPoolId = aws.profile.userPoolId;
    await idp.send(
      new CreateGroupCommand({ UserPoolId, GroupName: 'temp', Precedence: 3, RoleArn: design }),
    );
    await expect(
      idp.send(new CreateGroupCommand({ UserPoolId, GroupName: 'temp' })),
    ).rejects.toMatchObject({ name: 'GroupExistsException' });
    await idp.send(new UpdateGroupCommand({ UserPoolId, GroupName: 'temp', Precedence: 7 }));
    expect(
      (await idp.send(new GetGroupCommand({ UserPoolId, GroupName: 'temp' }))).Group,
    ).toMatchObject({
      GroupName: 'temp',
      Precedence: 7,
      RoleArn: design,
    });
    const listed = await idp.send(new ListGroupsCommand({ UserPoolId }));
    expect(listed.Groups?.map((g) => g.GroupName)).toEqual(['design', 'sales', 'temp']);

    createConfirmedUser(aws, 'member@example.com', PASSWORD);
    await idp.send(
      new AdminAddUserToGroupCommand({
        UserPoolId,
        Username: 'member@example.com',
        GroupName: 'temp',
      }),
    );
    const forUser = await idp.send(
      new AdminListGroupsForUserCommand({ UserPoolId, Username: 'member@example.com' }),
    );
    expect(forUser.Groups?.map((g) => g.GroupName)).toEqual(['temp']);
    const members = await idp.send(new ListUsersInGroupCommand({ UserPoolId, GroupName: 'temp' }));
    expect(members.Users?.map((u) => u.Attributes?.find((a) => a.Name === 'email')?.Value)).toEqual(
      ['member@example.com'],
    );
    await idp.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId,
        Username: 'member@example.com',
        GroupName: 'temp',
      }),
    );
    expect((await tokens('member@example.com')).id.payload['cognito:groups']).toBeUndefined();
    await idp.send(new DeleteGroupCommand({ UserPoolId, GroupName: 'temp' }));
    await expect(
      idp.send(new GetGroupCommand({ UserPoolId, GroupName: 'temp' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      idp.send(
        new AdminAddUserToGroupCommand({
          UserPoolId,
          Username: 'nobody@example.com',
          GroupName: 'design',
        }),
      ),
    ).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});

describe('token claims', () => {
  it('a user in no group has none of the three claims', async () => {
    const t = await tokens('zero@example.com');
    for (const claim of ['cognito:groups', 'cognito:roles', 'cognito:preferred_role'])
      expect(t.id.payload[claim]).toBeUndefined();
    expect(t.access.payload['cognito:groups']).toBeUndefined();
  });

  it('a user in one group has it, its role, and that role as the preferred one', async () => {
    const t = await tokens('one@example.com');
    expect(t.id.payload['cognito:groups']).toEqual(['design']);
    expect(t.id.payload['cognito:roles']).toEqual([design]);
    expect(t.id.payload['cognito:preferred_role']).toBe(design);
    expect(t.access.payload['cognito:groups']).toEqual(['design']);
  });

  it('a user in two groups of equal precedence has both roles and no preferred role', async () => {
    const t = await tokens('two@example.com');
    expect(t.id.payload['cognito:groups']).toEqual(['design', 'sales']);
    expect(t.id.payload['cognito:roles']).toEqual([design, sales]);
    expect(t.id.payload['cognito:preferred_role']).toBeUndefined();
  });

  it('the lower precedence wins the preferred role; a tie on one role keeps it', async () => {
    const other = await startTestAws({ bucket, policy: 'groups' });
    try {
      const role = (g: string) => other.roles.groupRoleArn(g);
      other.userPool.groups.create('first', { roleArn: role('first'), precedence: 1 });
      other.userPool.groups.create('second', { roleArn: role('second'), precedence: 5 });
      other.userPool.groups.create('twin', { roleArn: role('first'), precedence: 5 });
      other.userPool.groups.create('roleless', { precedence: 0 });
      createConfirmedUser(other, 'p@example.com', PASSWORD);
      for (const g of ['second', 'first', 'roleless'])
        other.userPool.groups.addUser('p@example.com', g);
      const p = (await signIn(other, 'p@example.com', PASSWORD)).getIdToken().payload;
      expect(p['cognito:groups']).toEqual(['roleless', 'first', 'second']);
      expect(p['cognito:roles']).toEqual([role('first'), role('second')]);
      expect(p['cognito:preferred_role']).toBe(role('first'));

      createConfirmedUser(other, 'q@example.com', PASSWORD);
      other.userPool.groups.addUser('q@example.com', 'second');
      other.userPool.groups.addUser('q@example.com', 'twin');
      const q = (await signIn(other, 'q@example.com', PASSWORD)).getIdToken().payload;
      expect(q['cognito:roles']).toEqual([role('second'), role('first')]);
      expect(q['cognito:preferred_role']).toBeUndefined();
    } finally {
      await other.stop();
    }
  });
});

describe('identity pool role mapping (Token)', () => {
  it('gives a user in one group their group role', async () => {
    const c = await roleCredentials(aws, (await tokens('one@example.com')).id.getJwtToken());
    expect(aws.state.data.credentials[c.accessKeyId]?.roleArn).toBe(design);
    expect(await readable(c)).toEqual(['design']);
  });

  it('resolves the ambiguity of no group, or two groups and no preferred role, to the default (own-prefix) role', async () => {
    for (const email of ['zero@example.com', 'two@example.com']) {
      const c = await roleCredentials(aws, (await tokens(email)).id.getJwtToken());
      expect(aws.state.data.credentials[c.accessKeyId]?.roleArn).toBe(aws.roles.defaultRoleArn);
      expect(await readable(c)).toEqual([]);
    }
  });

  it('gives the role asked for with CustomRoleArn when the token carries it', async () => {
    const token = (await tokens('two@example.com')).id.getJwtToken();
    expect(await readable(await roleCredentials(aws, token, design))).toEqual(['design']);
    expect(await readable(await roleCredentials(aws, token, sales))).toEqual(['sales']);
  });

  it("refuses a CustomRoleArn outside the token's roles, the default role included", async () => {
    const one = (await tokens('one@example.com')).id.getJwtToken();
    expect(await errorOf(roleCredentials(aws, one, sales))).toMatch(/^NotAuthorizedException: /);
    expect(await errorOf(roleCredentials(aws, one, aws.roles.defaultRoleArn))).toMatch(
      /^NotAuthorizedException: /,
    );
    const zero = (await tokens('zero@example.com')).id.getJwtToken();
    expect(await errorOf(roleCredentials(aws, zero, design))).toMatch(/^NotAuthorizedException/);
  });

  it('with AmbiguousRoleResolution Deny, refuses the users whose token names no single role', async () => {
    const strict = await startTestAws({
      bucket,
      policy: 'groups',
      groups: ['design', 'sales'],
      ambiguousRoleResolution: 'Deny',
    });
    try {
      createConfirmedUser(strict, 'zero@example.com', PASSWORD);
      createConfirmedUser(strict, 'two@example.com', PASSWORD);
      strict.userPool.groups.addUser('two@example.com', 'design');
      strict.userPool.groups.addUser('two@example.com', 'sales');
      for (const email of ['zero@example.com', 'two@example.com']) {
        const token = (await signIn(strict, email, PASSWORD)).getIdToken().getJwtToken();
        expect(await errorOf(roleCredentials(strict, token))).toBe(
          'NotAuthorizedException: The ambiguous role mapping rules denied this request.',
        );
      }
      // Asking for one of the token's roles is not ambiguous.
      const two = (await signIn(strict, 'two@example.com', PASSWORD)).getIdToken().getJwtToken();
      const c = await roleCredentials(strict, two, strict.roles.groupRoleArn('sales'));
      expect(strict.state.data.credentials[c.accessKeyId]?.roleArn).toBe(
        strict.roles.groupRoleArn('sales'),
      );
    } finally {
      await strict.stop();
    }
  });

  it('refuses a group role IAM does not have, however it is named', async () => {
    // Named like the template's group roles, but never deployed (registered).
    const ghost = aws.roles.groupRoleArn('ghost');
    aws.userPool.groups.create('ghost', { roleArn: ghost });
    createConfirmedUser(aws, 'ghost@example.com', PASSWORD);
    try {
      aws.userPool.groups.addUser('ghost@example.com', 'ghost');
      const token = (await tokens('ghost@example.com')).id.getJwtToken();
      expect(await errorOf(roleCredentials(aws, token))).toMatch(
        /^InvalidIdentityPoolConfigurationException/,
      );
      expect(await errorOf(roleCredentials(aws, token, ghost))).toMatch(
        /^InvalidIdentityPoolConfigurationException/,
      );
      expect(aws.profile.locations?.map((l) => l.prefix)).not.toContain('ghost/');
    } finally {
      await deleteGroup(aws, 'ghost');
      await deleteUser(aws, 'ghost@example.com');
    }
  });

  it('lists every group with a role in the profile.json it writes', () => {
    expect(aws.profile.locations).toEqual([
      { bucket, prefix: '${identityId}/', label: 'My files' },
      { bucket, prefix: 'design/', label: 'design', roleArn: design },
      { bucket, prefix: 'sales/', label: 'sales', roleArn: sales },
    ]);
  });
});

describe("group roles (standing in for the template's deployment)", () => {
  it('exist only once registered, under the names the template allows, and stay registered', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'local-aws-roles-'));
    const first = await startTestAws({ bucket, policy: 'groups', dataDir });
    let roleArn: string;
    try {
      expect(first.roles.exists(first.roles.groupRoleArn('audit'))).toBe(false);
      ({ roleArn } = (await adminCall(first, 'POST', 'group-roles', { name: 'audit' })) as {
        roleArn: string;
      });
      expect(roleArn).toBe(first.roles.groupRoleArn('audit'));
      expect(first.roles.exists(roleArn)).toBe(true);
      for (const name of ['Design', '..', 'a.b', 'x'.repeat(33), ''])
        await expect(adminCall(first, 'POST', 'group-roles', { name })).rejects.toThrow(/400/);
    } finally {
      await first.stop();
    }
    const again = await startTestAws({ bucket, policy: 'groups', dataDir });
    try {
      expect(again.roles.exists(roleArn)).toBe(true);
    } finally {
      await again.stop();
    }
  });

  it('are refused outside the groups policy', async () => {
    const plain = await startTestAws({ bucket, policy: 'own-prefix' });
    try {
      await expect(adminCall(plain, 'POST', 'group-roles', { name: 'audit' })).rejects.toThrow(
        /400/,
      );
    } finally {
      await plain.stop();
    }
  });
});

/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-explicit-any --
   a resolved template is untyped JSON; each test asserts the shape it reads. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadTemplate,
  parseTemplate,
  resolveTemplate,
  TEMPLATE_PATH,
} from '../../infra/cloudformation';
import { instantiatePolicy, type PolicyDocument, type Statement } from '../../local-aws/iam/policy';
import { profileFromStackOutputs } from '../../src/cli/admin';

const policyFile = (name: string) =>
  JSON.parse(readFileSync(join(TEMPLATE_PATH, '..', 'policies', name), 'utf8')) as unknown;
const template = loadTemplate();
const deploy = (params: Record<string, string> = {}) =>
  resolveTemplate(template, { BucketName: 'acme-files', ...params });
const props = (params: Record<string, string>, resource: string) => {
  const r = deploy(params).resources[resource];
  if (!r) throw new Error(`no ${resource}`);
  return r.Properties as Record<string, any>;
};
const list = <T>(v: T | T[]) => (Array.isArray(v) ? v : [v]);
const GROUPS = { AccessScope: 'Groups', GroupNames: 'design,sales' };
const SCOPES: Record<string, string>[] = [
  { AccessScope: 'WholeBucket' },
  { AccessScope: 'OwnPrefix' },
  GROUPS,
];
/** Every role the deployment creates, by logical id. */
const roles = (params: Record<string, string>) =>
  Object.entries(deploy(params).resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');

describe('infra/template.yaml (static)', () => {
  it.each<Record<string, string>>([
    ...SCOPES,
    { CreateBucket: 'false' },
    { BucketVersioning: 'true', Mfa: 'OFF' },
    { ...GROUPS, GroupNames: 'design-team,a,b2' },
  ])('resolves %o with every Ref, Sub, GetAtt and condition known and created', (params) => {
    const d = deploy(params);
    expect(Object.keys(d.resources).length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(d.outputs)).toEqual(
      expect.arrayContaining(['Region', 'UserPoolId', 'UserPoolClientId', 'IdentityPoolId']),
    );
  });

  it('runs the group loop: a role and a group per name, with the logical ids CloudFormation makes', () => {
    const d = deploy({ ...GROUPS, GroupNames: 'design-team,sales' });
    const groups = Object.entries(d.resources).filter(
      ([, r]) => r.Type === 'AWS::Cognito::UserPoolGroup',
    );
    expect(groups.map(([id, r]) => [id, r.Properties])).toEqual([
      [
        'Groupdesignteam',
        {
          UserPoolId: '<UserPool>',
          GroupName: 'design-team',
          Description: 'Members read design-team/ in acme-files',
          RoleArn: '<GroupRoledesignteam.Arn>',
        },
      ],
      [
        'Groupsales',
        {
          UserPoolId: '<UserPool>',
          GroupName: 'sales',
          Description: 'Members read sales/ in acme-files',
          RoleArn: '<GroupRolesales.Arn>',
        },
      ],
    ]);
    expect(roles({ ...GROUPS, GroupNames: 'design-team,sales' }).map(([id]) => id)).toEqual([
      'AuthenticatedRole',
      'GroupRoledesignteam',
      'GroupRolesales',
    ]);
    expect(d.outputs).toMatchObject({
      AccessScope: 'Groups',
      Groupdesignteam: 'design-team <GroupRoledesignteam.Arn>',
      Groupsales: 'sales <GroupRolesales.Arn>',
    });
    // The other scopes create no group, no group role and no group output.
    for (const params of SCOPES.slice(0, 2)) {
      expect(roles(params).map(([id]) => id)).toEqual(['AuthenticatedRole']);
      expect(Object.keys(deploy(params).outputs).filter((k) => k.startsWith('Group'))).toEqual([]);
    }
  });

  it('maps roles from the token only in the Groups scope, the ambiguity resolved to the least-privileged role', () => {
    expect(props(GROUPS, 'RoleAttachment')).toEqual({
      IdentityPoolId: '<IdentityPool>',
      Roles: { authenticated: '<AuthenticatedRole.Arn>' },
      RoleMappings: {
        UserPool: {
          IdentityProvider: '<UserPool.ProviderName>:<AppClient>',
          Type: 'Token',
          AmbiguousRoleResolution: 'AuthenticatedRole',
        },
      },
    });
    // …and that default role is the own-prefix one: nothing beyond the user's own folder.
    expect(props(GROUPS, 'AuthenticatedRole').Policies[0].PolicyDocument).toEqual(
      instantiatePolicy(policyFile('read-own-prefix.json'), { BucketName: 'acme-files' }),
    );
    for (const params of SCOPES.slice(0, 2))
      expect(props(params, 'RoleAttachment').RoleMappings).toBeUndefined();
  });

  it('refuses the Groups scope without group names, and names CloudFormation would refuse', () => {
    expect(() => deploy({ AccessScope: 'Groups' })).toThrow(
      'rule GroupsNeedNames: AccessScope Groups needs GroupNames',
    );
    expect(() => deploy({ ...GROUPS, GroupNames: 'design,,sales' })).toThrow('GroupsNeedNames');
    for (const bad of ['Design', 'a_b', '-x', 'x-', 'a'.repeat(33), 'a b'])
      expect(() => deploy({ ...GROUPS, GroupNames: bad }), bad).toThrow(/GroupNames/);
  });

  it('keeps the user pool: deletion protection on, retained on delete and on replacement, Lite tier, no email schema entry', () => {
    const pool = deploy().resources.UserPool!;
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.UpdateReplacePolicy).toBe('Retain');
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    expect(pool.Properties.UserPoolTier).toBe('LITE');
    expect(pool.Properties.Schema).toBeUndefined();
    expect(pool.Properties.UsernameAttributes).toEqual(['email']);
  });

  it('refuses the bucket names S3 refuses, and takes the ones it accepts', () => {
    for (const bad of [
      'a..b',
      '192.168.5.4',
      'xn--bucket',
      'sthree-files',
      'sthree-configurator-x',
      'amzn-s3-demo-bucket',
      'files-s3alias',
      'files--ol-s3',
      'files--x-s3',
      'files--table-s3',
      'files.mrap',
      'Files',
      'ab',
      'a'.repeat(64),
      '-files',
      'files-',
      'files_2',
    ])
      expect(() => deploy({ BucketName: bad }), bad).toThrow(/parameter BucketName/);
    for (const good of [
      'abc',
      'acme-files',
      'acme.files.2026',
      '1.2.3.4.5',
      'a'.repeat(63),
      'xn-files',
    ])
      expect(() => deploy({ BucketName: good }), good).not.toThrow();
  });

  it('has an app client with no secret, exactly SRP + refresh, revocation on and short token lifetimes', () => {
    const c = props({}, 'AppClient');
    expect(c.GenerateSecret).toBe(false);
    expect([...c.ExplicitAuthFlows].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    expect(c.EnableTokenRevocation).toBe(true);
    expect(c.PreventUserExistenceErrors).toBe('ENABLED');
    expect(c.TokenValidityUnits).toEqual({
      AccessToken: 'minutes',
      IdToken: 'minutes',
      RefreshToken: 'days',
    });
    expect(c.AccessTokenValidity).toBeLessThanOrEqual(60);
    expect(c.IdTokenValidity).toBeLessThanOrEqual(60);
    expect(c.RefreshTokenValidity).toBe('30');
  });

  it('has an identity pool with classic flow and guests off and the server-side token check on', () => {
    const p = props({}, 'IdentityPool');
    expect(p.AllowClassicFlow).toBe(false);
    expect(p.AllowUnauthenticatedIdentities).toBe(false);
    expect(p.CognitoIdentityProviders).toEqual([
      {
        ClientId: '<AppClient>',
        ProviderName: '<UserPool.ProviderName>',
        ServerSideTokenCheck: true,
      },
    ]);
  });

  it('lets only administrators create users, by email, with the password policy', () => {
    const u = props({}, 'UserPool');
    expect(u.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(u.UsernameAttributes).toEqual(['email']);
    expect(u.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 8,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
    expect(u.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(props({ Mfa: 'OFF' }, 'UserPool').EnabledMfas).toBeUndefined();
  });

  it("trusts only this identity pool's authenticated identities (aud and amr)", () => {
    const trust = props({}, 'AuthenticatedRole').AssumeRolePolicyDocument as PolicyDocument;
    const s = list(trust.Statement)[0]!;
    expect(s.Condition).toEqual({
      StringEquals: { 'cognito-identity.amazonaws.com:aud': '<IdentityPool>' },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    });
    expect(trust).toEqual(
      instantiatePolicy(policyFile('trust-authenticated.json'), {
        IdentityPoolId: '<IdentityPool>',
      }),
    );
  });

  it.each([
    ['WholeBucket', 'read-whole-bucket.json'],
    ['OwnPrefix', 'read-own-prefix.json'],
    ['Groups', 'read-own-prefix.json'],
  ])('%s deploys exactly the default-role policy local-aws enforces (%s)', (scope, file) => {
    const role = props(scope === 'Groups' ? GROUPS : { AccessScope: scope }, 'AuthenticatedRole');
    expect(role.Policies[0].PolicyDocument).toEqual(
      instantiatePolicy(policyFile(file), { BucketName: 'acme-files' }),
    );
  });

  it("deploys each group's role with exactly read-group-prefix.json and the same trust policy", () => {
    for (const group of ['design', 'sales']) {
      const role = props(GROUPS, `GroupRole${group}`);
      expect(role.Policies).toEqual([
        {
          PolicyName: `Kura-read-${group}`,
          PolicyDocument: instantiatePolicy(policyFile('read-group-prefix.json'), {
            BucketName: 'acme-files',
            GroupName: group,
          }),
        },
      ]);
      expect(role.AssumeRolePolicyDocument).toEqual(
        instantiatePolicy(policyFile('trust-authenticated.json'), {
          IdentityPoolId: '<IdentityPool>',
        }),
      );
    }
  });

  it('grants no S3 action on *, no wildcard read and nothing on cognito-identity, in any role of any scope', () => {
    for (const params of SCOPES) {
      for (const [, role] of roles(params)) {
        const doc = (role.Properties as Record<string, any>).Policies[0]
          .PolicyDocument as PolicyDocument;
        for (const s of list<Statement>(doc.Statement)) {
          const actions = list(s.Action ?? []);
          for (const a of actions) {
            expect(a).not.toMatch(/^cognito-identity:/);
            expect(a).not.toMatch(/\*/);
          }
          for (const r of list(s.Resource ?? [])) expect(['*', 'arn:aws:s3:::*']).not.toContain(r);
          expect(s.NotAction).toBeUndefined();
          expect(s.NotResource).toBeUndefined();
        }
      }
    }
  });

  it('creates a private, TLS-only bucket when asked, and none for an existing one', () => {
    const b = props({}, 'Bucket');
    expect(b.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(b.VersioningConfiguration).toBeUndefined();
    expect(props({ BucketVersioning: 'true' }, 'Bucket').VersioningConfiguration).toEqual({
      Status: 'Enabled',
    });
    const tls = props({}, 'BucketTlsOnly').PolicyDocument.Statement[0];
    expect(tls).toMatchObject({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const existing = deploy({ CreateBucket: 'false' });
    expect(existing.resources.Bucket).toBeUndefined();
    expect(existing.resources.BucketTlsOnly).toBeUndefined();
  });

  it.each([
    [{ AccessScope: 'WholeBucket' }, [{ bucket: 'acme-files', prefix: '', label: 'acme-files' }]],
    [
      { AccessScope: 'OwnPrefix' },
      [{ bucket: 'acme-files', prefix: '${identityId}/', label: 'My files' }],
    ],
    [
      GROUPS,
      [
        { bucket: 'acme-files', prefix: '${identityId}/', label: 'My files' },
        {
          bucket: 'acme-files',
          prefix: 'design/',
          label: 'design',
          roleArn: 'arn:aws:iam::123456789012:role/kura-GroupRoledesign-X1',
        },
        {
          bucket: 'acme-files',
          prefix: 'sales/',
          label: 'sales',
          roleArn: 'arn:aws:iam::123456789012:role/kura-GroupRolesales-X1',
        },
      ],
    ],
  ])('outputs what a connection profile needs, locations included (%o)', (params, locations) => {
    // What CloudFormation would put in place of the attributes and Refs.
    const real = (v: unknown) =>
      String(v)
        .replace(/<(GroupRole\w+)\.Arn>/g, 'arn:aws:iam::123456789012:role/kura-$1-X1')
        .replace('<UserPool>', 'ap-northeast-1_AbC123')
        .replace('<AppClient>', 'abc123')
        .replace('<IdentityPool>', 'ap-northeast-1:12345678-1234-4234-a234-123456789012');
    const outputs = Object.entries(deploy(params).outputs).map(([OutputKey, v]) => ({
      OutputKey,
      OutputValue: real(v),
    }));
    expect(profileFromStackOutputs(outputs, 'Acme')).toEqual({
      version: 1,
      name: 'Acme',
      region: 'ap-northeast-1',
      userPoolId: 'ap-northeast-1_AbC123',
      userPoolClientId: 'abc123',
      identityPoolId: 'ap-northeast-1:12345678-1234-4234-a234-123456789012',
      buckets: ['acme-files'],
      locations,
      updates: 's3://acme-files/kura-releases/',
    });
  });
});

describe('infra/cloudformation.ts refuses what CloudFormation would refuse', () => {
  const small = (resources: string, outputs = '  Out:\n    Value: x') =>
    parseTemplate(`Parameters:
  Make:
    Type: String
    Default: 'false'
Conditions:
  Made: !Equals [!Ref Make, 'true']
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties: {}
  Optional:
    Type: AWS::IAM::Role
    Condition: Made
    Properties: {}
${resources}
Outputs:
${outputs}
`);
  const resolved = (resources: string, outputs?: string) => () =>
    resolveTemplate(small(resources, outputs), {});

  it('an unknown name in Fn::Sub', () => {
    expect(
      resolved(
        `  User:\n    Type: AWS::IAM::Role\n    Properties:\n      Description: !Sub 'of \${Nobody}'`,
      ),
    ).toThrow('Fn::Sub ${Nobody} names Nobody, which is neither a parameter nor a resource');
    expect(
      resolved(
        `  User:\n    Type: AWS::IAM::Role\n    Properties:\n      Description: !Sub 'of \${!Nobody} \${Make}'`,
      ),
    ).not.toThrow();
  });

  it('an attribute the resource type does not have, in Fn::GetAtt or Fn::Sub', () => {
    expect(resolved('', '  Out:\n    Value: !GetAtt Role.Name')).toThrow(
      'Fn::GetAtt Role.Name: AWS::IAM::Role has no attribute Name',
    );
    expect(resolved('', '  Out:\n    Value: !Sub "${Role.Id}"')).toThrow(
      'AWS::IAM::Role has no attribute Id',
    );
    expect(resolved('', '  Out:\n    Value: !GetAtt Role.Arn')).not.toThrow();
  });

  it('a Ref to a resource whose condition is false (but not from inside that condition)', () => {
    expect(resolved('', '  Out:\n    Value: !Ref Optional')).toThrow(
      'Ref Optional names Optional, whose condition Made is false',
    );
    expect(resolved('', '  Out:\n    Value: !If [Made, !Ref Optional, none]')).not.toThrow();
    expect(
      resolved('', '  Out:\n    Condition: Made\n    Value: !GetAtt Optional.Arn'),
    ).not.toThrow();
    expect(resolved('', '  Out:\n    Value: !Ref Ghost')).toThrow('Ref Ghost names Ghost');
  });
});

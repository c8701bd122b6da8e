/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-explicit-any --
   a resolved template is untyped JSON; each test asserts the shape it reads. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate, resolveTemplate, TEMPLATE_PATH } from '../../infra/cloudformation';
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

describe('infra/template.yaml (static)', () => {
  it('parses with the CloudFormation tags, and every Ref, GetAtt and condition exists', () => {
    const names = new Set([
      ...Object.keys(template.Parameters),
      ...Object.keys(template.Resources),
      'AWS::Region',
      'AWS::Partition',
      'AWS::NoValue',
      'AWS::AccountId',
    ]);
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        if (k === 'Ref') expect(names.has(v as string), `Ref ${String(v)}`).toBe(true);
        if (k === 'Fn::GetAtt')
          expect(template.Resources[(v as string[])[0]!], `GetAtt ${String(v)}`).toBeDefined();
        // `Condition` names a template condition only when it is a string (IAM uses it for blocks).
        if (k === 'Fn::If' || (k === 'Condition' && typeof v === 'string')) {
          expect(
            template.Conditions[list(v)[0] as string],
            `condition ${String(list(v)[0])}`,
          ).toBeDefined();
        }
        walk(v);
      }
    };
    walk(template.Resources);
    walk(template.Outputs);
    walk(template.Conditions);
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
  ])('%s deploys exactly the policy local-aws enforces (%s)', (scope, file) => {
    const role = props({ AccessScope: scope }, 'AuthenticatedRole');
    expect(role.Policies[0].PolicyDocument).toEqual(
      instantiatePolicy(policyFile(file), { BucketName: 'acme-files' }),
    );
  });

  it('grants no S3 action on *, no wildcard read and nothing on cognito-identity', () => {
    for (const scope of ['WholeBucket', 'OwnPrefix']) {
      const doc = props({ AccessScope: scope }, 'AuthenticatedRole').Policies[0]
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

  it('outputs what a connection profile needs', () => {
    const outputs = {
      ...deploy().outputs,
      UserPoolId: 'ap-northeast-1_AbC123',
      UserPoolClientId: 'abc123',
      IdentityPoolId: 'ap-northeast-1:12345678-1234-4234-a234-123456789012',
    };
    const profile = profileFromStackOutputs(
      Object.entries(outputs).map(([OutputKey, v]) => ({ OutputKey, OutputValue: String(v) })),
      'Acme',
    );
    expect(profile).toEqual({
      version: 1,
      name: 'Acme',
      region: 'ap-northeast-1',
      userPoolId: 'ap-northeast-1_AbC123',
      userPoolClientId: 'abc123',
      identityPoolId: 'ap-northeast-1:12345678-1234-4234-a234-123456789012',
      buckets: ['acme-files'],
      updates: 's3://acme-files/kura-releases/',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { evaluate, instantiatePolicy, type PolicyDocument } from '../../local-aws/iam/policy';

const doc = (...Statement: PolicyDocument['Statement'][]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: Statement.flat(),
});

describe('IAM policy evaluation', () => {
  const perUser = doc(
    {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::b',
      Condition: { StringLike: { 's3:prefix': ['${cognito-identity.amazonaws.com:sub}/*'] } },
    },
    {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/${cognito-identity.amazonaws.com:sub}/*',
    },
  );
  const me = { 'cognito-identity.amazonaws.com:sub': 'ap-northeast-1:abc' };

  it('substitutes policy variables in resources', () => {
    expect(
      evaluate([perUser], {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/ap-northeast-1:abc/f.txt',
        keys: me,
      }),
    ).toBe('Allow');
    expect(
      evaluate([perUser], {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/ap-northeast-1:xyz/f.txt',
        keys: me,
      }),
    ).toBe('ImplicitDeny');
  });

  it('does not let a variable value act as a wildcard', () => {
    const star = { 'cognito-identity.amazonaws.com:sub': '*' };
    expect(
      evaluate([perUser], {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/anyone/f.txt',
        keys: star,
      }),
    ).toBe('ImplicitDeny');
  });

  it('applies conditions: a missing key fails StringLike', () => {
    const list = (prefix?: string) =>
      evaluate([perUser], {
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::b',
        keys: { ...me, 's3:prefix': prefix },
      });
    expect(list('ap-northeast-1:abc/docs/')).toBe('Allow');
    expect(list('ap-northeast-1:xyz/')).toBe('ImplicitDeny');
    expect(list(undefined)).toBe('ImplicitDeny');
  });

  it('lets an explicit Deny win over an Allow', () => {
    const policies = [
      doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
      doc({
        Effect: 'Deny',
        Action: 's3:*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ];
    expect(
      evaluate(policies, {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        keys: { 'aws:SecureTransport': 'false' },
      }),
    ).toBe('ExplicitDeny');
    expect(
      evaluate(policies, {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        keys: { 'aws:SecureTransport': 'true' },
      }),
    ).toBe('Allow');
  });

  it('matches actions case-insensitively and resources case-sensitively', () => {
    const p = doc({ Effect: 'Allow', Action: 'S3:getobject', Resource: 'arn:aws:s3:::b/Docs/*' });
    expect(
      evaluate([p], { action: 's3:GetObject', resource: 'arn:aws:s3:::b/Docs/x', keys: {} }),
    ).toBe('Allow');
    expect(
      evaluate([p], { action: 's3:GetObject', resource: 'arn:aws:s3:::b/docs/x', keys: {} }),
    ).toBe('ImplicitDeny');
  });

  it('handles NotAction, ForAnyValue and StringNotEquals', () => {
    const p = doc(
      { Effect: 'Allow', NotAction: 's3:Delete*', Resource: '*' },
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: {
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
        },
      },
    );
    expect(evaluate([p], { action: 's3:DeleteObject', resource: 'x', keys: {} })).toBe(
      'ImplicitDeny',
    );
    expect(
      evaluate([p], {
        action: 's3:GetObject',
        resource: 'x',
        keys: { 'cognito-identity.amazonaws.com:amr': ['authenticated'] },
      }),
    ).toBe('Allow');
    expect(
      evaluate([p], {
        action: 's3:GetObject',
        resource: 'x',
        keys: { 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] },
      }),
    ).toBe('ExplicitDeny');
    const ne = doc({
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:username': 'eve' } },
    });
    expect(evaluate([ne], { action: 'a:b', resource: 'x', keys: { 'aws:username': 'eve' } })).toBe(
      'ImplicitDeny',
    );
    expect(evaluate([ne], { action: 'a:b', resource: 'x', keys: {} })).toBe('Allow');
  });

  it('never grants through an unknown condition operator', () => {
    const p = doc({
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: { MadeUpOperator: { k: 'v' } },
    });
    expect(evaluate([p], { action: 's3:GetObject', resource: 'x', keys: { k: 'v' } })).toBe(
      'ImplicitDeny',
    );
  });

  it('fills {{template}} parameters and refuses a missing one', () => {
    const t = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::{{BucketName}}/*' },
      ],
    };
    expect(JSON.stringify(instantiatePolicy(t, { BucketName: 'b' }))).toContain('arn:aws:s3:::b/*');
    expect(() => instantiatePolicy(t, {})).toThrow(/BucketName/);
  });
});

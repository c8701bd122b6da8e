import { describe, expect, it } from 'vitest';
import { errorMessage, problemLines } from '../../../src/shared/errors';
import { KuraError } from '../../../src/main/services/kuraError';
import { parseProfile, ProfileStore } from '../../../src/main/services/profile';
import { tempDir } from '../../helpers/kura';

const good = {
  version: 1,
  name: 'Acme files',
  region: 'ap-northeast-1',
  userPoolId: 'ap-northeast-1_AbCdEf123',
  userPoolClientId: 'abcdefghijklmnopqrstuvwxyz',
  identityPoolId: 'ap-northeast-1:12345678-1234-4234-a234-123456789012',
  buckets: ['acme-files'],
};

const problem = (p: unknown) => {
  try {
    parseProfile(typeof p === 'string' ? p : JSON.stringify(p));
  } catch (err) {
    return (err as KuraError).toView();
  }
  throw new Error('expected PROFILE_INVALID');
};

describe('connection profile', () => {
  it('accepts a good profile', () => {
    expect(parseProfile(JSON.stringify(good)).name).toBe('Acme files');
  });

  it('names every wrong field', () => {
    const view = problem({
      ...good,
      region: 'tokyo',
      userPoolClientId: 'UPPER',
      buckets: ['Bad_Bucket'],
      extra: 1,
    });
    expect(view.code).toBe('PROFILE_INVALID');
    expect(view.detail).toContain('region must be an AWS region');
    expect(view.detail).toContain('userPoolClientId must be the app client id');
    expect(view.detail).toContain('buckets.0 must be S3 bucket names');
    expect(view.detail).toContain('unknown field(s) extra');
  });

  it('accepts locations: a bucket, a home with ${identityId}, a group folder with its role', () => {
    const locations = [
      { bucket: 'acme-files', prefix: '', label: 'Everything' },
      { bucket: 'acme-files', prefix: '${identityId}/', label: 'My files' },
      {
        bucket: 'acme-files',
        prefix: 'design/drafts/',
        label: 'Design',
        roleArn: 'arn:aws:iam::123456789012:role/kura-GroupRoledesign-1A2B3C',
      },
    ];
    expect(parseProfile(JSON.stringify({ ...good, locations })).locations).toEqual(locations);
  });

  it('explains each wrong location field', () => {
    const view = problem({
      ...good,
      locations: [
        { bucket: 'acme-files', prefix: 'docs', label: 'Docs' },
        { bucket: 'acme-files', prefix: '/abs/', label: 'Abs' },
        { bucket: 'acme-files', prefix: '${sub}/', label: 'Sub' },
        { bucket: 'acme-files', prefix: 'a//b/', label: 'Gap' },
        { bucket: 'Acme', label: ' ' },
        { bucket: 'acme-files', prefix: 'r/', label: 'Role', roleArn: 'design-role' },
        { bucket: 'acme-files', prefix: '', label: 'Again' },
        { bucket: 'acme-files', label: 'Twice' },
        { bucket: 'acme-files', prefix: 'x/', label: 'Extra', kind: 'home' },
        { bucket: 'acme-files', prefix: 'y/', label: 'Two\nlines' },
      ],
    });
    expect(view.detail).toContain(
      "locations.0.prefix must be a folder: end it with '/' (or '' for the bucket)",
    );
    expect(view.detail).toContain("locations.1.prefix must not start with '/'");
    expect(view.detail).toContain(
      'locations.2.prefix may use only the variable ${identityId}, not ${sub}',
    );
    expect(view.detail).toContain(
      "locations.3.prefix must not contain an empty folder name ('//')",
    );
    expect(view.detail).toContain(
      'locations.4.bucket must be an S3 bucket name such as acme-files',
    );
    expect(view.detail).toContain('locations.4.label must not be empty');
    expect(view.detail).toContain('locations.5.roleArn must be an IAM role ARN');
    expect(view.detail).toContain('locations.7 repeats locations.6 (s3://acme-files/)');
    expect(view.detail).toContain('unknown field(s) kind');
    expect(view.detail).toContain(
      'locations.9.label must not contain control or formatting characters',
    );
  });

  it.each([
    ['home/../', "must not contain a '.' or '..' folder name"],
    ['./', "must not contain a '.' or '..' folder name"],
    ['a/./b/', "must not contain a '.' or '..' folder name"],
    ['..', "must be a folder: end it with '/' (or '' for the bucket)"],
    ['x${identityId}y/', 'may use ${identityId} only as a whole folder name'],
    ['home-${identityId}/', 'may use ${identityId} only as a whole folder name'],
    ['a/\u009b/', 'must not contain control or bidirectional formatting characters'],
    ['a\u202e/', 'must not contain control or bidirectional formatting characters'],
  ])('refuses the prefix %j', (prefix, message) => {
    const view = problem({
      ...good,
      locations: [{ bucket: 'acme-files', prefix, label: 'Folder' }],
    });
    expect(view.detail).toBe(`locations.0.prefix ${message}`);
  });

  it.each([
    ['a right-to-left override', 'Invoices\u202etxt.exe'],
    ['a bidirectional isolate', '\u2066Design\u2069'],
    ['a C1 control (CSI)', 'Design\u009b2J'],
    ['a zero-width space', 'De\u200bsign'],
    ['a line separator', 'Two\u2028lines'],
  ])('refuses a label with %s', (_, label) => {
    const view = problem({ ...good, locations: [{ bucket: 'acme-files', label }] });
    expect(view.detail).toBe('locations.0.label must not contain control or formatting characters');
  });

  it('accepts labels and prefixes in any script, emoji sequences included', () => {
    const locations = [
      { bucket: 'acme-files', prefix: 'デザイン/${identityId}/', label: 'デザイン部 👩‍💻' },
      { bucket: 'acme-files', prefix: '${identityId}/共有/', label: 'مشترك' },
    ];
    expect(parseProfile(JSON.stringify({ ...good, locations })).locations).toEqual(locations);
  });

  it('refuses pool ids from another region and text that is not JSON', () => {
    expect(problem({ ...good, userPoolId: 'us-east-1_AbCdEf123' }).detail).toContain(
      "userPoolId must be in the profile's region",
    );
    expect(problem('{not json').detail).toMatch(/^not JSON/);
  });

  it('explains the problem in English and Japanese, never mixing them', () => {
    const view = problem({ ...good, version: 2 });
    expect(errorMessage(view, 'en')).toBe('The connection profile is not valid: version must be 1');
    expect(errorMessage(view, 'ja')).toBe(
      '接続プロファイルが正しくありません: version: 1 を指定してください',
    );
    // Every problem a profile can have reads in Japanese without an English phrase.
    const worst = problem({
      ...good,
      name: '',
      region: 'tokyo',
      userPoolId: 'us-east-1_AbCdEf123',
      userPoolClientId: 'UPPER',
      identityPoolId: 7,
      buckets: ['Bad_Bucket'],
      endpoints: { s3: 'ftp://x' },
      extra: 1,
    });
    const { identityPoolId: _, ...missing } = good;
    for (const view of [worst, problem(missing), problem('{not json')]) {
      // Field names, the AWS terms and the examples stay as written; no English word is left.
      let ja = errorMessage(view, 'ja');
      for (const p of view.problems ?? []) ja = ja.replaceAll(p.field ?? '', '');
      ja = ja.replace(/ap-northeast-1\S*|AWS|ID|S3|JSON|URL|http\(s\)/g, '');
      expect(ja).not.toMatch(/[A-Za-z]{2,}/);
    }
    expect(problemLines(worst, 'en')).toEqual([
      'name must not be empty',
      'region must be an AWS region such as ap-northeast-1',
      'userPoolClientId must be the app client id (lowercase letters and digits)',
      'identityPoolId holds the wrong kind of value',
      'buckets.0 must be S3 bucket names',
      'endpoints.s3 must be an http(s) URL',
      'unknown field extra',
    ]);
    expect(problemLines(problem(missing), 'ja')).toEqual(['identityPoolId がありません']);
  });

  it('remembers several profiles with one active', () => {
    const store = new ProfileStore(tempDir());
    const a = store.add(parseProfile(JSON.stringify(good)));
    const b = store.add(
      parseProfile(
        JSON.stringify({ ...good, name: 'Other', userPoolId: 'ap-northeast-1_Other1234' }),
      ),
    );
    expect(store.active()?.id).toBe(b);
    store.activate(a);
    expect(store.list()).toEqual([
      { id: a, name: 'Acme files', active: true },
      { id: b, name: 'Other', active: false },
    ]);
    // Importing the same pool and client again replaces it instead of duplicating it.
    store.add(parseProfile(JSON.stringify({ ...good, name: 'Acme (new)' })));
    expect(store.list().map((p) => p.name)).toEqual(['Other', 'Acme (new)']);
  });
});

describe('a profile is the deployment it connects to (security review #1)', () => {
  const endpoints = (host: string) => ({
    cognitoIdp: `https://${host}/`,
    cognitoIdentity: `https://${host}`,
    s3: `https://${host}`,
  });

  it('keeps its id (the keychain account) for the same pools and endpoints, whatever the name', () => {
    const store = new ProfileStore(tempDir());
    const a = store.add(
      parseProfile(JSON.stringify({ ...good, endpoints: endpoints('idp.example') })),
    );
    // A trailing slash is the same endpoint; a new name and bucket list are the same deployment.
    const again = store.add(
      parseProfile(
        JSON.stringify({
          ...good,
          name: 'Renamed',
          buckets: ['other-bucket'],
          endpoints: { ...endpoints('idp.example'), cognitoIdp: 'https://idp.example' },
        }),
      ),
    );
    expect(again).toBe(a);
    expect(store.list()).toEqual([
      { id: a, name: 'Renamed', active: true, endpoint: 'idp.example' },
    ]);
  });

  it.each([
    ['the user pool endpoint', { endpoints: endpoints('attacker.example') }],
    [
      'the identity pool',
      { identityPoolId: 'ap-northeast-1:99999999-1234-4234-a234-123456789012' },
    ],
    ['the S3 endpoint only', { endpoints: { s3: 'https://s3.attacker.example' } }],
  ])('makes a new profile when %s changes, leaving the first as it was', (_what, change) => {
    const store = new ProfileStore(tempDir());
    const a = store.add(parseProfile(JSON.stringify(good)));
    const b = store.add(parseProfile(JSON.stringify({ ...good, ...change })));
    expect(b).not.toBe(a);
    expect(store.list().map((p) => p.id)).toEqual([a, b]);
    expect(store.active()?.id).toBe(b);
  });

  it('accepts plain http only for loopback endpoints', () => {
    for (const host of ['127.0.0.1:9000', 'localhost:9000', '[::1]:9000', '127.1.2.3'])
      expect(
        parseProfile(JSON.stringify({ ...good, endpoints: { cognitoIdp: `http://${host}` } }))
          .endpoints?.cognitoIdp,
      ).toBe(`http://${host}`);
    for (const host of [
      'idp.example',
      '10.0.0.5',
      'localhost.attacker.example',
      '127.0.0.1.nip.io',
    ])
      expect(problem({ ...good, endpoints: { cognitoIdp: `http://${host}` } }).detail).toContain(
        'endpoints.cognitoIdp must be https:// (plain http:// only for 127.0.0.1',
      );
    // Said once, in words of its own in each language (not "must be an http(s) URL").
    const insecure = problem({ ...good, endpoints: { s3: 'http://s3.example' } });
    expect(problemLines(insecure, 'en')).toEqual([
      'endpoints.s3 must be https:// (plain http:// only for 127.0.0.1, localhost or [::1])',
    ]);
    expect(problemLines(insecure, 'ja')).toEqual([
      'endpoints.s3 は https:// にしてください（http:// は 127.0.0.1、localhost、[::1] のときだけ使えます）',
    ]);
  });
});

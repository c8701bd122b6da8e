import { describe, expect, it } from 'vitest';
import { errorMessage, problemLines } from '../../src/shared/errors';
import { KuraError } from '../../src/main/services/kuraError';
import { parseProfile, ProfileStore } from '../../src/main/services/profile';
import { tempDir } from '../helpers/kura';

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

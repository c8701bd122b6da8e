import { describe, expect, it } from 'vitest';
import { parseProfile, parseS3Folder } from '../../../../src/main/services/profile';
import { releaseFileName } from '../../../../src/main/services/updates/s3FeedProvider';
import { updateErrorView } from '../../../../src/main/services/updates/updateService';

describe("the profile's release folder", () => {
  it('is an s3:// folder', () => {
    expect(parseS3Folder('s3://acme-files/kura-releases/')).toEqual({
      bucket: 'acme-files',
      prefix: 'kura-releases/',
    });
    expect(parseS3Folder('s3://acme-files/apps/kura/stable/')?.prefix).toBe('apps/kura/stable/');
  });

  it.each([
    's3://acme-files/kura-releases',
    's3://acme-files/',
    's3://Acme_Files/kura/',
    'https://acme-files.s3.amazonaws.com/kura/',
    's3://acme-files/../kura/',
    's3://acme-files/a//b/',
    's3://acme-files/a/./b/',
    's3://acme-files/a\\b/',
    's3://acme-files/a\u0000b/',
  ])('refuses %s', (url) => {
    expect(parseS3Folder(url)).toBeNull();
  });

  it('is an optional profile field, checked like the others', () => {
    const base = {
      version: 1,
      name: 'Acme',
      region: 'ap-northeast-1',
      userPoolId: 'ap-northeast-1_AbC123',
      userPoolClientId: 'abc123',
      identityPoolId: 'ap-northeast-1:12345678-1234-4234-a234-123456789012',
    };
    expect(parseProfile(JSON.stringify(base)).updates).toBeUndefined();
    expect(
      parseProfile(JSON.stringify({ ...base, updates: 's3://acme-files/kura-releases/' })).updates,
    ).toBe('s3://acme-files/kura-releases/');
    expect(() =>
      parseProfile(JSON.stringify({ ...base, updates: 'https://example.com/kura/' })),
    ).toThrow(/updates must be an S3 folder/);
  });
});

describe('file names in an update feed', () => {
  it('are plain file names of the release folder', () => {
    expect(releaseFileName('Kura-Setup-1.2.3.exe')).toBe('Kura-Setup-1.2.3.exe');
    expect(releaseFileName('Kura-1.2.3-arm64-mac.zip')).toBe('Kura-1.2.3-arm64-mac.zip');
  });

  it.each([
    '../secrets.txt',
    'a/../../b.exe',
    'sub/Kura.exe',
    'https://evil.example/Kura.exe',
    '/etc/passwd',
    'C:\\Windows\\x.exe',
    '..',
    'Kura.exe.',
    '',
  ])('refuse %s', (name) => {
    expect(() => releaseFileName(name)).toThrow(/will not fetch/);
  });
});

describe('update failures as the UI words them', () => {
  it('tells a refused hash, a missing release, a refused read and no network apart', () => {
    expect(
      updateErrorView(
        Object.assign(new Error('sha512 checksum mismatch, expected a, got b'), {
          code: 'ERR_CHECKSUM_MISMATCH',
        }),
      ),
    ).toEqual({ code: 'INTEGRITY' });
    expect(
      updateErrorView(
        Object.assign(new Error('Cannot find channel "latest-linux.yml" update info: 404'), {
          code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND',
        }),
      ),
    ).toEqual({ code: 'UPDATE_NOT_PUBLISHED', detail: 'latest-linux.yml' });
    expect(updateErrorView(Object.assign(new Error('403 Forbidden'), { statusCode: 403 }))).toEqual(
      { code: 'ACCESS_DENIED' },
    );
    expect(
      updateErrorView(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toEqual({ code: 'NETWORK' });
    expect(updateErrorView(new Error('net::ERR_INTERNET_DISCONNECTED'))).toEqual({
      code: 'NETWORK',
    });
  });
});

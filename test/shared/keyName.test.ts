import { describe, expect, it } from 'vitest';
import { keyName } from '../../src/shared/keyName';

describe('keyName', () => {
  it("is an object key's last segment", () => {
    expect(keyName('a/b/report.pdf')).toBe('report.pdf');
    expect(keyName('report.pdf')).toBe('report.pdf');
    expect(keyName('日本語/資料 (1).xlsx')).toBe('資料 (1).xlsx');
  });

  it("is a prefix's folder name, trailing slashes ignored", () => {
    expect(keyName('a/b/')).toBe('b');
    expect(keyName('a/b//')).toBe('b');
    expect(keyName('top/')).toBe('top');
  });

  it('is empty when the key names nothing, for the caller to choose a fallback', () => {
    expect(keyName('')).toBe('');
    expect(keyName('/')).toBe('');
    expect(keyName('a//')).toBe('a');
    expect(keyName('a/./..')).toBe('..'); // a name, not a path: safeNames.ts makes it safe
  });
});

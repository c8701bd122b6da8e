import { describe, expect, it } from 'vitest';
import { numbered, safeRelativePath } from '../../src/main/services/safeNames';

const map = (key: string) => {
  const r = safeRelativePath(key);
  return r.ok ? r.segments.join('/') : `REFUSED: ${r.reason}`;
};

describe('hostile object keys (security.md cases)', () => {
  it.each([
    ['../x', /^REFUSED/],
    ['a/../../x', /^REFUSED/],
    ['..', /^REFUSED/],
    ['./a', /^REFUSED/],
    ['dir/', /^REFUSED: folder marker/],
  ])('refuses %s', (key, expected) => {
    expect(map(key)).toMatch(expected);
  });

  it.each([
    ['/abs', 'abs'],
    ['a//b', 'a/b'],
    ['C:\\x', 'C__x'],
    ['..\\x', '.._x'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['NUL', '_NUL'],
    ['COM1', '_COM1'],
    ['LPT1.log', '_LPT1.log'],
    ['CONIN$', '_CONIN$'],
    ['name.', 'name_'],
    ['name ', 'name_'],
    ['a:b', 'a_b'],
    ['<>|?*"', '______'],
    ['ctl\u0001\u001f.txt', 'ctl__.txt'],
    ['Cafe\u0301.txt', 'Caf\u00e9.txt'],
    ['photos/東京 タワー + 夜.png', 'photos/東京 タワー + 夜.png'],
  ])('maps %j to %j', (key, expected) => {
    expect(map(key)).toBe(expected);
  });

  it('shortens names over 255 bytes deterministically, keeping the extension and twins apart', () => {
    const long = 'あ'.repeat(100) + '.txt';
    const a = map(long);
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(255);
    expect(a.endsWith('.txt')).toBe(true);
    expect(map(long)).toBe(a);
    expect(map('あ'.repeat(101) + '.txt')).not.toBe(a);
  });

  it('numbers a second copy before the extension', () => {
    expect(numbered('report.pdf', 1)).toBe('report (1).pdf');
    expect(numbered('.bashrc', 2)).toBe('.bashrc (2)');
    expect(numbered('README', 1)).toBe('README (1)');
  });
});

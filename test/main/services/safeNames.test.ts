import { describe, expect, it } from 'vitest';
import { numbered, safeRelativePath } from '../../../src/main/services/safeNames';

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

  it.each([
    ['invoice\u202Efdp.exe', 'invoice_fdp.exe'], // right-to-left override: shows as invoiceexe.pdf
    ['a\u202Db\u202Ac\u2066d\u2069e\u200Ef\u200Fg\u061Ch', 'a_b_c_d_e_f_g_h'], // bidi marks
    ['zero\u200Bwidth\u200C\u2060.txt', 'zero_width__.txt'],
    ['\uFEFFbom.txt', '_bom.txt'],
    ['c1\u0085\u009B31m.txt', 'c1__31m.txt'], // C1 controls (NEL, CSI)
    ['esc\u001B[31mred.txt', 'esc_[31mred.txt'],
    ['line\u2028para\u2029.txt', 'line_para_.txt'],
    ['soft\u00ADhyphen', 'soft_hyphen'],
    ['lone\uD800surrogate', 'lone_surrogate'],
    // A zero-width joiner inside an emoji sequence is part of the picture, and stays.
    ['\u{1F469}\u200D\u{1F4BB} notes.txt', '\u{1F469}\u200D\u{1F4BB} notes.txt'],
    ['\u{1F469}\u{1F3FD}\u200D\u{1F4BB}.txt', '\u{1F469}\u{1F3FD}\u200D\u{1F4BB}.txt'],
    ['a\u200Db.txt', 'a_b.txt'],
  ])('replaces invisible and control characters: %j → %j', (key, expected) => {
    expect(map(key)).toBe(expected);
  });

  it.each([
    ['.kura-0123456789abcdef.partial', '_.kura-0123456789abcdef.partial'],
    ['dir/.KURA-anything', 'dir/_.KURA-anything'],
    ['.kurama.txt', '.kurama.txt'],
  ])('keeps names Kura uses for its own files out of reach: %j → %j', (key, expected) => {
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

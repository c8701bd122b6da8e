/** The main process's language, decided once: KURA_LANG → the OS locale → English. */
import { describe, expect, it } from 'vitest';
import { decideLanguage, languageOfTag, posixLocale, WORDS } from '../../../src/main/i18n';

describe('decideLanguage', () => {
  it('takes KURA_LANG over the OS locale, either way', () => {
    expect(decideLanguage({ KURA_LANG: 'ja' }, 'en-US')).toBe('ja');
    expect(decideLanguage({ KURA_LANG: 'en', LANG: 'ja_JP.UTF-8' }, 'ja')).toBe('en');
    expect(decideLanguage({ KURA_LANG: 'en' })).toBe('en');
  });

  it('else the OS locale (the app passes Electron’s)', () => {
    expect(decideLanguage({}, 'ja')).toBe('ja');
    expect(decideLanguage({}, 'ja-JP')).toBe('ja');
    expect(decideLanguage({}, 'en-GB')).toBe('en');
    expect(decideLanguage({}, 'fr')).toBe('en');
    // An empty override is no override.
    expect(decideLanguage({ KURA_LANG: '' }, 'ja-JP')).toBe('ja');
  });

  it('else the terminal’s POSIX locale: LC_ALL, then LC_MESSAGES, then LANG', () => {
    expect(decideLanguage({ LANG: 'ja_JP.UTF-8' })).toBe('ja');
    expect(decideLanguage({ LC_ALL: 'C.UTF-8', LANG: 'ja_JP.UTF-8' })).toBe('en');
    expect(decideLanguage({ LC_MESSAGES: 'ja_JP.eucJP', LANG: 'en_US.UTF-8' })).toBe('ja');
    expect(decideLanguage({ LC_ALL: '', LANG: 'ja_JP.UTF-8' })).toBe('ja');
    expect(posixLocale({ LC_ALL: 'de_DE', LANG: 'ja_JP' })).toBe('de_DE');
  });

  it('else English', () => {
    expect(decideLanguage({})).toBe('en');
    expect(decideLanguage({}, '')).toBe('en');
  });

  it('knows a Japanese tag and nothing that merely starts with "ja"', () => {
    expect(languageOfTag('JA')).toBe('ja');
    expect(languageOfTag('ja_JP.UTF-8')).toBe('ja');
    expect(languageOfTag('jv-ID')).toBe('en');
    expect(languageOfTag('jam')).toBe('en');
  });
});

describe('the words tables', () => {
  it('have every English key in Japanese, with its own words', () => {
    const keys = (o: object, at = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null ? keys(v as object, `${at}${k}.`) : [`${at}${k}`],
      );
    expect(keys(WORDS.ja)).toEqual(keys(WORDS.en));
    expect(WORDS.ja.cli.usage).not.toBe(WORDS.en.cli.usage);
    expect(WORDS.ja.cli.get.skipped('a/../b', '理由')).toBe(
      'kura: a/../b をスキップしました: 理由',
    );
  });
});

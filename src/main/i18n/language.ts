/**
 * The one place the main process and the CLI decide their language: KURA_LANG when set, else
 * the OS locale (Electron's `app.getLocale()` for the app; for the CLI the terminal's POSIX
 * locale, LC_ALL → LC_MESSAGES → LANG), else English. Japanese is the only other language.
 */
import type { Language } from '../../shared/errors';

export type { Language };

/** The POSIX locale of a terminal: the first of LC_ALL, LC_MESSAGES, LANG that is set. */
export function posixLocale(env: NodeJS.ProcessEnv): string | undefined {
  return env.LC_ALL || env.LC_MESSAGES || env.LANG || undefined;
}

/** 'ja' for a Japanese tag ("ja", "ja-JP", "ja_JP.UTF-8"), else 'en'. */
export function languageOfTag(tag: string): Language {
  return /^ja(?![a-z])/i.test(tag) ? 'ja' : 'en';
}

/**
 * KURA_LANG (an override, for users and tests) → the OS locale → 'en'. `osLocale` defaults to
 * the environment's POSIX locale (what the CLI speaks in).
 */
export function decideLanguage(
  env: NodeJS.ProcessEnv,
  osLocale: string | undefined = posixLocale(env),
): Language {
  return languageOfTag(env.KURA_LANG || osLocale || 'en');
}

/**
 * The main process's words: the language decided once (language.ts) and the table in that
 * language (en.ts, and ja.ts typed against it).
 */
import type { Language } from '../../shared/errors';
import { en, type Words } from './en';
import { ja } from './ja';

export { decideLanguage, languageOfTag, posixLocale } from './language';
export type { Language, Words };

export const WORDS: Record<Language, Words> = { en, ja };

/** The table in `lang`. */
export const wordsFor = (lang: Language): Words => WORDS[lang];

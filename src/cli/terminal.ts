/**
 * What a command knows about where it runs — the language, whether someone is at the keyboard,
 * whether stderr is a terminal — and how it ends: its exit codes, the errors that end it, and
 * an exit that waits for the output to be written.
 */
import { decideLanguage, wordsFor } from '../main/i18n';

export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_SKIPPED = 3;
export const EXIT_INTERRUPTED = 130;

/** A mistake in the command line: said with the usage, exit 2. */
export class UsageError extends Error {}
/** Ctrl-C ended the command (already said on stderr): exit 130. */
export class Interrupted extends Error {}

/** The terminal's language (KURA_LANG, else LC_ALL / LC_MESSAGES / LANG), decided once. */
export const lang = decideLanguage(process.env);
/** The main process's words in `lang` (src/main/i18n). */
export const words = wordsFor(lang);
/** What the CLI says, in `lang`. */
export const say = words.cli;
/** Someone types the answers (else they come from a pipe, one a line). */
export const interactive = process.stdin.isTTY === true;
/** Progress lines and QR codes go to stderr only when it is a terminal. */
export const stderrTty = process.stderr.isTTY === true;

/** Exits once everything written to stdout and stderr has been flushed (pipes are async). */
export async function exit(code: number): Promise<never> {
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}

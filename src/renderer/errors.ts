import { errorMessage, problemLines, type ErrorView } from '../shared/errors';

/** The error view carried by anything a bridge call threw (UNKNOWN for anything else). */
function viewOf(err: unknown): ErrorView {
  return (
    (err as { view?: ErrorView }).view ?? {
      code: 'UNKNOWN' as const,
      detail: String((err as Error)?.message ?? err),
    }
  );
}

const language = (lang: string) => (lang === 'ja' ? 'ja' : 'en');

/** The message for anything a bridge call threw, in the UI's language. */
export function describeError(err: unknown, lang: string): string {
  return errorMessage(viewOf(err), language(lang));
}

/** What exactly is wrong, one line each (a profile's fields), when the error says. */
export function describeProblems(err: unknown, lang: string): string[] {
  return problemLines(viewOf(err), language(lang));
}

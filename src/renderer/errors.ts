import { errorMessage, type ErrorView } from '../shared/errors';

/** The message for anything a bridge call threw, in the UI's language. */
export function describeError(err: unknown, lang: string): string {
  const view = (err as { view?: ErrorView }).view ?? {
    code: 'UNKNOWN' as const,
    detail: String((err as Error)?.message ?? err),
  };
  return errorMessage(view, lang === 'ja' ? 'ja' : 'en');
}

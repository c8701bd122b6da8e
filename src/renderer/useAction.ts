import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, describeProblems } from './errors';

/**
 * Runs an async action with a busy flag and a translated error message. `run` keeps its
 * identity across renders, so effects that depend on it do not run again on every render.
 */
export function useAction() {
  const { i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The error's own list of what is wrong (a profile's fields), when it has one. */
  const [problems, setProblems] = useState<string[]>([]);
  const run = useCallback(
    async <T>(action: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      setProblems([]);
      try {
        return await action();
      } catch (err) {
        setError(describeError(err, i18n.language));
        setProblems(describeProblems(err, i18n.language));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [i18n],
  );
  return { busy, error, problems, run, setError };
}

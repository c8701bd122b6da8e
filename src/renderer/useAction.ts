import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from './errors';

/**
 * Runs an async action with a busy flag and a translated error message. `run` keeps its
 * identity across renders, so effects that depend on it do not run again on every render.
 */
export function useAction() {
  const { i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async <T>(action: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await action();
      } catch (err) {
        setError(describeError(err, i18n.language));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [i18n],
  );
  return { busy, error, run, setError };
}

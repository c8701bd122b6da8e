/**
 * The recursive search below the open folder (the Subfolders scope), page by page until done or
 * stopped. Each step has a request id: Stop, a new search or leaving the folder cancels the step
 * in flight (main aborts its S3 listing) and drops its answer.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import type { SearchView } from '../model/listView';
import type { Place } from '../model/navigation';
import { newRequestId } from '../model/requestIds';

export interface SearchState extends SearchView {
  /** The folder searched below. */
  place: Place;
}

export function useSearch(place: Place | null, onCancelError: (e: unknown) => void) {
  const [search, setSearch] = useState<SearchState | null>(null);
  const run = useRef<{ n: number; inFlight?: string }>({ n: 0 });

  const halt = useCallback(() => {
    const r = run.current;
    r.n++;
    if (r.inFlight) api.cancelRequest(r.inFlight).catch(onCancelError);
    r.inFlight = undefined;
  }, [onCancelError]);

  const start = useCallback(
    (text: string) => {
      if (!place) return;
      halt();
      const r = run.current;
      const mine = r.n;
      setSearch({ text, place, matches: [], scanned: 0, state: 'running' });
      void (async () => {
        let token: string | undefined;
        try {
          do {
            const id = newRequestId('search');
            r.inFlight = id;
            const page = await api.search(place.bucket, place.prefix, text, token, id);
            if (mine !== r.n) return;
            setSearch(
              (s) =>
                s && {
                  ...s,
                  matches: [...s.matches, ...page.matches],
                  scanned: s.scanned + page.scanned,
                },
            );
            token = page.continuationToken;
          } while (token);
          setSearch((s) => s && { ...s, state: 'done' });
        } catch (error) {
          if (mine === r.n) setSearch((s) => s && { ...s, state: 'failed', error });
        } finally {
          if (mine === r.n) r.inFlight = undefined;
        }
      })();
    },
    [place, halt],
  );

  const stop = useCallback(() => {
    halt();
    setSearch((s) => (s && s.state === 'running' ? { ...s, state: 'stopped' } : s));
  }, [halt]);

  const clear = useCallback(() => {
    halt();
    setSearch(null);
  }, [halt]);

  // Another folder: its search is over.
  const bucket = place?.bucket;
  const prefix = place?.prefix;
  useEffect(() => clear, [bucket, prefix, clear]);

  return { search, start, stop, clear };
}

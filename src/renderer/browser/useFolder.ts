/**
 * The open folder's listing (model/folderState.ts) wired to main: each page request has an id;
 * opening another folder, refreshing or leaving cancels the request in flight (main aborts its
 * S3 call) and its answer, whenever it comes, is dropped. A sort or filter (`wantAll`) loads
 * the rest of the folder page after page, up to the limit.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { api } from '../api';
import { folderReducer, idleFolder, needsMore } from '../model/folderState';
import type { Place } from '../model/navigation';
import { newRequestId } from '../model/requestIds';

/**
 * `select`: the row to select once `place` is listed (it travels with the navigation that set
 * the place).
 */
export function useFolder(
  place: Place | null,
  select: string | undefined,
  wantAll: boolean,
  onCancelError: (e: unknown) => void,
) {
  const [state, dispatch] = useReducer(folderReducer, idleFolder);
  const current = useRef(state);
  current.current = state;

  const cancel = useCallback(
    (id: string | undefined) => {
      if (id) api.cancelRequest(id).catch(onCancelError);
    },
    [onCancelError],
  );

  const request = useCallback((p: Place, token: string | undefined, id: string) => {
    api.listFolder(p.bucket, p.prefix, token, id).then(
      (page) => dispatch({ type: 'page', id, page }),
      (error: unknown) => dispatch({ type: 'failed', id, error }),
    );
  }, []);

  const open = useCallback(
    (p: Place, selectRow?: string) => {
      cancel(current.current.inFlight);
      const id = newRequestId('list');
      dispatch({ type: 'open', place: p, id, select: selectRow });
      request(p, undefined, id);
    },
    [cancel, request],
  );

  const bucket = place?.bucket;
  const prefix = place?.prefix;
  const selectNow = useRef(select);
  selectNow.current = select;
  useEffect(() => {
    if (bucket !== undefined && prefix !== undefined) open({ bucket, prefix }, selectNow.current);
  }, [bucket, prefix, open]);

  // Leaving the window (sign-out): nothing in flight is wanted any more.
  useEffect(() => () => cancel(current.current.inFlight), [cancel]);

  const loadMore = useCallback(() => {
    const s = current.current;
    if (s.status !== 'ready' || !s.next || s.inFlight || !s.place) return;
    const id = newRequestId('list');
    dispatch({ type: 'more', id });
    request(s.place, s.next, id);
  }, [request]);

  useEffect(() => {
    if (needsMore(state, wantAll)) loadMore();
  }, [state, wantAll, loadMore]);

  /** Lists the folder again; `keep`: the row to select afterwards. */
  const refresh = useCallback(
    (keep?: string) => {
      const p = current.current.place;
      if (p) open(p, keep);
    },
    [open],
  );

  return { state, refresh, loadMore };
}

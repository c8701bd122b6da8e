/**
 * Following a view main keeps current with events: subscribe, then ask once. An event is newer
 * than any answer asked for before it, so the answer counts only while no event has come.
 */
/** Follows a view: `set` gets the first answer unless an event came first, then every event. */
export function followView<T>(
  on: (listener: (v: T) => void) => () => void,
  ask: () => Promise<T>,
  set: (v: T) => void,
): () => void {
  let heard = false;
  const off = on((v) => {
    heard = true;
    set(v);
  });
  ask().then(
    (v) => {
      if (!heard) set(v);
    },
    // The first answer failing is not news: the next event brings the view.
    () => undefined,
  );
  return off;
}

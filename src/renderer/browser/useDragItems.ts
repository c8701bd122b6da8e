/**
 * Drag-out: files are fetched into main's drag cache ahead of a drag (small ones when pointed
 * at), and the OS drag starts from the finished file. Main names items by opaque ids.
 */
import { useCallback, useEffect, useState } from 'react';
import type { DragItemView, FileEntry } from '../../shared/ipc';
import { api } from '../api';

const keyOf = (bucket: string, key: string) => `${bucket}\n${key}`;

export function useDragItems(
  bucket: string,
  run: <T>(a: () => Promise<T>) => Promise<T | undefined>,
) {
  const [drag, setDrag] = useState<Record<string, DragItemView>>({});

  useEffect(
    () => api.on('drag', (v) => setDrag((d) => ({ ...d, [keyOf(v.bucket, v.key)]: v }))),
    [],
  );

  const dragOf = useCallback((f: FileEntry) => drag[keyOf(bucket, f.key)], [drag, bucket]);

  const prepareDrag = useCallback(
    (f: FileEntry) => {
      const current = drag[keyOf(bucket, f.key)];
      if (current && current.state !== 'failed') return;
      void run(async () => {
        const v = await api.prepareDrag(bucket, f.key);
        // The "ready" event can overtake this answer (a small file is fetched at once): never
        // let the older "preparing" view replace it.
        setDrag((d) => {
          const k = keyOf(v.bucket, v.key);
          const cur = d[k];
          if (cur?.id === v.id && (cur.state !== 'preparing' || cur.bytesDone > v.bytesDone))
            return d;
          return { ...d, [k]: v };
        });
      });
    },
    [drag, bucket, run],
  );

  const startDrag = useCallback(
    (f: FileEntry) => {
      const current = drag[keyOf(bucket, f.key)];
      if (current?.state === 'ready') void run(() => api.startDrag([current.id]));
      else prepareDrag(f); // a larger file: show "preparing"; it can be dragged once ready
    },
    [drag, bucket, run, prepareDrag],
  );

  return { dragOf, prepareDrag, startDrag };
}

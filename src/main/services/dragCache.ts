/**
 * Files for drag-out: downloaded (verified, like any download) into the app's own cache, so a
 * drag hands the OS a finished file. The renderer refers to items only by opaque ids; paths stay
 * in main. Bounded (least recently used evicted past the limit), per user, wiped at sign-out.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DragItemView } from '../../shared/ipc';
import { KuraError } from './kuraError';
import type { StorageService } from './storage';

interface Item {
  view: DragItemView;
  dir: string;
  path?: string;
  lastUsed: number;
  controller: AbortController;
}

export const DEFAULT_DRAG_CACHE_BYTES = 1024 ** 3;

export class DragCache {
  private readonly items = new Map<string, Item>();
  private readonly byObject = new Map<string, string>();
  private readonly listeners = new Set<(v: DragItemView) => void>();
  private clock = 0;

  constructor(
    private readonly o: { root: () => string; storage: () => StorageService; limitBytes?: number },
  ) {}

  onChange(listener: (v: DragItemView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(item: Item) {
    for (const l of this.listeners) l({ ...item.view });
  }

  /** Starts fetching an object for dragging (or returns the item already there). */
  prepare(bucket: string, key: string): DragItemView {
    const objectKey = `${bucket}\n${key}`;
    const existing = this.items.get(this.byObject.get(objectKey) ?? '');
    if (existing && existing.view.state !== 'failed') {
      existing.lastUsed = ++this.clock;
      return { ...existing.view };
    }
    const id = randomUUID();
    const dir = join(this.o.root(), id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const item: Item = {
      view: {
        id,
        bucket,
        key,
        name: key.split('/').pop() || key,
        state: 'preparing',
        bytesDone: 0,
      },
      dir,
      lastUsed: ++this.clock,
      controller: new AbortController(),
    };
    this.items.set(id, item);
    this.byObject.set(objectKey, id);
    this.o
      .storage()
      .download(bucket, key, dir, {
        signal: item.controller.signal,
        onProgress: (p) => {
          item.view.bytesDone = p.bytesDone;
          item.view.size = p.bytesTotal;
          this.emit(item);
        },
      })
      .then(
        (r) => {
          item.path = r.path;
          item.view.state = 'ready';
          item.view.size = r.size;
          item.view.bytesDone = r.size;
          this.emit(item);
          void this.evict();
        },
        (err: unknown) => {
          item.view.state = 'failed';
          item.view.error = (
            err instanceof KuraError ? err : new KuraError('UNKNOWN', String(err))
          ).toView();
          this.emit(item);
          void rm(dir, { recursive: true, force: true });
        },
      );
    return { ...item.view };
  }

  /** The cached files for a drag; every id must be ready. */
  pathsFor(ids: string[]): string[] {
    return ids.map((id) => {
      const item = this.items.get(id);
      if (!item?.path || item.view.state !== 'ready') {
        throw new KuraError('DRAG_NOT_READY', id);
      }
      item.lastUsed = ++this.clock;
      return item.path;
    });
  }

  private async evict() {
    const limit = this.o.limitBytes ?? DEFAULT_DRAG_CACHE_BYTES;
    const ready = [...this.items.values()]
      .filter((i) => i.view.state === 'ready')
      .sort((a, b) => a.lastUsed - b.lastUsed);
    let total = ready.reduce((n, i) => n + (i.view.size ?? 0), 0);
    for (const item of ready.slice(0, -1)) {
      if (total <= limit) break;
      total -= item.view.size ?? 0;
      this.items.delete(item.view.id);
      this.byObject.delete(`${item.view.bucket}\n${item.view.key}`);
      await rm(item.dir, { recursive: true, force: true });
    }
  }

  /** Everything gone: at sign-out, and at start (the cache never outlives a session). */
  async wipe(): Promise<void> {
    for (const item of this.items.values()) item.controller.abort();
    this.items.clear();
    this.byObject.clear();
    await rm(this.o.root(), { recursive: true, force: true });
  }

  /** For diagnostics and tests: bytes held by ready items. */
  get bytes(): number {
    return [...this.items.values()]
      .filter((i) => i.view.state === 'ready')
      .reduce((n, i) => n + (i.view.size ?? 0), 0);
  }
}

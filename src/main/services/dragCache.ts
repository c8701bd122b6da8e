/**
 * Files for drag-out: downloaded (verified, like any download) into the app's own cache, so a
 * drag hands the OS a finished file. The renderer refers to items only by opaque ids; paths stay
 * in main. Bounded (least recently used evicted past the limit), per user — an item readied for
 * one user is neither found nor dragged for another, and each user's files have a folder of
 * their own — and wiped, for the user whose work it was, when that user's session ends or
 * another owner takes over (kuraApp.ts).
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
  /** Whose it is (profile and user). */
  owner: string;
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
    private readonly o: {
      /** The folder of one owner's files. */
      root: (owner: string) => string;
      storage: () => StorageService;
      limitBytes?: number;
      /** Who is signed in (profile and user); items belong to them. */
      owner?: () => string;
    },
  ) {}

  private owner(): string {
    return this.o.owner?.() ?? '';
  }

  onChange(listener: (v: DragItemView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(item: Item) {
    for (const l of this.listeners) l({ ...item.view });
  }

  /** Starts fetching an object for dragging (or returns the item already there). */
  prepare(bucket: string, key: string): DragItemView {
    const owner = this.owner();
    const objectKey = `${owner}\n${bucket}\n${key}`;
    const existing = this.items.get(this.byObject.get(objectKey) ?? '');
    if (existing && existing.view.state !== 'failed') {
      existing.lastUsed = ++this.clock;
      return { ...existing.view };
    }
    const id = randomUUID();
    const dir = join(this.o.root(owner), id);
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
      owner,
      dir,
      lastUsed: ++this.clock,
      controller: new AbortController(),
    };
    this.items.set(id, item);
    this.byObject.set(objectKey, id);
    // Not signed in (anymore) fails the item like any refusal.
    Promise.resolve()
      .then(() => this.o.storage())
      .then((storage) =>
        storage.download(bucket, key, dir, {
          signal: item.controller.signal,
          onProgress: (p) => {
            item.view.bytesDone = p.bytesDone;
            item.view.size = p.bytesTotal;
            this.emit(item);
          },
        }),
      )
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
    const owner = this.owner();
    return ids.map((id) => {
      const item = this.items.get(id);
      if (!item?.path || item.view.state !== 'ready' || item.owner !== owner) {
        throw new KuraError('INVALID_ARGUMENT', 'that item is not ready to drag yet');
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
      this.byObject.delete(`${item.owner}\n${item.view.bucket}\n${item.view.key}`);
      await rm(item.dir, { recursive: true, force: true });
    }
  }

  /**
   * Everything of one owner gone — their items stopped and forgotten, their folder removed — and
   * nothing of anyone else's. Without an owner: the current owner's.
   */
  async wipe(owner = this.owner()): Promise<void> {
    for (const [id, item] of this.items) {
      if (item.owner !== owner) continue;
      item.controller.abort();
      this.items.delete(id);
      this.byObject.delete(`${item.owner}\n${item.view.bucket}\n${item.view.key}`);
    }
    await rm(this.o.root(owner), { recursive: true, force: true });
  }

  /** For diagnostics and tests: bytes held by ready items. */
  get bytes(): number {
    return [...this.items.values()]
      .filter((i) => i.view.state === 'ready')
      .reduce((n, i) => n + (i.view.size ?? 0), 0);
  }
}

/**
 * Files for drag-out: downloaded (verified, like any download) into the app's own cache, so a
 * drag hands the OS a finished file. The renderer refers to items only by opaque ids; paths stay
 * in main. Per user — an item readied for one user is neither found nor dragged for another,
 * and each user's files have a folder of their own — wiped, for the user whose work it was, when
 * that user's session ends or another owner takes over (src/main/compose/kuraApp.ts), and
 * bounded (security review #7: a 1 MiB limit held 32 MiB): an item's size is asked for before a
 * byte is fetched and reserved while it downloads; one larger than the limit is refused; room is
 * made by evicting the least recently used ready files; when what is still downloading leaves no
 * room, the new item is refused until it does.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DragItemView } from '../../shared/ipc';
import { formatBytes } from '../../shared/format';
import { newFileJob } from './download/fileJob';
import { downloadObject } from './download/objectDownload';
import { KuraError } from './kuraError';
import type { StorageService } from './storage';
import { keyName } from '../../shared/keyName';

interface Item {
  view: DragItemView;
  /** Whose it is (profile and user). */
  owner: string;
  dir: string;
  path?: string;
  lastUsed: number;
  controller: AbortController;
  /** Bytes held for it while it downloads (its size, once known). */
  reserved: number;
  /** Resolves once its fetch has ended, whichever way (and the folder of a failed one is gone). */
  settled?: Promise<void>;
}

export const DEFAULT_DRAG_CACHE_BYTES = 1024 ** 3;

export class DragCache {
  private readonly items = new Map<string, Item>();
  private readonly byObject = new Map<string, string>();
  private readonly listeners = new Set<(v: DragItemView) => void>();
  private clock = 0;
  private reserving: Promise<unknown> = Promise.resolve();

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
    // An item wiped with its owner says nothing more (the next owner's window hears this).
    if (this.items.get(item.view.id) !== item) return;
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
        name: keyName(key) || key,
        state: 'preparing',
        bytesDone: 0,
      },
      owner,
      dir,
      lastUsed: ++this.clock,
      controller: new AbortController(),
      reserved: 0,
    };
    this.items.set(id, item);
    this.byObject.set(objectKey, id);
    item.settled = this.fetch(item).then(
      async (r) => {
        // Wiped (its owner gone) while it was fetched: it is nobody's, and keeps nothing.
        if (this.items.get(id) !== item) return rm(dir, { recursive: true, force: true });
        item.path = r.path;
        item.reserved = 0;
        item.view.state = 'ready';
        item.view.size = r.size;
        item.view.bytesDone = r.size;
        this.emit(item);
      },
      async (err: unknown) => {
        item.reserved = 0;
        item.view.state = 'failed';
        item.view.error = (
          err instanceof KuraError ? err : new KuraError('UNKNOWN', String(err))
        ).toView();
        this.emit(item);
        await rm(dir, { recursive: true, force: true });
      },
    );
    return { ...item.view };
  }

  private get limit(): number {
    return this.o.limitBytes ?? DEFAULT_DRAG_CACHE_BYTES;
  }

  /**
   * Reserves room for an item's size, evicting ready files; refuses what cannot fit. One at a
   * time, so two items never both count on the same free room.
   */
  private reserve(item: Item, size: number): Promise<void> {
    const next = this.reserving.then(async () => {
      // Wiped while it waited: no room is made (no one's files evicted) for it.
      if (item.controller.signal.aborted) throw new KuraError('CANCELLED');
      if (size > this.limit) throw new KuraError('DRAG_TOO_LARGE', formatBytes(this.limit));
      const after = () => this.bytes - item.reserved + size;
      await this.evict(item, after);
      if (after() > this.limit) throw new KuraError('DRAG_CACHE_FULL');
      item.reserved = size;
    });
    this.reserving = next.catch(() => undefined);
    return next;
  }

  private async fetch(item: Item) {
    const { bucket, key } = item.view;
    // Not signed in (anymore) fails the item like any refusal.
    const storage = this.o.storage();
    const head = await storage.head(bucket, key);
    item.view.size = head.ContentLength ?? 0;
    await this.reserve(item, item.view.size);
    let growing: Promise<void> | undefined;
    // Nothing resumes it: a failure or a wipe removes the item's folder, partial file included.
    const job = await newFileJob(bucket, key, item.dir);
    return downloadObject(storage, job, {
      signal: item.controller.signal,
      onBytes: (n) => {
        item.view.bytesDone += n;
        // Replaced meanwhile by a larger object: it must fit again, or the download stops.
        if (job.size !== undefined && job.size > item.reserved && !growing) {
          growing = this.reserve(item, job.size)
            .catch(() => item.controller.abort())
            .finally(() => (growing = undefined));
        }
        item.view.size = job.size;
        this.emit(item);
      },
    });
  }

  /** The cached files for a drag; every id must be ready. */
  pathsFor(ids: string[]): string[] {
    const owner = this.owner();
    return ids.map((id) => {
      const item = this.items.get(id);
      if (!item?.path || item.view.state !== 'ready' || item.owner !== owner) {
        throw new KuraError('DRAG_NOT_READY', id);
      }
      item.lastUsed = ++this.clock;
      return item.path;
    });
  }

  /** Evicts ready files, least recently used first, until `total()` fits (or none is left). */
  private async evict(keep: Item, total: () => number) {
    const ready = [...this.items.values()]
      .filter((i) => i !== keep && i.view.state === 'ready')
      .sort((a, b) => a.lastUsed - b.lastUsed);
    for (const item of ready) {
      if (total() <= this.limit) break;
      this.items.delete(item.view.id);
      this.byObject.delete(`${item.owner}\n${item.view.bucket}\n${item.view.key}`);
      await rm(item.dir, { recursive: true, force: true });
    }
  }

  /**
   * Everything of one owner gone — their items stopped and forgotten, their folder removed — and
   * nothing of anyone else's. Without an owner: the current owner's. What was still being
   * fetched has stopped before the folder goes, so nothing of it is written (and no folder made
   * again) afterwards.
   */
  async wipe(owner = this.owner()): Promise<void> {
    const stopping: Promise<void>[] = [];
    for (const [id, item] of this.items) {
      if (item.owner !== owner) continue;
      item.controller.abort();
      if (item.settled) stopping.push(item.settled.catch(() => undefined));
      this.items.delete(id);
      this.byObject.delete(`${item.owner}\n${item.view.bucket}\n${item.view.key}`);
    }
    await Promise.all(stopping);
    await rm(this.o.root(owner), { recursive: true, force: true });
  }

  /** Bytes the cache holds: ready files, and the sizes reserved for those downloading. */
  get bytes(): number {
    return [...this.items.values()].reduce(
      (n, i) => n + (i.view.state === 'ready' ? (i.view.size ?? 0) : i.reserved),
      0,
    );
  }
}

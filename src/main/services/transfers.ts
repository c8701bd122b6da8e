/**
 * Downloads the renderer started, tracked in main (the single source of truth) and reported as
 * views: an opaque id, progress, the outcome, every skipped item. Paths stay here.
 */
import { randomUUID } from 'node:crypto';
import type { TransferView } from '../../shared/ipc';
import { KuraError } from './kuraError';
import type { StorageService } from './storage';

interface Transfer {
  view: TransferView;
  controller: AbortController;
  /** Where the result was saved; never sent to the renderer. */
  path?: string;
}

export class TransferService {
  private readonly transfers = new Map<string, Transfer>();
  private readonly listeners = new Set<(v: TransferView) => void>();

  constructor(
    private readonly storage: () => StorageService,
    private readonly downloadsDir: () => string,
  ) {}

  onChange(listener: (v: TransferView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(t: Transfer) {
    const view = { ...t.view, skipped: [...t.view.skipped] };
    for (const l of this.listeners) l(view);
  }

  list(): TransferView[] {
    return Array.from(this.transfers.values(), (t) => ({ ...t.view }));
  }

  /** Where a finished transfer was saved (for "Show in folder" and drag-out, in main only). */
  pathOf(id: string): string | undefined {
    return this.transfers.get(id)?.path;
  }

  private start(kind: 'file' | 'folder', bucket: string, key: string): Transfer {
    const name = key.replace(/\/+$/, '').split('/').pop() || bucket;
    const t: Transfer = {
      view: {
        id: randomUUID(),
        bucket,
        key,
        name,
        kind,
        state: 'running',
        bytesDone: 0,
        skipped: [],
      },
      controller: new AbortController(),
    };
    this.transfers.set(t.view.id, t);
    this.emit(t);
    return t;
  }

  private finish(t: Transfer, err?: unknown) {
    if (!err) t.view.state = 'done';
    else {
      const e = err instanceof KuraError ? err : new KuraError('UNKNOWN', (err as Error).message);
      t.view.state = e.code === 'CANCELLED' ? 'cancelled' : 'failed';
      if (e.code !== 'CANCELLED') t.view.error = e.toView();
    }
    this.emit(t);
  }

  /** Starts a file download and returns at once; progress and the end arrive as events. */
  downloadFile(bucket: string, key: string): TransferView {
    const t = this.start('file', bucket, key);
    this.storage()
      .download(bucket, key, this.downloadsDir(), {
        signal: t.controller.signal,
        onProgress: (p) => {
          t.view.bytesDone = p.bytesDone;
          t.view.bytesTotal = p.bytesTotal;
          this.emit(t);
        },
      })
      .then(
        (r) => {
          t.path = r.path;
          this.finish(t);
        },
        (err: unknown) => this.finish(t, err),
      );
    return { ...t.view };
  }

  downloadFolder(bucket: string, prefix: string): TransferView {
    const t = this.start('folder', bucket, prefix);
    this.storage()
      .downloadFolder(bucket, prefix, this.downloadsDir(), {
        signal: t.controller.signal,
        onProgress: (p) => {
          Object.assign(t.view, p);
          this.emit(t);
        },
      })
      .then(
        (r) => {
          t.path = r.folder;
          t.view.skipped = r.skipped;
          this.finish(t);
        },
        (err: unknown) => this.finish(t, err),
      );
    return { ...t.view };
  }

  cancel(id: string): void {
    this.transfers.get(id)?.controller.abort();
  }

  cancelAll(): void {
    for (const t of this.transfers.values()) if (t.view.state === 'running') t.controller.abort();
  }
}

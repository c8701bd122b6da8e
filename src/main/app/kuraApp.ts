/**
 * Kura's main side composed once, for every transport (the Electron shell, the browser
 * transport of the e2e harness and the demo): core services, the transfer queue and its
 * download log, the drag cache, the renderer API, and the events the renderer follows.
 */
import type { KuraEvents, TransferView } from '../../shared/ipc';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ReceiptLog } from '../services/download/receipts';
import { DragCache } from '../services/dragCache';
import { KuraCore } from '../services/kuraCore';
import { sweepPartials } from '../services/localFiles';
import type { SecretStore } from '../services/secretStore';
import { TransferQueue } from '../services/transfers';
import { UiSettingsStore } from '../services/uiSettingsStore';
import type { EngineOptions } from '../services/download/objectDownload';
import { RendererApi } from './rendererApi';

/** What only the desktop (or a test transport standing in for it) can do. */
export interface DesktopHooks {
  /** Starts the OS drag of files from the drag cache. */
  startDrag(paths: string[]): void;
  /** Shows a file or folder in the system file manager. */
  reveal(path: string): void;
  /** Asks for a folder to download into; undefined when the user cancels. */
  chooseFolder(): Promise<string | undefined>;
  /** Asks where to save `contents` and writes it there; false when the user cancels. */
  saveFile(suggestedName: string, contents: string): Promise<boolean>;
  copyText(text: string): void | Promise<void>;
  /** A system notification. */
  notify(title: string, body: string): void;
}

export interface KuraAppOptions {
  dataDir: string;
  downloadsDir: string;
  secrets: SecretStore;
  keychainProblem?: string;
  desktop: DesktopHooks;
  dragCacheBytes?: number;
  /** The language of notifications (the OS locale). */
  lang?: 'en' | 'ja';
  engine?: Partial<EngineOptions>;
  /** Downloads running at least this long are announced by a notification when they end. */
  notifyAfterMs?: number;
}

export type EventSink = <E extends keyof KuraEvents>(event: E, payload: KuraEvents[E]) => void;

const NOTICE = {
  en: {
    done: 'Download finished',
    failed: 'Download failed',
  },
  ja: {
    done: 'ダウンロードが完了しました',
    failed: 'ダウンロードに失敗しました',
  },
} as const;

export async function createKuraApp(o: KuraAppOptions) {
  const core = new KuraCore({
    dataDir: o.dataDir,
    secrets: o.secrets,
    keychainProblem: o.keychainProblem,
  });
  const queueDir = join(o.dataDir, 'transfers');
  const queueFile = (profileId: string) => join(queueDir, `${profileId}.json`);
  // Partial files left by a crash are swept, except those a persisted transfer resumes from.
  const keep = new Set<string>();
  try {
    for (const f of readdirSync(queueDir))
      for (const p of TransferQueue.partialsIn(join(queueDir, f))) keep.add(p);
  } catch {
    // No persisted queue yet.
  }
  await sweepPartials(o.downloadsDir, keep);

  const receipts = new ReceiptLog(join(o.dataDir, 'receipts.jsonl'));
  const who = () => {
    const s = core.active();
    return { profileId: s.profileId, user: s.session.user?.email ?? '' };
  };
  const transfers = new TransferQueue({
    storage: () => core.active().storage,
    downloadsDir: () => o.downloadsDir,
    receipts,
    who,
    engine: o.engine,
  });
  let closed = false;
  core.onSessionChange((v) => {
    if (closed) return;
    const s = core.active();
    if (v.status === 'signedIn') {
      void transfers.attach(`${s.profileId}/${s.session.user?.sub ?? ''}`, queueFile(s.profileId));
    } else if (v.status === 'signedOut' && v.reason) {
      // Signed out, or the session was revoked: stop everything and leave no partial files.
      void transfers.detach(true).then(() => TransferQueue.discardFile(queueFile(s.profileId)));
    }
  });

  // A system notification when a long download ends.
  const lang = o.lang ?? 'en';
  const seen = new Map<string, TransferView['state']>();
  transfers.onChange((v) => {
    const before = seen.get(v.id);
    seen.set(v.id, v.state);
    if (before === v.state || (v.state !== 'done' && v.state !== 'failed')) return;
    if (!v.startedAt || !v.finishedAt) return;
    if (v.finishedAt - v.startedAt < (o.notifyAfterMs ?? 10_000)) return;
    o.desktop.notify(v.state === 'done' ? NOTICE[lang].done : NOTICE[lang].failed, v.name);
  });

  // The drag cache belongs to the signed-in user: a folder per profile and user, wiped at
  // sign-out, and never kept from an earlier run.
  const cacheBase = join(o.dataDir, 'drag-cache');
  await rm(cacheBase, { recursive: true, force: true });
  const cacheRoot = () => {
    const s = core.active();
    const owner = createHash('sha256')
      .update(`${s.profileId}\n${s.session.user?.sub ?? ''}`)
      .digest('hex')
      .slice(0, 16);
    return join(cacheBase, owner);
  };
  const dragCache = new DragCache({
    root: cacheRoot,
    storage: () => core.active().storage,
    limitBytes: o.dragCacheBytes,
  });
  core.onSessionChange((v) => {
    if (v.status === 'signedOut')
      void rm(cacheBase, { recursive: true, force: true }).then(() =>
        dragCache.wipe().catch(() => undefined),
      );
  });
  const api = new RendererApi(
    core,
    transfers,
    receipts,
    dragCache,
    o.desktop,
    new UiSettingsStore(join(o.dataDir, 'ui-settings.json')),
  );
  const subscribe = (send: EventSink) => {
    const offSession = core.onSessionChange((v) => send('session', v));
    const offTransfer = transfers.onChange((v) => send('transfer', v));
    const offDrag = dragCache.onChange((v) => send('drag', v));
    return () => {
      offSession();
      offTransfer();
      offDrag();
    };
  };
  /** On start: a stored session signs in silently (the UI shows a splash meanwhile). */
  const restore = async () => {
    if (core.hasProfile)
      await core
        .active()
        .session.restore()
        .catch(() => undefined);
  };
  /** Quitting: transfers stop and stay persisted, to go on at the next launch. */
  const shutdown = async () => {
    closed = true;
    await transfers.detach(false);
  };
  return { core, transfers, receipts, api, subscribe, restore, shutdown, dragCache, cacheBase };
}

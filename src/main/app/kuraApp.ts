/**
 * Kura's main side composed once, for every transport (the Electron shell, the browser
 * transport of the e2e harness and the demo): core services, the transfer queue and its
 * download log, the drag cache, the renderer API, and the events the renderer follows.
 */
import type { KuraEvents, TransferView } from '../../shared/ipc';
import { createHash } from 'node:crypto';
import { rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ReceiptLog } from '../services/download/receipts';
import { DragCache } from '../services/dragCache';
import { KuraCore, ownerKey } from '../services/kuraCore';
import type { SecretStore } from '../services/secretStore';
import { TransferQueue } from '../services/transfers';
import { UiSettingsStore } from '../services/uiSettingsStore';
import { sweepRecordedPartials } from '../services/transferStore';
import { parseS3Folder } from '../services/profile';
import type { ReleaseFeed } from '../services/updates/s3FeedProvider';
import {
  UpdateService,
  type Updater,
  type UpdateServiceOptions,
} from '../services/updates/updateService';
import type { EngineOptions } from '../services/download/objectDownload';
import { RendererApi } from './rendererApi';

/** What only the desktop (or a test transport standing in for it) can do. */
export interface DesktopHooks {
  /** Starts the OS drag of files from the drag cache. */
  startDrag(paths: string[]): void;
  /** Shows a file or folder in the system file manager. */
  reveal(path: string): void;
  /**
   * Opens a file with the system's default app. Only RendererApi.openTransfer calls it, with a
   * path the transfer queue vouches for (openPolicy.ts); never a path from the renderer.
   */
  openFile(path: string): Promise<void>;
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
  /** electron-updater's updater for this copy; absent or null: it cannot update itself. */
  updater?: Updater | null;
  /** Restarts into a downloaded update (the shell stops the services first, then `install`s). */
  restart?: (install: () => void) => void;
  /** Tunes the update checks (tests). */
  updateTiming?: Pick<UpdateServiceOptions, 'intervalMs' | 'retryMs' | 'schedule'>;
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
  // Partial files left by a crash are swept — only those Kura recorded, and not those a
  // persisted transfer resumes from.
  const partials = await sweepRecordedPartials(o.dataDir);

  const receipts = new ReceiptLog(join(o.dataDir, 'receipts.jsonl'));
  // A receipt names the owner of the download: the profile and the user's stable id.
  const who = () => ({
    profileId: core.owner?.profileId ?? '',
    user: core.active().session.user?.email ?? '',
    sub: core.owner?.sub ?? '',
  });
  const transfers = new TransferQueue({
    storage: () => core.active().storage,
    downloadsDir: () => o.downloadsDir,
    receipts,
    who,
    engine: o.engine,
    partials,
  });
  let closed = false;
  // Attaching and detaching the queue run one after another, in the order owners change; one
  // asked for while nothing else is under way starts at once (its transfers stop before the
  // owner's access is dropped, so they stop as resumable instead of failing).
  let queueWork: Promise<void> = Promise.resolve();
  let queued = 0;
  const serially = (step: () => Promise<unknown>) => {
    const run = () =>
      step().then(
        () => void queued--,
        () => void queued--,
      );
    queueWork = queued++ === 0 ? run() : queueWork.then(run);
  };

  // A system notification when a long download ends.
  const lang = o.lang ?? 'en';
  const seen = new Map<string, TransferView['state']>();
  transfers.onChange((v) => {
    const before = seen.get(v.id);
    seen.set(v.id, v.state);
    if (before === v.state || (v.state !== 'done' && v.state !== 'failed')) return;
    if (!v.startedAt || !v.finishedAt) return;
    if (v.finishedAt - v.startedAt < (o.notifyAfterMs ?? 10_000)) return;
    o.desktop.notify(
      v.state === 'done' ? NOTICE[lang].done : NOTICE[lang].failed,
      v.savedAs ?? v.name,
    );
  });

  // The drag cache belongs to the signed-in user: a folder per profile and user, never kept
  // from an earlier run.
  const cacheBase = join(o.dataDir, 'drag-cache');
  await rm(cacheBase, { recursive: true, force: true });
  const dragCache = new DragCache({
    root: (owner) => join(cacheBase, createHash('sha256').update(owner).digest('hex').slice(0, 16)),
    storage: () => core.active().storage,
    limitBytes: o.dragCacheBytes,
    owner: () => ownerKey(core.owner),
  });

  // Another owner (sign-in, sign-out, revocation, another user, a profile switch): the previous
  // owner's drag files go, and their transfers stop — discarded when their session ended, kept
  // to resume otherwise; the next owner's persisted queue is attached.
  core.onOwnerChange(({ previous, next, ended }) => {
    if (closed) return;
    if (previous) {
      // Their folder goes, and the cache's own when nobody else's files are left in it.
      void dragCache
        .wipe(ownerKey(previous))
        .then(() => rmdir(cacheBase))
        .catch(() => undefined);
      serially(async () => {
        await transfers.detach(ended);
        if (ended) await TransferQueue.discardFile(queueFile(previous.profileId));
      });
    }
    if (next)
      serially(() => transfers.attach(`${next.profileId}/${next.sub}`, queueFile(next.profileId)));
  });
  // Updates come from the active profile's release folder, read with the signed-in user's
  // credentials; a check runs whenever a session starts (at launch too) and every few hours.
  const releaseFeed = (): ReleaseFeed | null => {
    if (!core.hasProfile) return null;
    const s = core.active();
    const where = s.profile.updates ? parseS3Folder(s.profile.updates) : null;
    if (!where || s.session.view().status !== 'signedIn') return null;
    // The pool's default role for the user reads the release folder (infra/policies).
    return { ...where, s3: () => s.access.current().role().s3 };
  };
  const updates = new UpdateService({
    updater: o.updater ?? null,
    feed: releaseFeed,
    transfers,
    restart: o.restart ?? ((install) => install()),
    settingsPath: join(o.dataDir, 'update-settings.json'),
    ...o.updateTiming,
    log: (m) => console.warn(`kura: ${m}`),
  });
  core.onSessionChange((v) => {
    if (v.status === 'signedIn' && !closed) void updates.check();
  });
  const api = new RendererApi(
    core,
    transfers,
    receipts,
    dragCache,
    o.desktop,
    new UiSettingsStore(join(o.dataDir, 'ui-settings.json')),
    updates,
  );
  const subscribe = (send: EventSink) => {
    const offSession = core.onSessionChange((v) => send('session', v));
    const offTransfer = transfers.onChange((v) => send('transfer', v));
    const offDrag = dragCache.onChange((v) => send('drag', v));
    const offUpdate = updates.onChange((v) => send('update', v));
    return () => {
      offSession();
      offTransfer();
      offDrag();
      offUpdate();
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
    updates.stop();
    await queueWork;
    await transfers.detach(false);
    partials.close();
  };
  return {
    core,
    transfers,
    receipts,
    api,
    subscribe,
    restore,
    shutdown,
    dragCache,
    cacheBase,
    updates,
  };
}

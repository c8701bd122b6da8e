/**
 * Kura's main side composed once, for every transport (the Electron shell, the browser
 * transport of the e2e harness and the demo): the core (core.ts), then what the app holds for
 * its owner — the transfer queue and its download log, the drag cache — the updates, the
 * renderer API, and the events the renderer follows. What a transport differs in comes in: its
 * desktop hooks, its proxy resolver, its updater.
 */
import type { KuraEvents, TransferView } from '../../shared/ipc';
import { createHash } from 'node:crypto';
import { rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ReceiptLog } from '../services/download/receipts';
import { DragCache } from '../services/dragCache';
import { ownerKey } from '../services/kuraCore';
import type { SecretStore } from '../services/secretStore';
import { TransferQueue } from '../services/transfers/queue';
import { UiSettingsStore } from '../services/uiSettingsStore';
import { sweepRecordedPartials } from '../services/transfers/persistence';
import { transferPaths } from '../services/transfers/paths';
import { parseS3Folder } from '../services/profile';
import type { ReleaseFeed } from '../services/updates/s3FeedProvider';
import {
  UpdateService,
  type Updater,
  type UpdateServiceOptions,
} from '../services/updates/updateService';
import type { EngineOptions } from '../services/download/objectDownload';
import type { DesktopHooks } from '../app/desktopHooks';
import { isNetworkFailure, type NetworkOptions } from '../services/network/network';
import { NetworkService } from '../services/network/networkService';
import { RendererApi } from '../app/rendererApi';
import { wordsFor, type Language } from '../i18n';
import { composeCore, openSecrets } from './core';

export interface KuraAppOptions {
  dataDir: string;
  downloadsDir: string;
  /**
   * Where sessions and proxy passwords are kept (tests, the e2e harness and the demo give
   * theirs). Absent: the OS keychain, proven by a write first (the memory store when it fails,
   * and the user is told why).
   */
  secrets?: SecretStore;
  /** Why the given store is not the keychain, if it is not. */
  keychainProblem?: string;
  desktop: DesktopHooks;
  dragCacheBytes?: number;
  /** The language of notifications (the OS locale). */
  lang?: Language;
  engine?: Partial<EngineOptions>;
  /** Downloads running at least this long are announced by a notification when they end. */
  notifyAfterMs?: number;
  /** electron-updater's updater for this copy; absent or null: it cannot update itself. */
  updater?: Updater | null;
  /** Restarts into a downloaded update (the shell stops the services first, then `install`s). */
  restart?: (install: () => void) => void;
  /** Tunes the update checks (tests). */
  updateTiming?: Pick<UpdateServiceOptions, 'intervalMs' | 'retryMs' | 'schedule'>;
  /** How long a sign-in in the browser may take (tests shorten it). */
  browserSignInTimeoutMs?: number;
  /**
   * How requests find their way out (the shell's: the OS's proxy resolver; tests: the
   * environment, the monitor's pace). Default: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, else direct.
   */
  network?: Omit<NetworkOptions, 'secrets'>;
}

export type EventSink = <E extends keyof KuraEvents>(event: E, payload: KuraEvents[E]) => void;

export async function createKuraApp(o: KuraAppOptions) {
  const { store, problem } = o.secrets
    ? { store: o.secrets, problem: o.keychainProblem }
    : await openSecrets('proven');
  const { network, core, active } = composeCore({
    dataDir: o.dataDir,
    secrets: store,
    keychainProblem: problem,
    network: o.network,
    browser: { open: (url) => o.desktop.openExternal(url), focus: () => o.desktop.focusApp() },
    browserSignInTimeoutMs: o.browserSignInTimeoutMs,
  });
  const networkService = new NetworkService(network, join(o.dataDir, 'network-settings.json'));
  const paths = transferPaths(o.dataDir);
  // Partial files left by a crash are swept — only those Kura recorded, and not those a
  // persisted transfer resumes from.
  const partials = await sweepRecordedPartials(o.dataDir);

  const receipts = new ReceiptLog(paths.receipts);
  // A receipt names the owner of the download: the profile and the user's stable id.
  const who = () => ({
    profileId: active.owner()?.profileId ?? '',
    user: active.session().user?.email ?? '',
    sub: active.owner()?.sub ?? '',
  });
  const transfers = new TransferQueue({
    storage: active.storage,
    downloadsDir: () => o.downloadsDir,
    receipts,
    who,
    engine: o.engine,
    partials,
    // Offline, transfers wait for the network instead of burning their retries.
    network: network.monitor,
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
  const notice = wordsFor(o.lang ?? 'en').notice;
  const seen = new Map<string, TransferView['state']>();
  transfers.onChange((v) => {
    const before = seen.get(v.id);
    seen.set(v.id, v.state);
    if (before === v.state || (v.state !== 'done' && v.state !== 'failed')) return;
    if (!v.startedAt || !v.finishedAt) return;
    if (v.finishedAt - v.startedAt < (o.notifyAfterMs ?? 10_000)) return;
    o.desktop.notify(v.state === 'done' ? notice.done : notice.failed, v.savedAs ?? v.name);
  });

  // The drag cache belongs to the signed-in user: a folder per profile and user, never kept
  // from an earlier run.
  const cacheBase = join(o.dataDir, 'drag-cache');
  await rm(cacheBase, { recursive: true, force: true });
  const dragCache = new DragCache({
    root: (owner) => join(cacheBase, createHash('sha256').update(owner).digest('hex').slice(0, 16)),
    storage: active.storage,
    limitBytes: o.dragCacheBytes,
    owner: () => ownerKey(active.owner()),
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
        if (ended) await TransferQueue.discardFile(paths.queueFile(previous.profileId));
      });
    }
    if (next)
      serially(() =>
        transfers.attach(`${next.profileId}/${next.sub}`, paths.queueFile(next.profileId)),
      );
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
    active,
    transfers,
    receipts,
    dragCache,
    o.desktop,
    new UiSettingsStore(join(o.dataDir, 'ui-settings.json')),
    updates,
    networkService,
  );
  const subscribe = (send: EventSink) => {
    const offSession = core.onSessionChange((v) => send('session', v));
    const offTransfer = transfers.onChange((v) => send('transfer', v));
    const offDrag = dragCache.onChange((v) => send('drag', v));
    const offUpdate = updates.onChange((v) => send('update', v));
    const offNetwork = networkService.onChange((v) => send('network', v));
    return () => {
      offNetwork();
      offSession();
      offTransfer();
      offDrag();
      offUpdate();
    };
  };
  /**
   * On start: a stored session signs in silently (the UI shows a splash meanwhile). Started
   * offline, the session is kept and restored when the servers answer again.
   */
  let restoreWhenOnline: (() => void) | undefined;
  const restore = async () => {
    if (!core.hasProfile) return;
    await active
      .session()
      .restore()
      .catch((err: unknown) => {
        if (!isNetworkFailure(err) || restoreWhenOnline) return;
        restoreWhenOnline = network.monitor.onChange((v) => {
          if (!v.online || closed) return;
          restoreWhenOnline?.();
          restoreWhenOnline = undefined;
          if (core.hasProfile && active.session().view().status === 'signedOut')
            void active
              .session()
              .restore()
              .catch(() => undefined);
        });
        // Is the network gone, or only that one request? The monitor probes (and keeps probing).
        void network.monitor.check();
      });
  };
  /** Quitting: transfers stop and stay persisted, to go on at the next launch. */
  const shutdown = async () => {
    closed = true;
    restoreWhenOnline?.();
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
    network: networkService,
  };
}

/**
 * Kura's main side composed once, for every transport (the Electron shell, the browser
 * transport of the e2e harness and the demo): core services, transfers, the renderer API, and
 * the events the renderer follows.
 */
import type { KuraEvents } from '../../shared/ipc';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DragCache } from '../services/dragCache';
import { KuraCore } from '../services/kuraCore';
import { sweepPartials } from '../services/localFiles';
import type { SecretStore } from '../services/secretStore';
import { TransferService } from '../services/transfers';
import { RendererApi } from './rendererApi';

export interface KuraAppOptions {
  dataDir: string;
  downloadsDir: string;
  secrets: SecretStore;
  keychainProblem?: string;
  /** Starts the OS drag of files from the drag cache (each transport has its own). */
  startDrag: (paths: string[]) => void;
  dragCacheBytes?: number;
}

export type EventSink = <E extends keyof KuraEvents>(event: E, payload: KuraEvents[E]) => void;

export async function createKuraApp(o: KuraAppOptions) {
  const core = new KuraCore({
    dataDir: o.dataDir,
    secrets: o.secrets,
    keychainProblem: o.keychainProblem,
  });
  await sweepPartials(o.downloadsDir);
  const transfers = new TransferService(
    () => core.active().storage,
    () => o.downloadsDir,
  );
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
  const api = new RendererApi(core, transfers, { cache: dragCache, start: o.startDrag });
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
  return { core, transfers, api, subscribe, restore, dragCache, cacheBase };
}

/**
 * Kura's main side composed once, for every transport (the Electron shell, the browser
 * transport of the e2e harness and the demo): core services, transfers, the renderer API, and
 * the events the renderer follows.
 */
import type { KuraEvents } from '../../shared/ipc';
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
  const api = new RendererApi(core, transfers);
  const subscribe = (send: EventSink) => {
    const offSession = core.onSessionChange((v) => send('session', v));
    const offTransfer = transfers.onChange((v) => send('transfer', v));
    return () => {
      offSession();
      offTransfer();
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
  return { core, transfers, api, subscribe, restore };
}

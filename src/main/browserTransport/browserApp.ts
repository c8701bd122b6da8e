/**
 * Kura's main side behind the browser transport, composed once for everyone who needs it
 * without Electron: the e2e harness, the demo, the renderer benchmark and the screenshots. The
 * same createKuraApp as the shell, desktop hooks that record, and the built renderer served on
 * loopback. (The Chromium that drives it, and its flags, are test machinery: scripts/chromium.ts.)
 */
import { join } from 'node:path';
import { createKuraApp } from '../compose/kuraApp';
import { decideLanguage } from '../i18n/language';
import type { EngineOptions } from '../services/download/objectDownload';
import type { SecretStore } from '../services/secretStore';
import { bundleBrowserBridge } from './bridgeScript';
import { recordingDesktop } from './desktop';
import { nodeUpdater } from './nodeUpdater';
import { startBrowserTransport } from './server';

let bridge: { root: string; script: string } | undefined;

export async function startBrowserApp(o: {
  /** The repository (out/renderer must be built). */
  root: string;
  dataDir: string;
  downloadsDir: string;
  secrets: SecretStore;
  keychainProblem?: string;
  /** false: drag-out is refused (a person in a browser cannot receive files from it). */
  dragAllowed?: boolean;
  /** Runs the in-app updater as this version (Node-hosted); restarts are recorded, not done. */
  updater?: { version: string };
  /** Download engine settings (tests: fewer retries, a shorter watchdog). */
  engine?: Partial<EngineOptions>;
  /** A URL for the system browser (the organisation's sign-in page): the demo prints it. */
  openExternal?: (url: string) => void;
  /** How long a sign-in in the browser may take (tests shorten it). */
  browserSignInTimeoutMs?: number;
  /** How often the connectivity monitor probes while offline (tests: faster). */
  monitor?: { minProbeMs?: number; maxProbeMs?: number };
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY as the app sees them (default: process.env). */
  env?: NodeJS.ProcessEnv;
}) {
  if (bridge?.root !== o.root) bridge = { root: o.root, script: bundleBrowserBridge(o.root) };
  const desktop = recordingDesktop(o.downloadsDir, {
    dragAllowed: o.dragAllowed,
    openExternal: o.openExternal,
  });
  const restarts: number[] = [];
  const kura = await createKuraApp({
    dataDir: o.dataDir,
    downloadsDir: o.downloadsDir,
    secrets: o.secrets,
    keychainProblem: o.keychainProblem,
    // Notifications in the language of the process's locale (the demo's terminal), as the app's
    // follow the OS's.
    lang: decideLanguage(process.env),
    desktop,
    ...(o.updater
      ? {
          updater: nodeUpdater({ version: o.updater.version, dir: join(o.dataDir, 'updater') }),
          restart: () => void restarts.push(Date.now()),
        }
      : {}),
    engine: o.engine,
    browserSignInTimeoutMs: o.browserSignInTimeoutMs,
    network: {
      ...(o.monitor ? { monitor: o.monitor } : {}),
      ...(o.env ? { env: o.env } : {}),
    },
  });
  const transport = await startBrowserTransport({
    api: kura.api,
    subscribe: kura.subscribe,
    rendererDir: join(o.root, 'out/renderer'),
    bridgeScript: bridge.script,
  });
  const close = async () => {
    await kura.shutdown();
    await transport.close();
    kura.network.network.destroy();
  };
  return { kura, transport, desktop, close, restarts };
}

/**
 * electron-updater hosted by plain Node, for the browser transport (e2e harness) and the tests
 * of the update logic: the real updater — feed, version comparison, download, SHA-512 check —
 * with Node's http instead of Electron's net and a data folder instead of Electron's app. It
 * uses the .deb flavour (Linux, what these machines run); installing is never reached: the
 * restart is the caller's, and here it is recorded.
 */
import http from 'node:http';
import https from 'node:https';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  configureRequestOptions,
  configureRequestUrl,
  HttpExecutor,
  type DownloadOptions,
} from 'builder-util-runtime';
import { DebUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import type { Updater } from '../services/updates/updateService';

/** electron-updater's ElectronHttpExecutor, with Node's http in place of Electron's net. */
class NodeHttpExecutor extends HttpExecutor<http.ClientRequest> {
  createRequest(options: http.RequestOptions, callback: (response: http.IncomingMessage) => void) {
    return (options.protocol === 'http:' ? http.request : https.request)(options, callback);
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: http.RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error ? reject(error) : resolve(destination)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}

export function nodeUpdater(o: { version: string; dir: string }): Updater {
  mkdirSync(o.dir, { recursive: true });
  // What electron-builder writes into an installed app's resources (the cache folder's name).
  const config = join(o.dir, 'app-update.yml');
  writeFileSync(
    config,
    'provider: generic\nurl: https://updates.invalid/kura/\nupdaterCacheDirName: kura-updater\n',
  );
  const app: AppAdapter = {
    version: o.version,
    name: 'Kura',
    isPackaged: true,
    appUpdateConfigPath: config,
    userDataPath: o.dir,
    baseCachePath: join(o.dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
  const updater = new DebUpdater(null, app);
  updater.logger = null;
  (updater as unknown as { httpExecutor: HttpExecutor<http.ClientRequest> }).httpExecutor =
    new NodeHttpExecutor();
  return updater;
}

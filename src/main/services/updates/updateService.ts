/**
 * In-app updates, as policy: check when the user is signed in and every few hours, download in
 * the background, offer "Restart to update", and never cut running downloads short — a restart
 * asked for while they run waits until they finish (and a quit installs the update anyway).
 * Failures stay quiet: the view says what happened and the check is tried again later, sooner
 * at first. A setting (remembered in the data folder) turns checks off.
 *
 * Plain Node. The updater is electron-updater's (`Updater` is the part of its AppUpdater Kura
 * uses): in the app its platform updater, in tests and the browser transport a Node-hosted one.
 * The feed is the release folder of the active connection profile (S3FeedProvider).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type {
  AllPublishOptions,
  CustomPublishOptions,
  PublishConfiguration,
} from 'builder-util-runtime';
import { dirname } from 'node:path';
import type { ErrorView } from '../../../shared/errors';
import type { TransferView, UpdateView } from '../../../shared/ipc';
import { S3FeedProvider, type ReleaseFeed } from './s3FeedProvider';

/** What Kura uses of electron-updater's AppUpdater. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  readonly currentVersion: { version: string };
  setFeedURL(options: PublishConfiguration | AllPublishOptions): void;
  checkForUpdates(): Promise<{
    isUpdateAvailable: boolean;
    updateInfo: { version: string };
  } | null>;
  downloadUpdate(): Promise<string[]>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'download-progress', listener: (p: { percent: number }) => void): unknown;
}

export interface UpdateServiceOptions {
  /** null: this copy cannot update itself (not an installed build). */
  updater: Updater | null;
  /** The release folder to read now, or null (no folder in the profile, or signed out). */
  feed: () => ReleaseFeed | null;
  /** The transfer queue, to wait for running downloads. */
  transfers: {
    list(): TransferView[];
    onChange(listener: (v: TransferView) => void): () => void;
  };
  /** Restarts into the update: the shell stops the services first, then calls `install`. */
  restart: (install: () => void) => void;
  /** Where the setting is remembered. */
  settingsPath: string;
  /** Between checks (default 4 hours). */
  intervalMs?: number;
  /** The first retry after a failure (default 15 minutes), doubled each time up to the interval. */
  retryMs?: number;
  schedule?: (ms: number, run: () => void) => () => void;
  now?: () => number;
  log?: (message: string) => void;
}

const HOUR = 60 * 60 * 1000;

const defaultSchedule = (ms: number, run: () => void) => {
  const t = setTimeout(run, ms);
  t.unref();
  return () => clearTimeout(t);
};

/** A failure of a check or a download as an error view the UI can word. */
export function updateErrorView(err: unknown): ErrorView {
  const e = err as { code?: string; statusCode?: number; message?: string };
  const message = (e?.message ?? String(err)).split('\n')[0]!.slice(0, 300);
  if (e?.code === 'ERR_CHECKSUM_MISMATCH' || /checksum mismatch/i.test(message))
    return { code: 'INTEGRITY' };
  if (e?.code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' || e?.statusCode === 404)
    return { code: 'UPDATE_NOT_PUBLISHED', detail: message.replace(/^.*?"(.+?)".*$/, '$1') };
  if (e?.statusCode === 403) return { code: 'ACCESS_DENIED' };
  if (
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH)$/.test(
      e?.code ?? '',
    ) ||
    /net::ERR_|ECONNREFUSED|ENOTFOUND|socket hang up/.test(message)
  )
    return { code: 'NETWORK' };
  return { code: 'UNKNOWN', detail: message };
}

export class UpdateService {
  private checks: boolean;
  private status: UpdateView['status'] = 'idle';
  private version?: string;
  private percent?: number;
  private checkedAt?: number;
  private error?: ErrorView;
  private restartPending = false;
  private failures = 0;
  private cancelTimer: () => void = () => undefined;
  private readonly listeners = new Set<(v: UpdateView) => void>();
  private readonly offTransfers: () => void;
  private readonly schedule: NonNullable<UpdateServiceOptions['schedule']>;
  private readonly now: () => number;

  constructor(private readonly o: UpdateServiceOptions) {
    this.schedule = o.schedule ?? defaultSchedule;
    this.now = o.now ?? Date.now;
    this.checks = this.readSetting();
    if (o.updater) {
      // Downloads are started here (after a check), and a downloaded update installs on quit.
      o.updater.autoDownload = false;
      o.updater.autoInstallOnAppQuit = true;
      o.updater.on('download-progress', (p) => {
        this.percent = Math.floor(p.percent);
        this.emit();
      });
    }
    this.offTransfers = o.transfers.onChange(() => {
      if (this.restartPending && !this.busy()) this.install();
    });
  }

  view(): UpdateView {
    const available = this.o.updater !== null && this.o.feed() !== null;
    return {
      checks: this.checks,
      status: available || this.status === 'ready' ? this.status : 'unavailable',
      currentVersion: this.o.updater?.currentVersion.version ?? '',
      ...(this.version ? { version: this.version } : {}),
      ...(this.status === 'downloading' && this.percent !== undefined
        ? { percent: this.percent }
        : {}),
      ...(this.restartPending ? { restartPending: true } : {}),
      ...(this.checkedAt ? { checkedAt: this.checkedAt } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  onChange(listener: (v: UpdateView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Checks now when checks are on and nothing is under way; the next check is scheduled. */
  async check(): Promise<UpdateView> {
    if (!this.checks || !this.o.updater) return this.view();
    if (['checking', 'downloading', 'ready'].includes(this.status)) return this.view();
    const feed = this.o.feed();
    if (!feed) return this.view();
    const updater = this.o.updater;
    this.cancelTimer();
    this.set('checking');
    try {
      const options: CustomPublishOptions = {
        provider: 'custom',
        updateProvider: S3FeedProvider,
        feed,
      };
      updater.setFeedURL(options);
      const result = await updater.checkForUpdates();
      this.checkedAt = this.now();
      this.error = undefined;
      if (!result?.isUpdateAvailable) {
        this.failures = 0;
        this.set(result ? 'upToDate' : 'unavailable');
        this.scheduleNext(this.o.intervalMs ?? 4 * HOUR);
        return this.view();
      }
      this.version = result.updateInfo.version;
      this.percent = 0;
      this.set('downloading');
      await updater.downloadUpdate();
      this.failures = 0;
      this.set('ready');
      if (this.restartPending && !this.busy()) this.install();
    } catch (err) {
      this.failures += 1;
      this.error = updateErrorView(err);
      this.o.log?.(`update check failed (${this.error.code}): ${(err as Error).message}`);
      this.version = undefined;
      this.set('failed');
      const interval = this.o.intervalMs ?? 4 * HOUR;
      const retry = (this.o.retryMs ?? HOUR / 4) * 2 ** (this.failures - 1);
      this.scheduleNext(Math.min(retry, interval));
    }
    return this.view();
  }

  /** Turns checks on (and checks) or off (and stops checking); remembered. */
  async setChecks(enabled: boolean): Promise<UpdateView> {
    this.checks = enabled;
    this.writeSetting();
    if (!enabled) {
      this.cancelTimer();
      this.emit();
      return this.view();
    }
    this.emit();
    return this.check();
  }

  /** "Restart to update": now, or once running downloads finish. */
  restart(): UpdateView {
    if (this.status !== 'ready') return this.view();
    this.restartPending = true;
    if (this.busy()) this.emit();
    else this.install();
    return this.view();
  }

  stop(): void {
    this.cancelTimer();
    this.offTransfers();
    this.listeners.clear();
  }

  private busy(): boolean {
    return this.o.transfers.list().some((t) => t.state === 'running' || t.state === 'queued');
  }

  private install() {
    const updater = this.o.updater;
    if (!updater || this.status !== 'ready') return;
    this.restartPending = false;
    this.o.log?.(`restarting into Kura ${this.version}`);
    // Silent on Windows (the user already chose to restart), and Kura opens again after.
    this.o.restart(() => updater.quitAndInstall(true, true));
  }

  private scheduleNext(ms: number) {
    this.cancelTimer();
    this.cancelTimer = this.schedule(ms, () => void this.check());
  }

  private set(status: UpdateView['status']) {
    this.status = status;
    this.emit();
  }

  private emit() {
    const v = this.view();
    for (const l of this.listeners) l(v);
  }

  private readSetting(): boolean {
    try {
      const s = JSON.parse(readFileSync(this.o.settingsPath, 'utf8')) as { checks?: unknown };
      return s.checks !== false;
    } catch {
      return true;
    }
  }

  private writeSetting() {
    mkdirSync(dirname(this.o.settingsPath), { recursive: true });
    const tmp = `${this.o.settingsPath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ checks: this.checks }));
    renameSync(tmp, this.o.settingsPath);
  }
}

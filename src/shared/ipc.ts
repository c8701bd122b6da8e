/**
 * The renderer API, declared once. The preload bridge, the main-process handler table and the
 * `window.kura` type are all derived from `KuraApi` and `KURA_API_METHODS`, so a method missing
 * on either side is a compile error. Only views cross: no token, no credential, no raw path.
 */
import type { ErrorView } from './errors';
import type { UiSettings } from './uiSettings';

export type SessionView =
  /** `email`: who was signed in (or abandoned a challenge), to fill the form again. */
  | {
      status: 'signedOut';
      reason?: 'expired' | 'signedOut';
      email?: string;
      /** A sign-in waiting in the system browser (the button's label), until done or cancelled. */
      browserSignIn?: { label: string };
    }
  | { status: 'restoring' }
  | {
      status: 'challenge';
      challenge: 'newPassword';
      requiredAttributes: string[];
      /** Who is signing in. */
      email?: string;
    }
  | {
      status: 'challenge';
      challenge: 'mfa';
      method: 'TOTP' | 'SMS';
      destination?: string;
      email?: string;
    }
  /** The organisation requires MFA and this user has no authenticator app yet: set one up. */
  | { status: 'challenge'; challenge: 'mfaSetup'; email?: string }
  | {
      status: 'signedIn';
      email: string;
      name?: string;
      remembered: boolean;
      notRememberedReason?: string;
      /** Signed in through the organisation's sign-in page (managed login) in the browser. */
      managedLogin?: boolean;
    };

/** The "Sign in with …" buttons of the active profile (none when it offers only a password). */
export interface SignInOptionsView {
  providers: { id: string; label: string }[];
}

/** A new authenticator app entry: the QR code to scan, or the secret to type in. */
export interface MfaSetupView {
  /** `data:image/svg+xml;base64,…`: the `otpauth://` URI as a QR code. */
  qr: string;
  /** The secret in groups of four, for typing into the app. */
  secret: string;
  /** The name the entry gets in the app (issuer Kura). */
  account: string;
}

/** The signed-in user's authenticator app (two-step verification). */
export interface AuthenticatorView {
  /** false: the organisation's sign-in manages this account's MFA (a federated user). */
  available: boolean;
  enabled: boolean;
}

export interface ProfileSummary {
  id: string;
  name: string;
  active: boolean;
  /** The user pool endpoint's host, when the profile overrides AWS's (local-aws, private). */
  endpoint?: string;
}

export interface BucketEntry {
  name: string;
  /** `account`: from ListBuckets; `profile`: the role may not list buckets, so the profile's list. */
  source: 'account' | 'profile';
}

/**
 * A place the user can open: a bucket, or a folder in one (their home folder, a group's
 * folder). The sidebar lists these; the app starts in the first one.
 */
export interface LocationView {
  /** Stable while the profile and user stay the same. */
  id: string;
  bucket: string;
  /** '' for the bucket's top level, else a folder prefix ending in '/'. */
  prefix: string;
  /** What the user sees ("Design files", "My files", a bucket name). */
  label: string;
  kind: 'bucket' | 'home' | 'group' | 'folder';
}

export interface FolderEntry {
  prefix: string;
  /** The last path segment, for display. */
  name: string;
}

export interface FileEntry {
  key: string;
  name: string;
  size: number;
  /** Epoch ms. */
  lastModified: number;
}

export interface FolderPage {
  bucket: string;
  prefix: string;
  folders: FolderEntry[];
  files: FileEntry[];
  /** Present when more entries follow. */
  continuationToken?: string;
}

export interface SkippedItem {
  key: string;
  /**
   * Why, as an error the renderer and the CLI word in their language (shared/errors'
   * `skippedWords`): UNSAFE_NAME (skipped; its problem says why), anything else (failed).
   */
  reason: ErrorView;
}

export type TransferState = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

export interface TransferView {
  /** Opaque id; the renderer refers to a transfer only by this. */
  id: string;
  bucket: string;
  key: string;
  name: string;
  kind: 'file' | 'folder';
  state: TransferState;
  bytesDone: number;
  bytesTotal?: number;
  filesDone?: number;
  filesTotal?: number;
  /** A folder still being listed: its totals grow. */
  listing?: boolean;
  /** Bytes per second, smoothed, while running. */
  speed?: number;
  secondsLeft?: number;
  /** Epoch ms. */
  startedAt?: number;
  finishedAt?: number;
  skipped: SkippedItem[];
  error?: ErrorView;
  /**
   * The name it was saved under, once known: "README (1).txt" when "README.txt" was taken, or
   * the folder it made ("logs (1)").
   */
  savedAs?: string;
  /** The name of the folder it was saved in ("Downloads"); never a path. */
  savedIn?: string;
  /** Set while it waits to try again after a failure: it is not moving meanwhile. */
  retry?: RetryView;
  /**
   * Set while it waits for the network to come back (no retry is counted meanwhile): it goes on
   * by itself when the servers answer again.
   */
  waitingForNetwork?: boolean;
  /** Epoch ms of the last byte, when nothing has arrived for a few seconds while running. */
  quietSince?: number;
  /** A folder's files in flight now (at most 50), for its expanded row. */
  active?: ActiveFileView[];
  /** A finished file of a type Kura opens with the system's app (see openTransfer). */
  openable?: boolean;
  /** The user cleared it from the list (clearFinishedTransfers): drop it. */
  removed?: boolean;
}

/** Why a transfer waits, which attempt comes next and when. */
export interface RetryView {
  reason: ErrorView;
  /** 2 = the first retry. */
  attempt: number;
  /** Epoch ms. */
  nextAttemptAt: number;
}

/** One file of a folder download in flight. */
export interface ActiveFileView {
  key: string;
  /** The key below the folder. */
  path: string;
  bytesDone: number;
  bytesTotal: number;
  retry?: RetryView;
}

/** A verified download from the log (its destination path stays in main). */
export interface ReceiptView {
  id: string;
  /** ISO 8601. */
  time: string;
  bucket: string;
  key: string;
  name: string;
  size: number;
  etag: string;
  versionId?: string;
  /** "CRC64NVME <base64>", "MD5 <hex>"; absent when only the size could be checked. */
  checksum?: string;
  /** The name it was saved under ("README (1).txt"; for a folder, the folder it made). */
  savedAs?: string;
  /** A folder download is one entry: its files' count (`size` is their sum). */
  kind?: 'file' | 'folder';
  files?: number;
}

/** A file found by a recursive search; `path` is the key below the searched folder. */
export interface SearchMatch extends FileEntry {
  path: string;
}

export interface SearchPage {
  matches: SearchMatch[];
  /** Keys looked at in this call. */
  scanned: number;
  /** Present while there is more to search: pass it back to go on. */
  continuationToken?: string;
}

/** What Quick Look shows beside a preview (from HEAD with checksum mode). */
export interface ObjectDetails {
  size: number;
  /** Epoch ms. */
  lastModified?: number;
  contentType?: string;
  /** Without quotes. */
  etag?: string;
  /** The full-object checksum S3 reports, as "CRC64NVME <base64>" or "MD5 <hex>". */
  checksum?: string;
}

export type PreviewView = (
  | { kind: 'image'; mime: string; data: string; size: number }
  | { kind: 'pdf'; data: string; size: number }
  | { kind: 'text'; text: string; encoding: string; truncated: boolean; size: number }
  | { kind: 'tooLarge'; size: number; limit: number }
  | { kind: 'unsupported' }
) & { details?: ObjectDetails };

export interface DownloadItem {
  key: string;
  kind: 'file' | 'folder';
}

/** A file being readied for drag-out, named by an opaque id (its cached path stays in main). */
export interface DragItemView {
  id: string;
  bucket: string;
  key: string;
  name: string;
  state: 'preparing' | 'ready' | 'failed';
  bytesDone: number;
  size?: number;
  error?: ErrorView;
}

/** The in-app updater, as the UI shows it. */
export interface UpdateView {
  /** The user's setting: look for updates at start and every few hours. */
  checks: boolean;
  /**
   * `unavailable`: this copy cannot update itself (no release folder in the connection profile,
   * not signed in, or not an installed build); `ready`: downloaded and verified, waiting for a
   * restart; `failed`: the last attempt failed and is retried later by itself.
   */
  status: 'unavailable' | 'idle' | 'checking' | 'upToDate' | 'downloading' | 'ready' | 'failed';
  currentVersion: string;
  /** The new version (downloading, ready). */
  version?: string;
  /** Download progress, 0–100. */
  percent?: number;
  /** "Restart to update" was chosen while downloads run: it happens when they finish. */
  restartPending?: boolean;
  /** Epoch ms of the last answer from the release folder. */
  checkedAt?: number;
  error?: ErrorView;
}

/** The proxy setting as the window shows it. */
export interface ProxySettingsView {
  /** system: the OS's settings (PAC included); direct: no proxy; manual: `url`. */
  mode: 'system' | 'direct' | 'manual';
  url?: string;
  /** Hosts that bypass a manual proxy (NO_PROXY's syntax). */
  bypass?: string;
  /** Where proxy answers come from now (HTTPS_PROXY in the environment overrides the OS). */
  source: 'manual' | 'direct' | 'environment' | 'pac' | 'system' | 'none';
}

/** The network as the window shows it. */
export interface NetworkView {
  /** false while the servers cannot be reached; transfers wait meanwhile. */
  online: boolean;
  /** Epoch ms, while offline. */
  offlineSince?: number;
  /**
   * How far the servers' clock is ahead of this computer's (seconds; negative: behind), when it
   * is more than 5 minutes: Kura corrects for it, but the user should set the clock right.
   */
  clockSkewSeconds?: number;
  proxy: ProxySettingsView;
  /** A proxy asks for a user name and password (answerProxyAuth or cancelProxyAuth). */
  proxyAuth?: { proxy: string; realm?: string; retry: boolean };
}

export interface KuraApi {
  profileList(): Promise<ProfileSummary[]>;
  profileImport(json: string): Promise<ProfileSummary[]>;
  profileActivate(id: string): Promise<SessionView>;

  sessionView(): Promise<SessionView>;
  signIn(username: string, password: string): Promise<SessionView>;
  completeNewPassword(
    newPassword: string,
    attributes: Record<string, string>,
  ): Promise<SessionView>;
  answerMfa(code: string): Promise<SessionView>;
  /** Abandons the challenge under way (new password, MFA code): main forgets it; signed out. */
  cancelChallenge(): Promise<SessionView>;
  /**
   * Sends the SMS code again (an SMS MFA challenge): main signs in once more with the password
   * it keeps only while that challenge lasts.
   */
  resendCode(): Promise<SessionView>;
  forgotPassword(username: string): Promise<{ destination: string }>;
  confirmForgotPassword(username: string, code: string, newPassword: string): Promise<void>;
  signOut(everywhere: boolean): Promise<SessionView>;

  listBuckets(): Promise<BucketEntry[]>;
  /** The places this user can open, in the order the sidebar shows them. */
  locations(): Promise<LocationView[]>;
  /** `requestId`: names the call so `cancelRequest` can abort it (the renderer's own id). */
  listFolder(
    bucket: string,
    prefix: string,
    continuationToken?: string,
    requestId?: string,
  ): Promise<FolderPage>;
  /** One step of a recursive search by name below `prefix`; call again with the token to go on. */
  search(
    bucket: string,
    prefix: string,
    text: string,
    continuationToken?: string,
    requestId?: string,
  ): Promise<SearchPage>;
  preview(bucket: string, key: string, requestId?: string): Promise<PreviewView>;
  /** Downloads into the user's downloads folder; main chooses every path. */
  download(bucket: string, key: string): Promise<TransferView>;
  downloadFolder(bucket: string, prefix: string): Promise<TransferView>;
  /** Several files and folders at once; `ask`: main asks the user for the folder first. */
  downloadItems(bucket: string, items: DownloadItem[], ask: boolean): Promise<TransferView[]>;
  transfers(): Promise<TransferView[]>;
  cancelTransfer(id: string): Promise<void>;
  pauseTransfer(id: string): Promise<void>;
  resumeTransfer(id: string): Promise<void>;
  retryTransfer(id: string): Promise<void>;
  /** Moves a waiting transfer to the front of the queue. */
  prioritizeTransfer(id: string): Promise<void>;
  /** Shows a finished transfer's file or folder in the system file manager. */
  showTransfer(id: string): Promise<void>;
  /**
   * Opens a finished, verified file download with the system's default app. Main decides what
   * it opens (never a path from here): a file it downloaded and checked, still as it was, and
   * not a program or a script.
   */
  openTransfer(id: string): Promise<void>;
  /** Removes finished, cancelled and failed transfers from the list (and their partial files). */
  clearFinishedTransfers(): Promise<void>;
  /** Drags a finished file download out of the downloads panel. */
  dragTransfer(id: string): Promise<void>;
  receipts(): Promise<ReceiptView[]>;
  showReceipt(id: string): Promise<void>;
  /** Saves the download log where the user chooses; false when they cancel. */
  exportReceipts(format: 'csv' | 'json'): Promise<boolean>;
  copyS3Uri(bucket: string, key: string): Promise<void>;
  /** Fetches a file into the drag cache ahead of a drag (selected files up to a size limit). */
  prepareDrag(bucket: string, key: string): Promise<DragItemView>;
  /** Starts the OS drag of ready items; main supplies the files. */
  startDrag(ids: string[]): Promise<void>;

  updateStatus(): Promise<UpdateView>;
  /** Turns the update checks on or off (remembered). */
  setUpdateChecks(enabled: boolean): Promise<UpdateView>;
  checkForUpdates(): Promise<UpdateView>;
  /** Restarts into the downloaded update, at once or as soon as running downloads finish. */
  restartToUpdate(): Promise<UpdateView>;

  signInOptions(): Promise<SignInOptionsView>;
  /**
   * Signs in through the organisation's identity provider in the system browser (a button of
   * signInOptions). Resolves when the browser has sent the user back, or fails (timeout, refused).
   */
  signInWithBrowser(providerId: string): Promise<SessionView>;
  /** Stops waiting for the browser; nothing is kept. */
  cancelBrowserSignIn(): Promise<SessionView>;
  /** Signs out, and out of the organisation's sign-in page in the browser too (managed login). */
  signOutWithBrowser(everywhere: boolean): Promise<SessionView>;
  /** A new authenticator: during sign-in (the mfaSetup challenge) or for the signed-in user. */
  mfaSetupBegin(): Promise<MfaSetupView>;
  /** Its first code: the sign-in completes, or the signed-in user's authenticator is on. */
  mfaSetupVerify(code: string): Promise<SessionView>;
  authenticator(): Promise<AuthenticatorView>;
  removeAuthenticator(): Promise<AuthenticatorView>;
  /** Online or not, a clock far off, the proxy setting, a proxy's question. */
  networkStatus(): Promise<NetworkView>;
  /** The proxy: the OS's settings, none, or this one (`http://host:port`, with hosts that bypass it). */
  setProxySettings(
    mode: 'system' | 'direct' | 'manual',
    url: string,
    bypass: string,
  ): Promise<NetworkView>;
  /** Answers a proxy's question for a user name and password (kept in the keychain). */
  answerProxyAuth(username: string, password: string): Promise<void>;
  cancelProxyAuth(): Promise<void>;
  /**
   * Aborts a listFolder/search/preview call by the id it was given (its S3 request too); it
   * then fails with CANCELLED. An id not (yet) seen is remembered for a while, so a cancel
   * that overtakes its call still stops it.
   */
  cancelRequest(requestId: string): Promise<void>;
  /** The window's remembered settings (the user's own part only while signed in). */
  uiSettings(): Promise<UiSettings>;
  /** Remembers the window's settings; the user's part only while signed in. */
  saveUiSettings(settings: UiSettings): Promise<void>;
}

export type KuraMethod = keyof KuraApi;

export const KURA_API_METHODS = [
  'profileList',
  'profileImport',
  'profileActivate',
  'sessionView',
  'signIn',
  'completeNewPassword',
  'answerMfa',
  'forgotPassword',
  'confirmForgotPassword',
  'signOut',
  'listBuckets',
  'locations',
  'listFolder',
  'search',
  'preview',
  'download',
  'downloadFolder',
  'downloadItems',
  'transfers',
  'cancelTransfer',
  'pauseTransfer',
  'resumeTransfer',
  'retryTransfer',
  'prioritizeTransfer',
  'showTransfer',
  'dragTransfer',
  'receipts',
  'showReceipt',
  'exportReceipts',
  'copyS3Uri',
  'prepareDrag',
  'startDrag',
  'updateStatus',
  'setUpdateChecks',
  'checkForUpdates',
  'restartToUpdate',
  'openTransfer',
  'clearFinishedTransfers',
  'cancelChallenge',
  'resendCode',
  'signInOptions',
  'signInWithBrowser',
  'cancelBrowserSignIn',
  'signOutWithBrowser',
  'mfaSetupBegin',
  'mfaSetupVerify',
  'authenticator',
  'removeAuthenticator',
  'networkStatus',
  'setProxySettings',
  'answerProxyAuth',
  'cancelProxyAuth',
  'cancelRequest',
  'uiSettings',
  'saveUiSettings',
] as const satisfies readonly KuraMethod[];

// Drift check: every KuraApi method is listed (and the list names nothing else).
type Unlisted = Exclude<KuraMethod, (typeof KURA_API_METHODS)[number]>;
export const everyMethodListed: [Unlisted] extends [never] ? true : Unlisted = true;

/** Events main pushes to the renderer. */
export interface KuraEvents {
  session: SessionView;
  transfer: TransferView;
  drag: DragItemView;
  update: UpdateView;
  network: NetworkView;
}

/** What the preload exposes as `window.kura`: the contract plus event subscription. */
export type KuraBridge = KuraApi & {
  on<E extends keyof KuraEvents>(event: E, listener: (payload: KuraEvents[E]) => void): () => void;
};

/** How results cross IPC: errors as views, never as thrown objects with stacks. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorView };

/**
 * What the preload really exposes as `window.kura`: every method resolves to a plain
 * `IpcResult`, never rejects with a KuraError — Electron's contextBridge copies a thrown Error
 * into the page as `Error(message)` and drops everything else on it (the view). The renderer's
 * `api` (src/renderer/api.ts) turns these results back into a `KuraBridge` that rejects with
 * errors carrying their view.
 */
export type KuraWireBridge = {
  [M in KuraMethod]: (
    ...args: Parameters<KuraApi[M]>
  ) => Promise<IpcResult<Awaited<ReturnType<KuraApi[M]>>>>;
} & Pick<KuraBridge, 'on'>;

export const IPC_CHANNEL_PREFIX = 'kura:';
export const IPC_EVENT_CHANNEL = 'kura:event';

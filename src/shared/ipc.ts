/**
 * The renderer API, declared once. The preload bridge, the main-process handler table and the
 * `window.kura` type are all derived from `KuraApi` and `KURA_API_METHODS`, so a method missing
 * on either side is a compile error. Only views cross: no token, no credential, no raw path.
 */
import type { ErrorView } from './errors';
import type { UiSettings } from './uiSettings';

export type SessionView =
  | { status: 'signedOut'; reason?: 'expired' | 'signedOut' }
  | { status: 'restoring' }
  | { status: 'challenge'; challenge: 'newPassword'; requiredAttributes: string[] }
  | { status: 'challenge'; challenge: 'mfa'; method: 'TOTP' | 'SMS'; destination?: string }
  | {
      status: 'signedIn';
      email: string;
      name?: string;
      remembered: boolean;
      notRememberedReason?: string;
    };

export interface ProfileSummary {
  id: string;
  name: string;
  active: boolean;
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
  reason: string;
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
}

/** What the preload exposes as `window.kura`: the contract plus event subscription. */
export type KuraBridge = KuraApi & {
  on<E extends keyof KuraEvents>(event: E, listener: (payload: KuraEvents[E]) => void): () => void;
};

/** How results cross IPC: errors as views, never as thrown objects with stacks. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorView };

export const IPC_CHANNEL_PREFIX = 'kura:';
export const IPC_EVENT_CHANNEL = 'kura:event';

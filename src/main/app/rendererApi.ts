/**
 * The renderer API (src/shared/ipc.ts) implemented over the core services. Every argument has
 * already been validated by the handler table; this class only translates to views.
 */
import type {
  BucketEntry,
  DragItemView,
  FolderPage,
  KuraApi,
  ProfileSummary,
  SessionView,
  TransferView,
} from '../../shared/ipc';
import type { DragCache } from '../services/dragCache';
import type { KuraCore } from '../services/kuraCore';
import { parseProfile } from '../services/profile';
import type { TransferService } from '../services/transfers';

export class RendererApi implements KuraApi {
  constructor(
    private readonly core: KuraCore,
    private readonly transferService: TransferService,
    private readonly drag: {
      cache: DragCache;
      /** The transport's own OS drag (Electron: webContents.startDrag). */
      start: (paths: string[]) => void;
    },
  ) {}

  profileList(): Promise<ProfileSummary[]> {
    return Promise.resolve(this.core.profiles.list());
  }

  profileImport(json: string): Promise<ProfileSummary[]> {
    this.core.profiles.add(parseProfile(json));
    return this.profileList();
  }

  profileActivate(id: string): Promise<SessionView> {
    this.core.profiles.activate(id);
    return this.sessionView();
  }

  sessionView(): Promise<SessionView> {
    if (!this.core.hasProfile) return Promise.resolve({ status: 'signedOut' });
    return Promise.resolve(this.core.active().session.view());
  }

  signIn(username: string, password: string) {
    return this.core.active().session.signIn(username, password);
  }

  completeNewPassword(newPassword: string, attributes: Record<string, string>) {
    return this.core.active().session.completeNewPassword(newPassword, attributes);
  }

  answerMfa(code: string) {
    return this.core.active().session.answerMfa(code);
  }

  forgotPassword(username: string) {
    return this.core.active().session.forgotPassword(username);
  }

  confirmForgotPassword(username: string, code: string, newPassword: string) {
    return this.core.active().session.confirmForgotPassword(username, code, newPassword);
  }

  async signOut(everywhere: boolean): Promise<SessionView> {
    this.transferService.cancelAll();
    await this.core.active().session.signOut(everywhere);
    return this.core.active().session.view();
  }

  listBuckets(): Promise<BucketEntry[]> {
    return this.core.active().storage.listBuckets();
  }

  listFolder(bucket: string, prefix: string, continuationToken?: string): Promise<FolderPage> {
    return this.core.active().storage.listFolder(bucket, prefix, continuationToken);
  }

  download(bucket: string, key: string): Promise<TransferView> {
    return Promise.resolve(this.transferService.downloadFile(bucket, key));
  }

  downloadFolder(bucket: string, prefix: string): Promise<TransferView> {
    return Promise.resolve(this.transferService.downloadFolder(bucket, prefix));
  }

  transfers(): Promise<TransferView[]> {
    return Promise.resolve(this.transferService.list());
  }

  cancelTransfer(id: string): Promise<void> {
    this.transferService.cancel(id);
    return Promise.resolve();
  }

  prepareDrag(bucket: string, key: string): Promise<DragItemView> {
    return Promise.resolve(this.drag.cache.prepare(bucket, key));
  }

  startDrag(ids: string[]): Promise<void> {
    this.drag.start(this.drag.cache.pathsFor(ids));
    return Promise.resolve();
  }
}

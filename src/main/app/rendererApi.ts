/**
 * The renderer API (src/shared/ipc.ts) implemented over the services it is given: the active
 * profile's (activeProfile.ts), the transfer queue, the download log, the drag cache, the
 * updates, the network and the desktop. Every argument has already been validated by the
 * handler table; this class only translates to views.
 */
import type {
  AuthenticatorView,
  BucketEntry,
  DownloadItem,
  MfaSetupView,
  SignInOptionsView,
  DragItemView,
  FolderPage,
  KuraApi,
  LocationView,
  NetworkView,
  PreviewView,
  ProfileSummary,
  ProxySettingsView,
  ReceiptView,
  SessionView,
  TransferView,
  UpdateView,
} from '../../shared/ipc';
import type { UiSettings } from '../../shared/uiSettings';
import { historyOf, receiptsToCsv, type ReceiptLog } from '../services/download/receipts';
import type { DragCache } from '../services/dragCache';
import { KuraError } from '../services/kuraError';
import { enrolment, qrDataUrl } from '../services/authenticatorEnrolment';
import type { NetworkService } from '../services/network/networkService';
import { preview } from '../services/preview';
import { parseProfile } from '../services/profile';
import type { TransferQueue } from '../services/transfers/queue';
import type { UiSettingsStore } from '../services/uiSettingsStore';
import { CancellableRequests } from './cancellableRequests';
import type { UpdateService } from '../services/updates/updateService';
import type { ActiveProfile } from './activeProfile';
import type { DesktopHooks } from './desktopHooks';

export class RendererApi implements KuraApi {
  private readonly requests = new CancellableRequests();

  constructor(
    private readonly active: ActiveProfile,
    private readonly queue: TransferQueue,
    private readonly receiptLog: ReceiptLog,
    private readonly dragCache: DragCache,
    private readonly desktop: DesktopHooks,
    private readonly settings: UiSettingsStore,
    private readonly updates: UpdateService,
    private readonly network: NetworkService,
  ) {}

  profileList(): Promise<ProfileSummary[]> {
    return Promise.resolve(this.active.profiles.list());
  }

  profileImport(json: string): Promise<ProfileSummary[]> {
    this.active.profiles.add(parseProfile(json));
    return this.profileList();
  }

  profileActivate(id: string): Promise<SessionView> {
    this.active.profiles.activate(id);
    return this.sessionView();
  }

  sessionView(): Promise<SessionView> {
    if (!this.active.hasProfile()) return Promise.resolve({ status: 'signedOut' });
    return Promise.resolve(this.active.session().view());
  }

  signIn(username: string, password: string) {
    return this.active.session().signIn(username, password);
  }

  completeNewPassword(newPassword: string, attributes: Record<string, string>) {
    return this.active.session().completeNewPassword(newPassword, attributes);
  }

  answerMfa(code: string) {
    return this.active.session().answerMfa(code);
  }

  cancelChallenge(): Promise<SessionView> {
    if (!this.active.hasProfile()) return Promise.resolve({ status: 'signedOut' });
    return Promise.resolve(this.active.session().cancelChallenge());
  }

  resendCode() {
    return this.active.session().resendCode();
  }

  forgotPassword(username: string) {
    return this.active.session().forgotPassword(username);
  }

  confirmForgotPassword(username: string, code: string, newPassword: string) {
    return this.active.session().confirmForgotPassword(username, code, newPassword);
  }

  async signOut(everywhere: boolean): Promise<SessionView> {
    await this.queue.detach(true);
    await this.active.session().signOut(everywhere);
    return this.active.session().view();
  }

  listBuckets(): Promise<BucketEntry[]> {
    return this.active.storage().listBuckets();
  }

  /** The profile's locations this user may open, or those derived for them (locations.ts). */
  locations(): Promise<LocationView[]> {
    return this.active.access().locations();
  }

  listFolder(
    bucket: string,
    prefix: string,
    continuationToken?: string,
    requestId?: string,
  ): Promise<FolderPage> {
    return this.requests.run(requestId, (signal) =>
      this.active.storage().listFolder(bucket, prefix, continuationToken, undefined, signal),
    );
  }

  search(
    bucket: string,
    prefix: string,
    text: string,
    continuationToken?: string,
    requestId?: string,
  ) {
    return this.requests.run(requestId, (signal) =>
      this.active.storage().search(bucket, prefix, text, continuationToken, signal),
    );
  }

  preview(bucket: string, key: string, requestId?: string): Promise<PreviewView> {
    return this.requests.run(requestId, (signal) =>
      preview(this.active.storage(), bucket, key, signal),
    );
  }

  cancelRequest(requestId: string): Promise<void> {
    this.requests.cancel(requestId);
    return Promise.resolve();
  }

  /** "<profileId>/<user sub>" while someone is signed in: whose folders these are. */
  private settingsOwner(): string | undefined {
    const profile = this.active.profiles.active();
    if (!profile) return undefined;
    const session = this.active.session();
    const sub = session.user?.sub;
    return session.view().status === 'signedIn' && sub ? `${profile.id}/${sub}` : undefined;
  }

  uiSettings(): Promise<UiSettings> {
    return Promise.resolve(this.settings.get(this.settingsOwner()));
  }

  saveUiSettings(settings: UiSettings): Promise<void> {
    this.settings.save(settings, this.settingsOwner());
    return Promise.resolve();
  }

  download(bucket: string, key: string): Promise<TransferView> {
    return Promise.resolve(this.queue.downloadFile(bucket, key));
  }

  downloadFolder(bucket: string, prefix: string): Promise<TransferView> {
    return Promise.resolve(this.queue.downloadFolder(bucket, prefix));
  }

  async downloadItems(bucket: string, items: DownloadItem[], ask: boolean) {
    let dest: string | undefined;
    if (ask) {
      dest = await this.desktop.chooseFolder();
      if (!dest) return [];
    }
    return items.map((i) =>
      i.kind === 'file'
        ? this.queue.downloadFile(bucket, i.key, dest)
        : this.queue.downloadFolder(bucket, i.key, dest),
    );
  }

  transfers(): Promise<TransferView[]> {
    return Promise.resolve(this.queue.list());
  }

  cancelTransfer(id: string): Promise<void> {
    this.queue.cancel(id);
    return Promise.resolve();
  }

  pauseTransfer(id: string): Promise<void> {
    this.queue.pause(id);
    return Promise.resolve();
  }

  resumeTransfer(id: string): Promise<void> {
    this.queue.resume(id);
    return Promise.resolve();
  }

  retryTransfer(id: string): Promise<void> {
    this.queue.retry(id);
    return Promise.resolve();
  }

  prioritizeTransfer(id: string): Promise<void> {
    this.queue.prioritize(id);
    return Promise.resolve();
  }

  showTransfer(id: string): Promise<void> {
    const path = this.queue.pathOf(id);
    if (!path) throw new KuraError('NOT_FOUND');
    this.desktop.reveal(path);
    return Promise.resolve();
  }

  async openTransfer(id: string): Promise<void> {
    await this.desktop.openFile(await this.queue.openablePath(id));
  }

  clearFinishedTransfers(): Promise<void> {
    return this.queue.clearFinished();
  }

  dragTransfer(id: string): Promise<void> {
    const t = this.queue.get(id);
    const path = this.queue.pathOf(id);
    if (!t || t.kind !== 'file' || t.state !== 'done' || !path) throw new KuraError('NOT_FOUND');
    this.desktop.startDrag([path]);
    return Promise.resolve();
  }

  /** The signed-in user's receipts (by their stable id); nobody signed in sees none. */
  private async myReceipts() {
    const owner = this.active.owner();
    if (!owner) throw new KuraError('NOT_SIGNED_IN');
    return this.receiptLog.list({ profileId: owner.profileId, sub: owner.sub });
  }

  /**
   * The download log for History, newest first: one entry per file, and one per folder download
   * (its files counted and their sizes summed), each with the name it was saved under.
   */
  async receipts(): Promise<ReceiptView[]> {
    return historyOf(await this.myReceipts()).slice(0, 1000);
  }

  async showReceipt(id: string): Promise<void> {
    const r = (await this.myReceipts()).find((x) => x.id === id);
    if (!r) throw new KuraError('NOT_FOUND');
    this.desktop.reveal(r.folder?.path ?? r.destination);
  }

  async exportReceipts(format: 'csv' | 'json'): Promise<boolean> {
    const list = await this.myReceipts();
    const stamp = new Date().toISOString().slice(0, 10);
    return this.desktop.saveFile(
      `kura-downloads-${stamp}.${format}`,
      format === 'csv' ? receiptsToCsv(list) : JSON.stringify(list, null, 2) + '\n',
    );
  }

  async copyS3Uri(bucket: string, key: string): Promise<void> {
    await this.desktop.copyText(`s3://${bucket}/${key}`);
  }

  prepareDrag(bucket: string, key: string): Promise<DragItemView> {
    return Promise.resolve(this.dragCache.prepare(bucket, key));
  }

  startDrag(ids: string[]): Promise<void> {
    this.desktop.startDrag(this.dragCache.pathsFor(ids));
    return Promise.resolve();
  }

  updateStatus(): Promise<UpdateView> {
    return Promise.resolve(this.updates.view());
  }

  setUpdateChecks(enabled: boolean): Promise<UpdateView> {
    return this.updates.setChecks(enabled);
  }

  checkForUpdates(): Promise<UpdateView> {
    return this.updates.check();
  }

  restartToUpdate(): Promise<UpdateView> {
    return Promise.resolve(this.updates.restart());
  }

  signInOptions(): Promise<SignInOptionsView> {
    if (!this.active.hasProfile()) return Promise.resolve({ providers: [] });
    const providers = this.active.session().browserSignInProviders;
    return Promise.resolve({
      providers: providers.map((p, i) => ({ id: String(i), label: p.label })),
    });
  }

  signInWithBrowser(providerId: string): Promise<SessionView> {
    return this.active.session().signInWithBrowser(Number(providerId));
  }

  cancelBrowserSignIn(): Promise<SessionView> {
    if (!this.active.hasProfile()) return Promise.resolve({ status: 'signedOut' });
    return Promise.resolve(this.active.session().cancelBrowserSignIn());
  }

  async signOutWithBrowser(everywhere: boolean): Promise<SessionView> {
    await this.queue.detach(true);
    await this.active.session().signOut(everywhere, true);
    return this.active.session().view();
  }

  async mfaSetupBegin(): Promise<MfaSetupView> {
    const { secret, account } = await this.active.session().authenticatorSecret();
    const e = enrolment(secret, account);
    return { qr: await qrDataUrl(e.uri), secret: e.secret, account: e.account };
  }

  mfaSetupVerify(code: string): Promise<SessionView> {
    return this.active.session().verifyAuthenticator(code);
  }

  authenticator(): Promise<AuthenticatorView> {
    return this.active.session().authenticator();
  }

  removeAuthenticator(): Promise<AuthenticatorView> {
    return this.active.session().removeAuthenticator();
  }

  networkStatus(): Promise<NetworkView> {
    return Promise.resolve(this.network.view());
  }

  setProxySettings(mode: ProxySettingsView['mode'], url: string, bypass: string) {
    return Promise.resolve(this.network.setProxy(mode, url, bypass));
  }

  answerProxyAuth(username: string, password: string): Promise<void> {
    this.network.answerProxyAuth(username, password);
    return Promise.resolve();
  }

  cancelProxyAuth(): Promise<void> {
    this.network.cancelProxyAuth();
    return Promise.resolve();
  }
}

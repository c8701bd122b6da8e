/**
 * electron-updater's feed, read from the organisation's bucket: the folder `kura admin
 * publish-release` fills (installers, blockmaps and electron-builder's `latest*.yml`), reached
 * with the signed-in user's own credentials through presigned GET URLs — no public bucket and no
 * update server. electron-updater does everything else as with its generic provider: the version
 * comparison, the download, the SHA-512 check and, on Windows and macOS, the signature check.
 *
 * Plain Node: electron-updater's Provider needs no Electron, and its HTTP executor is the
 * updater's (Electron's net in the app, Node's http in tests).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { CustomPublishOptions } from 'builder-util-runtime';
import { Provider, type ResolvedUpdateFileInfo, type UpdateInfo } from 'electron-updater';
import { parseUpdateInfo, getFileList } from 'electron-updater/out/providers/Provider.js';
import type { ProviderRuntimeOptions } from 'electron-updater/out/providers/Provider.js';

/** Where releases are, and how to reach them with the user's credentials. */
export interface ReleaseFeed {
  bucket: string;
  /** A folder prefix ending in '/'. */
  prefix: string;
  /** The S3 client of the signed-in user (its credentials renew themselves). */
  s3: () => S3Client;
}

/** How long a presigned URL may be used to start a request (at most the credentials' life). */
const URL_SECONDS = 3600;

/**
 * A file name from a feed: one plain file of the release folder. A `latest*.yml` is written by
 * an administrator's tool, but a URL, a path or `..` there would point the app elsewhere.
 */
export function releaseFileName(name: string): string {
  if (
    !/^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,254}$/.test(name) ||
    name.includes('..') ||
    name.endsWith('.')
  ) {
    throw Object.assign(new Error(`the update feed names a file Kura will not fetch: ${name}`), {
      code: 'ERR_KURA_UNSAFE_FEED_FILE',
    });
  }
  return name;
}

export function presignRelease(feed: ReleaseFeed, name: string): Promise<string> {
  return getSignedUrl(
    feed.s3(),
    new GetObjectCommand({ Bucket: feed.bucket, Key: `${feed.prefix}${releaseFileName(name)}` }),
    { expiresIn: URL_SECONDS },
  );
}

interface UpdaterLike {
  readonly channel: string | null;
}

export class S3FeedProvider extends Provider<UpdateInfo> {
  private readonly feed: ReleaseFeed;
  /** Presigned URL (href) → file name, for the blockmaps of a differential download. */
  private readonly names = new Map<string, string>();
  private readonly urls = new Map<string, URL>();

  /** `options.feed`: the ReleaseFeed UpdateService passes along with `provider: 'custom'`. */
  constructor(
    options: CustomPublishOptions,
    private readonly updater: UpdaterLike,
    runtimeOptions: ProviderRuntimeOptions,
  ) {
    super(runtimeOptions);
    this.feed = options.feed as ReleaseFeed;
  }

  private get channel(): string {
    return this.updater.channel
      ? this.getCustomChannelName(this.updater.channel)
      : this.getDefaultChannelName();
  }

  private async url(name: string): Promise<URL> {
    const url = new URL(await presignRelease(this.feed, name));
    this.names.set(url.href, name);
    return url;
  }

  async getLatestVersion(): Promise<UpdateInfo> {
    const channelFile = `${this.channel}.yml`;
    const channelUrl = await this.url(channelFile);
    let text: string | null;
    try {
      text = await this.httpRequest(channelUrl);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      throw Object.assign(new Error(`Cannot find channel "${channelFile}" update info`), {
        code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND',
      });
    }
    const info = parseUpdateInfo(text, channelFile, channelUrl);
    // resolveFiles() is synchronous: presign every file now.
    for (const f of getFileList(info)) this.urls.set(f.url, await this.url(f.url));
    return info;
  }

  resolveFiles(info: UpdateInfo): ResolvedUpdateFileInfo[] {
    return getFileList(info).map((f) => {
      if (f.sha512 == null) throw new Error(`the update feed gives no SHA-512 for ${f.url}`);
      const url = this.urls.get(f.url);
      if (!url) throw new Error(`${f.url} was not in the update feed that was read`);
      return { url, info: f };
    });
  }

  /** The blockmaps of the installed and the new version, beside their installers. */
  override async getBlockMapFiles(
    baseUrl: URL,
    oldVersion: string,
    newVersion: string,
  ): Promise<URL[]> {
    const name = this.names.get(baseUrl.href);
    if (!name) throw new Error('not a file of this update feed');
    const oldName = name.split(newVersion).join(oldVersion);
    return [await this.url(`${oldName}.blockmap`), await this.url(`${name}.blockmap`)];
  }
}

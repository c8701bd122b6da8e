/**
 * S3, read-only: list buckets (or the profile's list when the role may not), list a folder page
 * by page, head, and download a file or a whole folder to the local disk through localFiles
 * (partial file, verify, no overwrite) with hostile keys mapped or refused by safeNames.
 * There is no write operation here, by design.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import type { BucketEntry, FolderPage, SkippedItem } from '../../shared/ipc';
import type { ConnectionProfile } from '../../shared/profile';
import type { RoleCredentials } from './credentials';
import { fromS3Error, KuraError } from './kuraError';
import { ensureFolder, writeNewFile } from './localFiles';
import { safeRelativePath, safeSegment } from './safeNames';

export interface DownloadProgress {
  bytesDone: number;
  bytesTotal?: number;
  filesDone?: number;
  filesTotal?: number;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Save under this file name (mapped like any key segment) instead of the key's own. */
  saveAs?: string;
}

export interface FolderDownloadResult {
  folder: string;
  files: { key: string; path: string; size: number }[];
  skipped: SkippedItem[];
  bytes: number;
}

const lastSegment = (s: string) => s.replace(/\/+$/, '').split('/').pop() ?? s;

export class StorageService {
  private client: S3Client | null = null;

  constructor(
    private readonly profile: ConnectionProfile,
    private readonly credentials: RoleCredentials,
  ) {}

  /** The S3 client; rebuilt after a credential error, because the SDK memoizes credentials. */
  get s3(): S3Client {
    this.client ??= new S3Client({
      region: this.profile.region,
      endpoint: this.profile.endpoints?.s3,
      forcePathStyle: this.profile.s3ForcePathStyle ?? false,
      credentials: this.credentials.provider,
      maxAttempts: 5,
    });
    return this.client;
  }

  /** Runs an S3 call; when AWS refuses the credentials they are renewed and the call tried once more. */
  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      const name = (err as Error).name;
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // HEAD errors have no body, so an expired token there is only "400".
      const refused =
        ['ExpiredToken', 'InvalidToken', 'InvalidAccessKeyId'].includes(name) ||
        (name === 'Unknown' && status === 400);
      if (!refused) throw fromS3Error(err);
      this.credentials.clear();
      this.client?.destroy();
      this.client = null;
      try {
        return await op();
      } catch (again) {
        throw fromS3Error(again);
      }
    }
  }

  async listBuckets(): Promise<BucketEntry[]> {
    try {
      const r = await this.call(() => this.s3.send(new ListBucketsCommand({})));
      return (r.Buckets ?? []).map((b) => ({ name: b.Name!, source: 'account' as const }));
    } catch (err) {
      if (err instanceof KuraError && err.code === 'ACCESS_DENIED') {
        return (this.profile.buckets ?? []).map((name) => ({ name, source: 'profile' as const }));
      }
      throw err;
    }
  }

  async listFolder(
    bucket: string,
    prefix: string,
    continuationToken?: string,
    maxKeys = 1000,
  ): Promise<FolderPage> {
    const r = await this.call(() =>
      this.s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          Delimiter: '/',
          ContinuationToken: continuationToken,
          MaxKeys: maxKeys,
        }),
      ),
    );
    return {
      bucket,
      prefix,
      folders: (r.CommonPrefixes ?? []).map((p) => ({
        prefix: p.Prefix!,
        name: lastSegment(p.Prefix!.slice(prefix.length)),
      })),
      files: (r.Contents ?? [])
        .filter((o) => o.Key !== prefix) // the folder's own marker object
        .map((o) => ({
          key: o.Key!,
          name: o.Key!.slice(prefix.length),
          size: o.Size ?? 0,
          lastModified: o.LastModified?.getTime() ?? 0,
        })),
      ...(r.IsTruncated && r.NextContinuationToken
        ? { continuationToken: r.NextContinuationToken }
        : {}),
    };
  }

  /** Every object under a prefix, page by page (no delimiter). */
  async *listRecursive(bucket: string, prefix: string, signal?: AbortSignal) {
    let token: string | undefined;
    do {
      if (signal?.aborted) throw new KuraError('CANCELLED');
      const r = await this.call(() =>
        this.s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        ),
      );
      for (const o of r.Contents ?? []) {
        yield {
          key: o.Key!,
          size: o.Size ?? 0,
          lastModified: o.LastModified?.getTime() ?? 0,
          etag: o.ETag ?? '',
        };
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  }

  head(bucket: string, key: string) {
    return this.call(() => this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
  }

  private async fetchObject(
    bucket: string,
    key: string,
    signal?: AbortSignal,
  ): Promise<GetObjectCommandOutput> {
    return this.call(() =>
      this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }), {
        abortSignal: signal,
      }),
    );
  }

  /** Writes one object into `destDir/segments…`; verifies size, MD5 ETag and S3's checksum. */
  private async fetchInto(
    bucket: string,
    key: string,
    destRoot: string,
    segments: string[],
    o: DownloadOptions & {
      taken?: Set<string>;
      onBytes?: (n: number) => void;
      onStart?: (size?: number) => void;
    },
  ): Promise<{ path: string; size: number }> {
    const dir = await ensureFolder(destRoot, segments.slice(0, -1));
    const obj = await this.fetchObject(bucket, key, o.signal);
    o.onStart?.(obj.ContentLength);
    const etag = (obj.ETag ?? '').replace(/"/g, '');
    const body = obj.Body as Readable | undefined;
    const source = body ?? Readable.from([]);
    try {
      // The SDK verifies the full-object checksum while streaming and fails the stream on a mismatch.
      const path = await writeNewFile(dir, segments[segments.length - 1]!, source, {
        expectedSize: obj.ContentLength,
        expectedMd5: /^[0-9a-f]{32}$/.test(etag) ? etag : undefined,
        signal: o.signal,
        onBytes: o.onBytes,
        taken: o.taken,
      });
      return { path, size: obj.ContentLength ?? 0 };
    } catch (err) {
      if (err instanceof KuraError) throw err;
      if (/checksum/i.test((err as Error).message))
        throw new KuraError('INTEGRITY', undefined, { cause: err });
      throw fromS3Error(err);
    }
  }

  /** Downloads one object into `destDir` under its (mapped) file name. */
  async download(bucket: string, key: string, destDir: string, o: DownloadOptions = {}) {
    const mapped = safeRelativePath(o.saveAs ?? (lastSegment(key) || key));
    if (!mapped.ok) throw new KuraError('UNSAFE_NAME', `${key}: ${mapped.reason}`);
    let bytesDone = 0;
    let bytesTotal: number | undefined;
    return this.fetchInto(bucket, key, destDir, mapped.segments, {
      ...o,
      onStart: (size) => {
        bytesTotal = size;
        o.onProgress?.({ bytesDone, bytesTotal });
      },
      onBytes: (n) => {
        bytesDone += n;
        o.onProgress?.({ bytesDone, bytesTotal });
      },
    });
  }

  /**
   * Downloads everything under `prefix` into a new folder in `destDir` (named after the prefix,
   * numbered if it exists). Unsafe keys are mapped or skipped one by one and reported.
   */
  async downloadFolder(
    bucket: string,
    prefix: string,
    destDir: string,
    o: DownloadOptions = {},
  ): Promise<FolderDownloadResult> {
    const rootName = safeSegment(lastSegment(prefix) || bucket);
    let folder = '';
    for (let n = 0; !folder; n++) {
      const name = n === 0 ? rootName : `${rootName} (${n})`;
      try {
        await mkdir(join(await ensureFolder(destDir, []), name));
        folder = await ensureFolder(destDir, [name]);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    const result: FolderDownloadResult = { folder, files: [], skipped: [], bytes: 0 };
    const takenByDir = new Map<string, Set<string>>();
    let filesTotal = 0;
    let bytesTotal = 0;
    const progress = () =>
      o.onProgress?.({
        bytesDone: result.bytes,
        bytesTotal,
        filesDone: result.files.length,
        filesTotal,
      });
    for await (const obj of this.listRecursive(bucket, prefix, o.signal)) {
      const relative = obj.key.slice(prefix.length);
      if (relative.endsWith('/') && obj.size === 0) {
        // A folder marker: reproduce the (possibly empty) folder.
        const folderPath = safeRelativePath(relative.replace(/\/+$/, ''));
        if (folderPath.ok) await ensureFolder(folder, folderPath.segments);
        else if (relative.replace(/\/+$/, ''))
          result.skipped.push({ key: obj.key, reason: folderPath.reason });
        continue;
      }
      const mapped = safeRelativePath(relative);
      if (!mapped.ok) {
        result.skipped.push({ key: obj.key, reason: mapped.reason });
        continue;
      }
      filesTotal++;
      bytesTotal += obj.size;
      progress();
      const dirKey = mapped.segments.slice(0, -1).join('/').toLowerCase();
      let taken = takenByDir.get(dirKey);
      if (!taken) takenByDir.set(dirKey, (taken = new Set()));
      try {
        const { path, size } = await this.fetchInto(bucket, obj.key, folder, mapped.segments, {
          signal: o.signal,
          taken,
          onBytes: (n) => {
            result.bytes += n;
            progress();
          },
        });
        result.files.push({ key: obj.key, path, size });
        progress();
      } catch (err) {
        const e = err instanceof KuraError ? err : fromS3Error(err);
        if (
          e.code === 'CANCELLED' ||
          e.code === 'SESSION_EXPIRED' ||
          e.code === 'NETWORK' ||
          e.code === 'DISK'
        )
          throw e;
        result.skipped.push({ key: obj.key, reason: e.message });
      }
    }
    return result;
  }
}

/**
 * S3, read-only, for one signed-in user — the adapter the rest of main reads S3 through: list
 * buckets (or the profile's list when the role may not), list a folder page by page, search, head,
 * and GET (the download engine's reader: it does the downloading, download/). Every call goes out
 * with the credentials of the role that grants its location (userAccess.ts), and an answer that
 * comes back after the user's access was dropped is refused rather than handed to whoever is
 * signed in now. There is no write operation here, by design.
 */
import {
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  type GetObjectCommandInput,
  type GetObjectCommandOutput,
  type HeadObjectCommandOutput,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import type { BucketEntry, FolderPage, SearchMatch, SearchPage } from '../../shared/ipc';
import type { ConnectionProfile } from '../../shared/profile';
import { fromS3Error, KuraError } from './kuraError';
import type { RoleClients, RoleAccess as UserAccess } from './roleAccess';
import { keyName } from '../../shared/keyName';

export class StorageService {
  constructor(
    private readonly profile: ConnectionProfile,
    private readonly access: UserAccess,
  ) {}

  /** Refuses (NOT_SIGNED_IN) once this user's access was dropped: for what is read after a call. */
  assertLive(): void {
    this.access.assertLive();
  }

  /**
   * Runs an S3 call with the paths of the role that opens `key` in `bucket` (the pool's choice
   * for ListBuckets); when AWS refuses the credentials they are renewed and the call tried once
   * more. An answer that arrives after the user's access was dropped is nobody's: refused.
   */
  private async call<T>(
    target: { bucket: string; key: string } | null,
    op: (c: RoleClients) => Promise<T>,
  ): Promise<T> {
    const role = target ? await this.access.roleFor(target.bucket, target.key) : undefined;
    const attempt = async () => {
      const result = await op(this.access.role(role));
      this.access.assertLive();
      return result;
    };
    try {
      return await attempt();
    } catch (err) {
      const name = (err as Error).name;
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // HEAD errors have no body, so an expired token there is only "400".
      const refused =
        ['ExpiredToken', 'InvalidToken', 'InvalidAccessKeyId'].includes(name) ||
        (name === 'Unknown' && status === 400);
      // A HEAD refused by IAM is only "403" too.
      if (name === 'Unknown' && status === 403)
        throw new KuraError('ACCESS_DENIED', undefined, { cause: err });
      if (!refused) throw fromS3Error(err);
      this.access.renew(role);
      try {
        return await attempt();
      } catch (again) {
        throw fromS3Error(again);
      }
    }
  }

  async listBuckets(): Promise<BucketEntry[]> {
    try {
      const r = await this.call(null, (c) => c.s3.send(new ListBucketsCommand({})));
      return (r.Buckets ?? []).map((b) => ({ name: b.Name!, source: 'account' as const }));
    } catch (err) {
      if (err instanceof KuraError && err.code === 'ACCESS_DENIED') {
        return (this.profile.buckets ?? []).map((name) => ({ name, source: 'profile' as const }));
      }
      throw err;
    }
  }

  /** `signal` aborts the S3 request (the window has moved on to another folder). */
  async listFolder(
    bucket: string,
    prefix: string,
    continuationToken?: string,
    maxKeys = 1000,
    signal?: AbortSignal,
  ): Promise<FolderPage> {
    const r = await this.call({ bucket, key: prefix }, (c) =>
      c.s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          Delimiter: '/',
          ContinuationToken: continuationToken,
          MaxKeys: maxKeys,
        }),
        { abortSignal: signal },
      ),
    );
    return {
      bucket,
      prefix,
      folders: (r.CommonPrefixes ?? []).map((p) => ({
        prefix: p.Prefix!,
        name: keyName(p.Prefix!.slice(prefix.length)),
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

  /**
   * One step of a recursive search: lists below `prefix` (no delimiter) and keeps the files
   * whose name contains `text` (case- and NFC/NFD-insensitive), stopping after 5,000 keys or 200
   * matches so the UI can show results as they come and stop when the user cancels.
   */
  async search(
    bucket: string,
    prefix: string,
    text: string,
    token?: string,
    signal?: AbortSignal,
  ): Promise<SearchPage> {
    const needle = text.normalize('NFC').toLowerCase();
    const matches: SearchMatch[] = [];
    let scanned = 0;
    let next = token;
    do {
      const r = await this.listPage(bucket, prefix, next, signal);
      for (const o of r.Contents ?? []) {
        scanned++;
        const key = o.Key!;
        if (key.endsWith('/')) continue;
        const name = keyName(key);
        if (!name.normalize('NFC').toLowerCase().includes(needle)) continue;
        matches.push({
          key,
          name,
          path: key.slice(prefix.length),
          size: o.Size ?? 0,
          lastModified: o.LastModified?.getTime() ?? 0,
        });
      }
      next = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (next && scanned < 5000 && matches.length < 200);
    return { matches, scanned, ...(next ? { continuationToken: next } : {}) };
  }

  /** Every object under a prefix, page by page (no delimiter). */
  async *listRecursive(bucket: string, prefix: string, signal?: AbortSignal) {
    let token: string | undefined;
    do {
      if (signal?.aborted) throw new KuraError('CANCELLED');
      const r = await this.listPage(bucket, prefix, token);
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
    return this.call({ bucket, key }, (c) =>
      c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
    );
  }

  /** HEAD with checksum mode: size, ETag, VersionId and the full-object checksum. */
  headObject(bucket: string, key: string, signal?: AbortSignal): Promise<HeadObjectCommandOutput> {
    return this.call({ bucket, key }, (c) =>
      c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }), {
        abortSignal: signal,
      }),
    );
  }

  /** GetObject through the lean signed path (why: directGet.ts's header); the SDK's answers and errors. */
  getObject(input: GetObjectCommandInput, signal: AbortSignal): Promise<GetObjectCommandOutput> {
    return this.call({ bucket: input.Bucket!, key: input.Key! }, (c) =>
      c.direct.get(input, signal),
    );
  }

  listPage(
    bucket: string,
    prefix: string,
    token?: string,
    signal?: AbortSignal,
  ): Promise<ListObjectsV2CommandOutput> {
    return this.call({ bucket, key: prefix }, (c) =>
      c.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        { abortSignal: signal },
      ),
    );
  }
}

/**
 * Buckets and objects on disk. Each object's bytes live in their own file (named by a random
 * id, so any key — `../x`, `a//b` — is just data); an append-only index per bucket records
 * puts and deletes and is compacted on start. Bytes always stream; nothing is held whole.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  openSync,
  writeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ChecksumSet, checksumOf, type ChecksumAlgorithm } from './checksums';
import { compareUtf8, listSorted, type ListInput, type ListOutput } from './listing';

export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm;
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface ObjectMeta {
  key: string;
  dataId: string;
  size: number;
  /** Hex MD5 for single PUTs; `<md5-of-md5s>-N` for multipart. Unquoted. */
  etag: string;
  lastModified: number;
  contentType: string;
  /** User metadata (x-amz-meta-*); absent when empty, to keep 100k-object indexes small. */
  metadata?: Record<string, string>;
  /** Stored response headers (content-disposition, …); absent when empty. */
  headers?: Record<string, string>;
  checksum: ObjectChecksum;
  parts?: number;
}

const nonEmpty = (r: Record<string, string> | undefined) =>
  r && Object.keys(r).length > 0 ? r : undefined;

export interface PutOptions {
  contentType?: string;
  metadata?: Record<string, string>;
  headers?: Record<string, string>;
  /** The algorithm the client chose; CRC64NVME when none. */
  checksumAlgorithm?: ChecksumAlgorithm;
  /** Called with what was computed; throws to refuse the object (nothing is stored). */
  verify?: (computed: {
    md5: Buffer;
    sha256Hex: string;
    size: number;
    checksums: Partial<Record<ChecksumAlgorithm, string>>;
  }) => void;
}

interface Bucket {
  name: string;
  createdAt: number;
  dir: string;
  objects: Map<string, ObjectMeta>;
  sorted: string[] | null;
}

export class StoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface UploadPart {
  partNumber: number;
  etag: string;
  size: number;
  checksum?: string;
}

interface Upload {
  uploadId: string;
  bucket: string;
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType: 'FULL_OBJECT' | 'COMPOSITE';
  initiated: number;
}

export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** S3's general-purpose bucket naming rules (what CreateBucket refuses as InvalidBucketName). */
export function isValidBucketName(name: string): boolean {
  return (
    BUCKET_NAME.test(name) &&
    !/\.\.|\.-|-\./.test(name) &&
    !/^\d{1,3}(\.\d{1,3}){3}$/.test(name) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) &&
    !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)
  );
}

/** Marks an upload that was completed (its result), in the upload's folder. */
const COMPLETED = 'completed.json';

export class ObjectStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 's3');
    mkdirSync(this.root, { recursive: true });
    for (const name of readdirSync(this.root)) {
      const dir = join(this.root, name);
      if (!existsSync(join(dir, 'bucket.json'))) continue;
      const info = JSON.parse(readFileSync(join(dir, 'bucket.json'), 'utf8')) as {
        createdAt: number;
      };
      const bucket: Bucket = {
        name,
        createdAt: info.createdAt,
        dir,
        objects: new Map(),
        sorted: null,
      };
      this.loadIndex(bucket);
      this.buckets.set(name, bucket);
    }
  }

  private loadIndex(bucket: Bucket) {
    const indexPath = join(bucket.dir, 'index.jsonl');
    if (existsSync(indexPath)) {
      const text = readFileSync(indexPath, 'utf8');
      for (let at = 0; at < text.length;) {
        let end = text.indexOf('\n', at);
        if (end === -1) end = text.length;
        const line = text.slice(at, end);
        at = end + 1;
        if (!line) continue;
        let rec: { op: 'put'; meta: ObjectMeta } | { op: 'del'; key: string };
        try {
          rec = JSON.parse(line) as typeof rec;
        } catch {
          continue; // a torn last line after a crash: the put it described never completed
        }
        if (rec.op === 'put') bucket.objects.set(rec.meta.key, rec.meta);
        else bucket.objects.delete(rec.key);
      }
    }
    // Compact (written in batches, never as one string), and sweep data files that no
    // record points to (writes interrupted by a crash).
    const tmp = `${indexPath}.tmp`;
    const fd = openSync(tmp, 'w');
    let batch = '';
    for (const meta of bucket.objects.values()) {
      batch += JSON.stringify({ op: 'put', meta }) + '\n';
      if (batch.length > 1 << 20) {
        writeSync(fd, batch);
        batch = '';
      }
    }
    writeSync(fd, batch);
    closeSync(fd);
    renameSync(tmp, indexPath);
    const live = new Set(Array.from(bucket.objects.values(), (m) => m.dataId));
    const dataDir = join(bucket.dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    for (const f of readdirSync(dataDir))
      if (!live.has(f)) rmSync(join(dataDir, f), { force: true });
    // Completed uploads are remembered only while the server runs.
    const uploads = join(bucket.dir, 'uploads');
    for (const u of existsSync(uploads) ? readdirSync(uploads) : [])
      if (existsSync(join(uploads, u, COMPLETED)))
        rmSync(join(uploads, u), { recursive: true, force: true });
  }

  listBuckets(): { name: string; createdAt: number }[] {
    return Array.from(this.buckets.values(), (b) => ({
      name: b.name,
      createdAt: b.createdAt,
    })).sort((a, b) => a.name.localeCompare(b.name));
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  private bucket(name: string): Bucket {
    const b = this.buckets.get(name);
    if (!b) throw new StoreError('NoSuchBucket', 'The specified bucket does not exist', 404);
    return b;
  }

  createBucket(name: string): void {
    if (!isValidBucketName(name)) {
      throw new StoreError('InvalidBucketName', 'The specified bucket is not valid.', 400);
    }
    if (this.buckets.has(name)) {
      throw new StoreError(
        'BucketAlreadyOwnedByYou',
        'Your previous request to create the named bucket succeeded and you already own it.',
        409,
      );
    }
    const dir = join(this.root, name);
    mkdirSync(join(dir, 'data'), { recursive: true });
    mkdirSync(join(dir, 'uploads'), { recursive: true });
    const createdAt = Date.now();
    writeFileSync(join(dir, 'bucket.json'), JSON.stringify({ createdAt }));
    writeFileSync(join(dir, 'index.jsonl'), '');
    this.buckets.set(name, { name, createdAt, dir, objects: new Map(), sorted: null });
  }

  deleteBucket(name: string): void {
    const b = this.bucket(name);
    if (b.objects.size > 0)
      throw new StoreError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409);
    rmSync(b.dir, { recursive: true, force: true });
    this.buckets.delete(name);
  }

  head(bucketName: string, key: string): ObjectMeta | undefined {
    return this.bucket(bucketName).objects.get(key);
  }

  objectCount(bucketName: string): number {
    return this.bucket(bucketName).objects.size;
  }

  openRead(bucketName: string, meta: ObjectMeta, start?: number, end?: number): Readable {
    const path = join(this.bucket(bucketName).dir, 'data', meta.dataId);
    return createReadStream(path, { start, end, highWaterMark: 256 * 1024 });
  }

  list(bucketName: string, input: ListInput): ListOutput {
    const b = this.bucket(bucketName);
    if (!b.sorted) b.sorted = Array.from(b.objects.keys()).sort(compareUtf8);
    return listSorted(b.sorted, input);
  }

  /** Streams `source` into a new object; it replaces the old one only once complete and verified. */
  async put(
    bucketName: string,
    key: string,
    source: Readable,
    opts: PutOptions = {},
  ): Promise<ObjectMeta> {
    const b = this.bucket(bucketName);
    checkKey(key);
    const algorithm = opts.checksumAlgorithm ?? 'CRC64NVME';
    const sums = new ChecksumSet(new Set<ChecksumAlgorithm>(['CRC64NVME', algorithm]));
    const dataId = randomUUID();
    const path = join(b.dir, 'data', dataId);
    try {
      await pipeline(
        source,
        new Transform({
          transform(chunk: Buffer, _e, done) {
            sums.update(chunk);
            done(null, chunk);
          },
        }),
        createWriteStream(path, { flags: 'wx', mode: 0o600 }),
      );
      const d = await sums.digest();
      opts.verify?.({ ...d, size: sums.size });
      return this.commit(b, {
        key,
        dataId,
        size: sums.size,
        etag: d.md5.toString('hex'),
        lastModified: Date.now(),
        contentType: opts.contentType || 'application/octet-stream',
        metadata: nonEmpty(opts.metadata),
        headers: nonEmpty(opts.headers),
        checksum: { algorithm, value: d.checksums[algorithm]!, type: 'FULL_OBJECT' },
      });
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
  }

  private commit(b: Bucket, meta: ObjectMeta): ObjectMeta {
    const old = b.objects.get(meta.key);
    appendFileSync(join(b.dir, 'index.jsonl'), JSON.stringify({ op: 'put', meta }) + '\n');
    if (!old) b.sorted = null;
    b.objects.set(meta.key, meta);
    if (old) rmSync(join(b.dir, 'data', old.dataId), { force: true });
    return meta;
  }

  delete(bucketName: string, key: string): void {
    const b = this.bucket(bucketName);
    const old = b.objects.get(key);
    if (!old) return;
    appendFileSync(join(b.dir, 'index.jsonl'), JSON.stringify({ op: 'del', key }) + '\n');
    b.objects.delete(key);
    b.sorted = null;
    rmSync(join(b.dir, 'data', old.dataId), { force: true });
  }

  async copy(
    srcBucket: string,
    srcKey: string,
    dstBucket: string,
    dstKey: string,
    opts: PutOptions,
  ): Promise<ObjectMeta> {
    const meta = this.head(srcBucket, srcKey);
    if (!meta) throw new StoreError('NoSuchKey', 'The specified key does not exist.', 404);
    return this.put(dstBucket, dstKey, this.openRead(srcBucket, meta), {
      contentType: opts.contentType ?? meta.contentType,
      metadata: opts.metadata ?? meta.metadata,
      headers: opts.headers ?? meta.headers,
      checksumAlgorithm: meta.checksum.algorithm,
    });
  }

  // ------------------------------------------------------------ multipart

  private uploadDir(b: Bucket, uploadId: string) {
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(uploadId)) {
      throw new StoreError('NoSuchUpload', 'The specified upload does not exist.', 404);
    }
    return join(b.dir, 'uploads', uploadId);
  }

  private upload(
    bucketName: string,
    key: string,
    uploadId: string,
  ): { b: Bucket; dir: string; up: Upload } {
    const b = this.bucket(bucketName);
    const dir = this.uploadDir(b, uploadId);
    let up: Upload;
    try {
      up = JSON.parse(readFileSync(join(dir, 'upload.json'), 'utf8')) as Upload;
    } catch {
      throw new StoreError('NoSuchUpload', 'The specified upload does not exist.', 404);
    }
    if (up.key !== key || existsSync(join(dir, COMPLETED)))
      throw new StoreError('NoSuchUpload', 'The specified upload does not exist.', 404);
    return { b, dir, up };
  }

  createUpload(
    bucketName: string,
    key: string,
    opts: {
      contentType?: string;
      metadata?: Record<string, string>;
      checksumAlgorithm?: ChecksumAlgorithm;
      checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
    },
  ): string {
    const b = this.bucket(bucketName);
    checkKey(key);
    const uploadId = randomBytes(32).toString('base64url');
    const dir = this.uploadDir(b, uploadId);
    mkdirSync(dir, { recursive: true });
    const up: Upload = {
      uploadId,
      bucket: bucketName,
      key,
      contentType: opts.contentType || 'application/octet-stream',
      metadata: opts.metadata ?? {},
      checksumAlgorithm: opts.checksumAlgorithm,
      checksumType:
        opts.checksumType ??
        (opts.checksumAlgorithm && opts.checksumAlgorithm !== 'CRC64NVME'
          ? 'COMPOSITE'
          : 'FULL_OBJECT'),
      initiated: Date.now(),
    };
    writeFileSync(join(dir, 'upload.json'), JSON.stringify(up));
    return uploadId;
  }

  uploadChecksumAlgorithm(
    bucketName: string,
    key: string,
    uploadId: string,
  ): ChecksumAlgorithm | undefined {
    return this.upload(bucketName, key, uploadId).up.checksumAlgorithm;
  }

  async putPart(
    bucketName: string,
    key: string,
    uploadId: string,
    partNumber: number,
    source: Readable,
    verify: PutOptions['verify'],
    /** The algorithm of a checksum the client sent with this part (checked by `verify`). */
    declared?: ChecksumAlgorithm,
  ): Promise<UploadPart> {
    const { dir, up } = this.upload(bucketName, key, uploadId);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
      throw new StoreError(
        'InvalidArgument',
        'Part number must be an integer between 1 and 10000, inclusive',
        400,
      );
    }
    const algorithms = new Set<ChecksumAlgorithm>(
      [up.checksumAlgorithm, declared].filter((a) => a !== undefined),
    );
    const sums = new ChecksumSet(algorithms);
    const tmp = join(dir, `part-${partNumber}.${randomUUID()}.tmp`);
    try {
      await pipeline(
        source,
        new Transform({
          transform(chunk: Buffer, _e, done) {
            sums.update(chunk);
            done(null, chunk);
          },
        }),
        createWriteStream(tmp, { flags: 'wx', mode: 0o600 }),
      );
      const d = await sums.digest();
      verify?.({ ...d, size: sums.size });
      const part: UploadPart = {
        partNumber,
        etag: d.md5.toString('hex'),
        size: sums.size,
        checksum: up.checksumAlgorithm ? d.checksums[up.checksumAlgorithm] : undefined,
      };
      renameSync(tmp, join(dir, `part-${partNumber}`));
      writeFileSync(join(dir, `part-${partNumber}.json`), JSON.stringify(part));
      return part;
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /**
   * Assembles the parts into the object. `expected`: the whole object's checksum the client
   * sent (x-amz-checksum-*); a mismatch stores nothing and leaves the upload to retry. A second
   * call for an upload already completed answers what the first did, as S3 does.
   */
  async completeUpload(
    bucketName: string,
    key: string,
    uploadId: string,
    requested: { partNumber: number; etag: string }[],
    expected?: { algorithm: ChecksumAlgorithm; value: string },
  ): Promise<ObjectMeta> {
    const b0 = this.bucket(bucketName);
    const completed = join(this.uploadDir(b0, uploadId), COMPLETED);
    if (existsSync(completed)) {
      const meta = JSON.parse(readFileSync(completed, 'utf8')) as ObjectMeta;
      if (meta.key === key) return meta;
    }
    const { b, dir, up } = this.upload(bucketName, key, uploadId);
    if (requested.length === 0) {
      throw new StoreError('MalformedXML', 'You must specify at least one part', 400);
    }
    const parts: UploadPart[] = [];
    let previous = 0;
    for (const r of requested) {
      if (r.partNumber <= previous) {
        throw new StoreError(
          'InvalidPartOrder',
          'The list of parts was not in ascending order.',
          400,
        );
      }
      previous = r.partNumber;
      let part: UploadPart;
      try {
        part = JSON.parse(
          readFileSync(join(dir, `part-${r.partNumber}.json`), 'utf8'),
        ) as UploadPart;
      } catch {
        throw new StoreError(
          'InvalidPart',
          'One or more of the specified parts could not be found.',
          400,
        );
      }
      if (part.etag !== r.etag.replace(/"/g, '')) {
        throw new StoreError(
          'InvalidPart',
          'One or more of the specified parts could not be found.',
          400,
        );
      }
      parts.push(part);
    }
    for (const p of parts.slice(0, -1)) {
      if (p.size < 5 * 1024 * 1024) {
        throw new StoreError(
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed object size.',
          400,
        );
      }
    }
    const algorithm = up.checksumAlgorithm ?? 'CRC64NVME';
    const fullObject = up.checksumType === 'FULL_OBJECT';
    const sums = new ChecksumSet([algorithm]);
    const dataId = randomUUID();
    const path = join(b.dir, 'data', dataId);
    // One pipeline over all the parts: a pipeline per part into the same open file (end:
    // false) left its listeners on the file stream — MaxListenersExceededWarning past 10 parts.
    async function* partBytes() {
      for (const p of parts) yield* createReadStream(join(dir, `part-${p.partNumber}`));
    }
    try {
      await pipeline(
        partBytes(),
        new Transform({
          transform(chunk: Buffer, _e, done) {
            sums.update(chunk);
            done(null, chunk);
          },
        }),
        createWriteStream(path, { flags: 'wx', mode: 0o600 }),
      );
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
    const d = await sums.digest();
    const md5s = Buffer.concat(parts.map((p) => Buffer.from(p.etag, 'hex')));
    const etag = `${createHash('md5').update(md5s).digest('hex')}-${parts.length}`;
    let checksum: ObjectChecksum;
    if (fullObject) {
      checksum = { algorithm, value: d.checksums[algorithm]!, type: 'FULL_OBJECT' };
    } else {
      const value = await checksumOf(
        algorithm,
        parts.map((p) => Buffer.from(p.checksum ?? '', 'base64')),
      );
      checksum = { algorithm, value: `${value}-${parts.length}`, type: 'COMPOSITE' };
    }
    if (expected) {
      const bare = checksum.value.replace(/-\d+$/, '');
      if (expected.algorithm !== algorithm) {
        await rm(path, { force: true });
        throw new StoreError(
          'InvalidRequest',
          `The upload was created using the ${algorithm} checksum algorithm, not ${expected.algorithm}.`,
          400,
        );
      }
      if (expected.value !== checksum.value && expected.value !== bare) {
        await rm(path, { force: true });
        throw new StoreError(
          'BadDigest',
          `The ${algorithm} you specified did not match the calculated checksum.`,
          400,
        );
      }
    }
    const meta = this.commit(b, {
      key,
      dataId,
      size: sums.size,
      etag,
      lastModified: Date.now(),
      contentType: up.contentType,
      metadata: nonEmpty(up.metadata),
      checksum,
      parts: parts.length,
    });
    // The parts go; what the upload became stays, for a client that completes it again.
    for (const f of readdirSync(dir)) if (f.startsWith('part-')) rmSync(join(dir, f));
    writeFileSync(join(dir, COMPLETED), JSON.stringify(meta));
    return meta;
  }

  abortUpload(bucketName: string, key: string, uploadId: string): void {
    const { dir } = this.upload(bucketName, key, uploadId);
    rmSync(dir, { recursive: true, force: true });
  }

  listParts(bucketName: string, key: string, uploadId: string): UploadPart[] {
    const { dir } = this.upload(bucketName, key, uploadId);
    return readdirSync(dir)
      .filter((f) => /^part-\d+\.json$/.test(f))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as UploadPart)
      .sort((a, b) => a.partNumber - b.partNumber);
  }
}

export function checkKey(key: string): void {
  if (key.length === 0)
    throw new StoreError('InvalidArgument', 'Object key must not be empty.', 400);
  if (Buffer.byteLength(key) > 1024) {
    throw new StoreError('KeyTooLongError', 'Your key is too long', 400);
  }
}

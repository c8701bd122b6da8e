/**
 * The S3 REST API on loopback, path-style and virtual-host style (`<bucket>.localhost`).
 * Every request is SigV4-verified (anonymous ones are denied), then authorised against the
 * role's IAM policies, then served by the handler of its operation (a table: operations.ts
 * names the operation; one it does not implement is refused with 501 NotImplemented);
 * bodies stream from and to disk.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Faults } from '../faults';
import { FaultyBody } from '../faults';
import { parseQuery, readSmallBody, requestId, safeDecode } from '../http';
import type { Principal, Principals } from '../iam/principals';
import { SigV4Error, verifySigV4, type Verified } from '../iam/sigv4';
import { AwsChunkedDecoder, ChunkedBodyError } from './awsChunked';
import { checksumHeader, parseAlgorithm, type ChecksumAlgorithm } from './checksums';
import { resolveOperation, type S3Operation } from './operations';
import { StoreError, type ObjectMeta, type ObjectStore, type PutOptions } from './objectStore';
import { parseRange } from './range';
import { blocks, field, xmlDocument, type XmlNode } from './xml';

export class S3Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

const MAX_PUT = 5 * 1024 ** 3;
const STORED_HEADERS = [
  'content-disposition',
  'content-encoding',
  'cache-control',
  'content-language',
  'expires',
];
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
  'response-content-language': 'content-language',
  'response-cache-control': 'cache-control',
  'response-expires': 'expires',
};

const quote = (etag: string) => `"${etag}"`;
const isoDate = (ms: number) => new Date(ms).toISOString();

/** S3's `encoding-type=url`: form-style percent encoding (space → `+`), `/` kept. */
export function urlEncodeKey(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

interface Route {
  bucket?: string;
  key?: string;
  rawPath: string;
  query: Map<string, string>;
}

/** What a handler gets: the request, its signer and what it addresses. */
interface Call {
  r: Route;
  req: IncomingMessage;
  res: ServerResponse;
  v: Verified<Principal>;
  p: Principal;
  bucket: string;
  key: string;
  bucketArn: string;
  objectArn: string;
  bodyFaults: ConstructorParameters<typeof FaultyBody>[0];
}

export interface S3Options {
  region: string;
  accountId: string;
  store: ObjectStore;
  principals: Principals;
  faults: Faults;
  /** Secret for continuation tokens (opaque and tamper-evident). */
  tokenSecret: string;
}

export class S3Api {
  /** What GetObject sent: for tests and the soak (bytes fetched per byte of data). */
  readonly stats = { getObjectRequests: 0, getObjectBytes: 0 };

  constructor(private readonly o: S3Options) {}

  private route(req: IncomingMessage): Route {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const query = parseQuery(q === -1 ? '' : url.slice(q + 1));
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const vhost = /^(.+)\.(?:s3\.)?localhost$/.exec(host);
    if (vhost) {
      const key = rawPath.length > 1 ? safeDecode(rawPath.slice(1)) : undefined;
      return { bucket: vhost[1], key, rawPath, query };
    }
    const slash = rawPath.indexOf('/', 1);
    if (rawPath === '/' || rawPath === '') return { rawPath, query };
    if (slash === -1) return { bucket: safeDecode(rawPath.slice(1)), rawPath, query };
    const key = rawPath.slice(slash + 1);
    return {
      bucket: safeDecode(rawPath.slice(1, slash)),
      key: key === '' ? undefined : safeDecode(key),
      rawPath,
      query,
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const r = this.route(req);
    const resolved = resolveOperation(method, r, r.query, req.headers);
    const op = resolved.kind === 'operation' ? resolved.op : 'Unknown';
    const resource = r.bucket ? `/${r.bucket}${r.key !== undefined ? `/${r.key}` : ''}` : '/';
    try {
      const faults = this.o.faults.take({
        service: 's3',
        operation: op,
        bucket: r.bucket,
        key: r.key,
      });
      if (faults.hold)
        await this.o.faults.hold({ service: 's3', operation: op, bucket: r.bucket, key: r.key });
      if (faults.latencyMs) await new Promise((done) => setTimeout(done, faults.latencyMs));
      if (faults.status === 503)
        throw new S3Error('SlowDown', 'Please reduce your request rate.', 503);
      if (faults.status === 500)
        throw new S3Error(
          'InternalError',
          'We encountered an internal error. Please try again.',
          500,
        );
      if (resolved.kind === 'methodNotAllowed') {
        throw new S3Error(
          'MethodNotAllowed',
          'The specified method is not allowed against this resource.',
          405,
        );
      }
      if (resolved.kind === 'notImplemented') {
        // Refused before the body is read: an unknown sub-resource never reaches an operation.
        throw new S3Error('NotImplemented', `local-aws does not implement ${resolved.what}.`, 501);
      }
      let verified: Verified<Principal> | null;
      try {
        verified = await verifySigV4(
          {
            method,
            rawPath: r.rawPath,
            query: r.query,
            headers: req.headers,
            service: 's3',
            region: this.o.region,
          },
          this.o.principals.lookup,
          this.o.principals.now(),
        );
      } catch (err) {
        if (err instanceof SigV4Error)
          throw new S3Error(err.code, err.message, err.status, err.extra);
        throw err;
      }
      if (!verified) throw new S3Error('AccessDenied', 'Access Denied', 403);
      const bucket = r.bucket ?? '';
      const key = r.key ?? '';
      await this.handlers[resolved.op]({
        r,
        req,
        res,
        v: verified,
        p: verified.principal,
        bucket,
        key,
        bucketArn: `arn:aws:s3:::${bucket}`,
        objectArn: `arn:aws:s3:::${bucket}/${key}`,
        bodyFaults: faults.body,
      });
    } catch (err) {
      this.fail(req, res, err, resource, r);
    }
  }

  /**
   * GET/HEAD of an object: a read that names a version is another action (IAM's
   * s3:GetObjectVersion). Buckets here are never versioned: their one version is "null", as S3
   * answers for them.
   */
  private authorizeRead(c: Call) {
    const version = c.r.query.get('versionId');
    this.authorize(
      c.p,
      version === undefined ? 's3:GetObject' : 's3:GetObjectVersion',
      c.objectArn,
    );
    this.requireBucket(c.bucket);
    if (version !== undefined && version !== 'null')
      throw new S3Error('InvalidArgument', 'Invalid version id specified', 400, {
        ArgumentName: 'versionId',
        ArgumentValue: version,
      });
  }

  private authorize(
    p: Principal,
    action: string,
    resource: string,
    keys: Record<string, string | undefined> = {},
  ) {
    if (this.o.principals.authorize(p, action, resource, keys) !== 'Allow') {
      throw new S3Error(
        'AccessDenied',
        `User: ${this.o.principals.describe(p)} is not authorized to perform: ${action} on resource: "${resource}" because no identity-based policy allows the ${action} action`,
        403,
      );
    }
  }

  private requireBucket(name: string) {
    if (!this.o.store.hasBucket(name)) {
      throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, {
        BucketName: name,
      });
    }
  }

  /** One handler per implemented operation (resolveOperation names the operation). */
  private readonly handlers: Record<S3Operation, (c: Call) => Promise<void> | void> = {
    ListBuckets: ({ res, p }) => {
      this.authorize(p, 's3:ListAllMyBuckets', 'arn:aws:s3:::*');
      this.xml(res, 200, 'ListAllMyBucketsResult', {
        Owner: { ID: this.o.accountId, DisplayName: 'local-aws' },
        Buckets: {
          Bucket: this.o.store
            .listBuckets()
            .map((b) => ({ Name: b.name, CreationDate: isoDate(b.createdAt) })),
        },
      });
    },

    CreateBucket: async ({ req, res, p, bucket, bucketArn }) => {
      this.authorize(p, 's3:CreateBucket', bucketArn);
      await readSmallBody(req);
      try {
        this.o.store.createBucket(bucket);
      } catch (err) {
        if (!(err instanceof StoreError && err.code === 'BucketAlreadyOwnedByYou')) throw err;
      }
      res.writeHead(200, { location: `/${bucket}`, ...this.ids() }).end();
    },

    DeleteBucket: ({ res, p, bucket, bucketArn }) => {
      this.authorize(p, 's3:DeleteBucket', bucketArn);
      this.o.store.deleteBucket(bucket);
      res.writeHead(204, this.ids()).end();
    },

    HeadBucket: ({ res, p, bucket, bucketArn }) => {
      this.authorize(p, 's3:ListBucket', bucketArn);
      this.requireBucket(bucket);
      res.writeHead(200, { 'x-amz-bucket-region': this.o.region, ...this.ids() }).end();
    },

    GetBucketLocation: ({ res, p, bucket, bucketArn }) => {
      this.authorize(p, 's3:GetBucketLocation', bucketArn);
      this.requireBucket(bucket);
      const region = this.o.region === 'us-east-1' ? '' : this.o.region;
      const text = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region}</LocationConstraint>`;
      res.writeHead(200, { 'content-type': 'application/xml', ...this.ids() }).end(text);
    },

    GetBucketVersioning: ({ res, p, bucket, bucketArn }) => {
      this.authorize(p, 's3:GetBucketVersioning', bucketArn);
      this.requireBucket(bucket);
      this.xml(res, 200, 'VersioningConfiguration', {});
    },

    ListObjects: ({ r, res, p, bucket }) => this.list('ListObjects', bucket, r.query, res, p),
    ListObjectsV2: ({ r, res, p, bucket }) => this.list('ListObjectsV2', bucket, r.query, res, p),

    ListMultipartUploads: ({ res, p, bucket, bucketArn }) => {
      this.authorize(p, 's3:ListBucketMultipartUploads', bucketArn);
      this.requireBucket(bucket);
      this.xml(res, 200, 'ListMultipartUploadsResult', { Bucket: bucket, IsTruncated: false });
    },

    GetObject: (c) => {
      this.authorizeRead(c);
      this.getObject(false, c.bucket, c.key, c.req, c.res, c.r.query, c.p, c.bodyFaults);
    },

    HeadObject: (c) => {
      this.authorizeRead(c);
      this.getObject(true, c.bucket, c.key, c.req, c.res, c.r.query, c.p, c.bodyFaults);
    },

    PutObject: async ({ req, res, v, p, bucket, key, objectArn }) => {
      this.authorize(p, 's3:PutObject', objectArn);
      this.requireBucket(bucket);
      const meta = await this.o.store.put(bucket, key, this.body(req, v), this.putOptions(req, v));
      const algo = meta.checksum.algorithm;
      res
        .writeHead(200, {
          etag: quote(meta.etag),
          [checksumHeader(algo)]: meta.checksum.value,
          'x-amz-checksum-type': meta.checksum.type,
          ...this.ids(),
        })
        .end();
    },

    CopyObject: async ({ req, res, v, p, bucket, key, objectArn }) => {
      const source = safeDecode(String(req.headers['x-amz-copy-source']).replace(/^\//, ''));
      const slash = source.indexOf('/');
      const [srcBucket, srcKey] = [source.slice(0, slash), source.slice(slash + 1).split('?')[0]!];
      this.authorize(p, 's3:GetObject', `arn:aws:s3:::${srcBucket}/${srcKey}`);
      this.authorize(p, 's3:PutObject', objectArn);
      this.requireBucket(srcBucket);
      this.requireBucket(bucket);
      const sourceMeta = this.o.store.head(srcBucket, srcKey);
      if (sourceMeta && copyConditionsFail(req, sourceMeta)) {
        throw new S3Error(
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold',
          412,
          { Condition: 'x-amz-copy-source-If-*' },
        );
      }
      const replace = req.headers['x-amz-metadata-directive'] === 'REPLACE';
      const opts = replace ? this.putOptions(req, v) : {};
      const meta = await this.o.store.copy(srcBucket, srcKey, bucket, key, opts);
      this.xml(res, 200, 'CopyObjectResult', {
        LastModified: isoDate(meta.lastModified),
        ETag: quote(meta.etag),
      });
    },

    DeleteObject: ({ res, p, bucket, key, objectArn }) => {
      this.authorize(p, 's3:DeleteObject', objectArn);
      this.requireBucket(bucket);
      this.o.store.delete(bucket, key);
      res.writeHead(204, this.ids()).end();
    },

    DeleteObjects: async ({ req, res, p, bucket }) => {
      this.requireBucket(bucket);
      const xml = (await readSmallBody(req, 2 * 1024 * 1024)).toString('utf8');
      const quiet = field(xml, 'Quiet') === 'true';
      const deleted: XmlNode[] = [];
      const errors: XmlNode[] = [];
      const objects = blocks(xml, 'Object');
      if (objects.length === 0 || objects.length > 1000) {
        // S3's schema allows 1 to 1,000 keys per request; nothing is deleted otherwise.
        throw new S3Error(
          'MalformedXML',
          'The XML you provided was not well-formed or did not validate against our published schema',
          400,
        );
      }
      for (const obj of objects) {
        const k = field(obj, 'Key') ?? '';
        if (
          this.o.principals.authorize(p, 's3:DeleteObject', `arn:aws:s3:::${bucket}/${k}`) !==
          'Allow'
        ) {
          errors.push({ Key: k, Code: 'AccessDenied', Message: 'Access Denied' });
          continue;
        }
        this.o.store.delete(bucket, k);
        if (!quiet) deleted.push({ Key: k });
      }
      this.xml(res, 200, 'DeleteResult', { Deleted: deleted, Error: errors });
    },

    CreateMultipartUpload: async ({ req, res, p, bucket, key, objectArn }) => {
      this.authorize(p, 's3:PutObject', objectArn);
      this.requireBucket(bucket);
      const algorithm = parseAlgorithm(
        req.headers['x-amz-checksum-algorithm'] as string | undefined,
      );
      const typeHeader = req.headers['x-amz-checksum-type'];
      const uploadId = this.o.store.createUpload(bucket, key, {
        contentType: req.headers['content-type'],
        metadata: userMetadata(req),
        checksumAlgorithm: algorithm,
        checksumType:
          typeHeader === 'FULL_OBJECT' || typeHeader === 'COMPOSITE' ? typeHeader : undefined,
      });
      await readSmallBody(req);
      const headers: Record<string, string> = {};
      if (algorithm) headers['x-amz-checksum-algorithm'] = algorithm;
      this.xml(
        res,
        200,
        'InitiateMultipartUploadResult',
        { Bucket: bucket, Key: key, UploadId: uploadId },
        headers,
      );
    },

    UploadPart: async ({ r, req, res, v, p, bucket, key, objectArn }) => {
      this.authorize(p, 's3:PutObject', objectArn);
      this.requireBucket(bucket);
      const uploadId = r.query.get('uploadId') ?? '';
      const algorithm = this.o.store.uploadChecksumAlgorithm(bucket, key, uploadId);
      const opts = this.putOptions(req, v);
      const part = await this.o.store.putPart(
        bucket,
        key,
        uploadId,
        Number(r.query.get('partNumber')),
        this.body(req, v),
        opts.verify,
        opts.checksumAlgorithm,
      );
      const headers: Record<string, string> = { etag: quote(part.etag), ...this.ids() };
      if (algorithm && part.checksum) headers[checksumHeader(algorithm)] = part.checksum;
      res.writeHead(200, headers).end();
    },

    CompleteMultipartUpload: async ({ r, req, res, p, bucket, key, objectArn }) => {
      this.authorize(p, 's3:PutObject', objectArn);
      this.requireBucket(bucket);
      const xml = (await readSmallBody(req, 4 * 1024 * 1024)).toString('utf8');
      const parts = blocks(xml, 'Part').map((b) => ({
        partNumber: Number(field(b, 'PartNumber')),
        etag: field(b, 'ETag') ?? '',
      }));
      const meta = await this.o.store.completeUpload(
        bucket,
        key,
        r.query.get('uploadId') ?? '',
        parts,
        declaredChecksum(req),
      );
      const body: XmlNode = {
        Location: `/${bucket}/${key}`,
        Bucket: bucket,
        Key: key,
        ETag: quote(meta.etag),
      };
      body[`Checksum${meta.checksum.algorithm}`] = meta.checksum.value;
      body.ChecksumType = meta.checksum.type;
      this.xml(res, 200, 'CompleteMultipartUploadResult', body);
    },

    AbortMultipartUpload: ({ r, res, p, bucket, key, objectArn }) => {
      this.authorize(p, 's3:AbortMultipartUpload', objectArn);
      this.requireBucket(bucket);
      this.o.store.abortUpload(bucket, key, r.query.get('uploadId') ?? '');
      res.writeHead(204, this.ids()).end();
    },

    ListParts: ({ r, res, p, bucket, key, objectArn }) => {
      this.authorize(p, 's3:ListMultipartUploadParts', objectArn);
      this.requireBucket(bucket);
      const uploadId = r.query.get('uploadId') ?? '';
      const parts = this.o.store.listParts(bucket, key, uploadId);
      this.xml(res, 200, 'ListPartsResult', {
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        IsTruncated: false,
        Part: parts.map((x) => ({ PartNumber: x.partNumber, ETag: quote(x.etag), Size: x.size })),
      });
    },
  };

  // ---------------------------------------------------------------- listing

  private encodeToken(after: { value: string; isPrefix: boolean }): string {
    const payload = Buffer.from(JSON.stringify([after.value, after.isPrefix ? 1 : 0])).toString(
      'base64url',
    );
    const mac = createHmac('sha256', this.o.tokenSecret)
      .update(payload)
      .digest('base64url')
      .slice(0, 22);
    return `${payload}.${mac}`;
  }

  private decodeToken(token: string): { value: string; isPrefix: boolean } {
    const [payload = '', mac = ''] = token.split('.');
    const expected = createHmac('sha256', this.o.tokenSecret)
      .update(payload)
      .digest('base64url')
      .slice(0, 22);
    if (
      mac.length !== expected.length ||
      !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))
    ) {
      throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', 400, {
        ArgumentName: 'continuation-token',
      });
    }
    const [value, isPrefix] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [
      string,
      number,
    ];
    return { value, isPrefix: isPrefix === 1 };
  }

  private list(
    op: string,
    bucket: string,
    q: Map<string, string>,
    res: ServerResponse,
    p: Principal,
  ) {
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const rawMax = q.get('max-keys');
    const maxKeys = rawMax === undefined ? 1000 : Number(rawMax);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) {
      throw new S3Error(
        'InvalidArgument',
        'Provided max-keys not an integer or within integer range',
        400,
        {
          ArgumentName: 'max-keys',
        },
      );
    }
    const encoding = q.get('encoding-type');
    if (encoding !== undefined && encoding !== 'url') {
      throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', 400, {
        ArgumentName: 'encoding-type',
      });
    }
    this.authorize(p, 's3:ListBucket', `arn:aws:s3:::${bucket}`, {
      's3:prefix': q.has('prefix') ? prefix : undefined,
      's3:delimiter': q.has('delimiter') ? delimiter : undefined,
      's3:max-keys': rawMax,
    });
    this.requireBucket(bucket);
    const enc = (s: string) => (encoding === 'url' ? urlEncodeKey(s) : s);
    const v2 = op === 'ListObjectsV2';
    const token = v2 ? q.get('continuation-token') : undefined;
    const startAfter = v2 ? q.get('start-after') : q.get('marker');
    const after =
      token !== undefined
        ? this.decodeToken(token)
        : startAfter
          ? markerPosition(startAfter, prefix, delimiter)
          : undefined;
    const page = this.o.store.list(bucket, {
      prefix,
      delimiter,
      maxKeys: Math.min(maxKeys, 1000),
      after,
    });
    const contents = page.keys.map((k) => {
      const m = this.o.store.head(bucket, k)!;
      return {
        Key: enc(k),
        LastModified: isoDate(m.lastModified),
        ETag: quote(m.etag),
        ChecksumAlgorithm: m.checksum.algorithm,
        ChecksumType: m.checksum.type,
        Size: m.size,
        StorageClass: 'STANDARD',
      };
    });
    const common = page.commonPrefixes.map((cp) => ({ Prefix: enc(cp) }));
    const body: XmlNode = { Name: bucket, Prefix: enc(prefix) };
    if (v2) {
      if (token !== undefined) body.ContinuationToken = token;
      if (startAfter) body.StartAfter = enc(startAfter);
      body.KeyCount = contents.length + common.length;
    } else {
      body.Marker = enc(startAfter ?? '');
      if (page.truncated && delimiter && page.last) body.NextMarker = enc(page.last.value);
    }
    body.MaxKeys = maxKeys;
    if (delimiter) body.Delimiter = enc(delimiter);
    if (encoding) body.EncodingType = encoding;
    body.IsTruncated = page.truncated;
    if (v2 && page.truncated && page.last) body.NextContinuationToken = this.encodeToken(page.last);
    body.Contents = contents;
    body.CommonPrefixes = common;
    return this.xml(res, 200, 'ListBucketResult', body);
  }

  // -------------------------------------------------------------- objects

  private getObject(
    headOnly: boolean,
    bucket: string,
    key: string,
    req: IncomingMessage,
    res: ServerResponse,
    q: Map<string, string>,
    p: Principal,
    bodyFaults: ConstructorParameters<typeof FaultyBody>[0],
  ) {
    const meta = this.o.store.head(bucket, key);
    if (!meta) {
      // Without s3:ListBucket on the bucket, S3 hides whether a key exists.
      if (this.o.principals.authorize(p, 's3:ListBucket', `arn:aws:s3:::${bucket}`) !== 'Allow') {
        throw new S3Error('AccessDenied', 'Access Denied', 403);
      }
      throw new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
    }
    const conditional = checkConditions(req.headers, meta);
    if (conditional === 304) {
      res
        .writeHead(304, {
          etag: quote(meta.etag),
          'last-modified': new Date(meta.lastModified).toUTCString(),
          ...this.ids(),
        })
        .end();
      return;
    }
    if (conditional === 412) {
      throw new S3Error(
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        412,
        {
          Condition: req.headers['if-match'] ? 'If-Match' : 'If-Unmodified-Since',
        },
      );
    }
    const range = parseRange(req.headers.range, meta.size);
    if (range.kind === 'unsatisfiable') {
      throw new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, {
        RangeRequested: String(req.headers.range),
        ActualObjectSize: String(meta.size),
      });
    }
    const headers: Record<string, string | number> = {
      'content-type': meta.contentType,
      etag: quote(meta.etag),
      'last-modified': new Date(meta.lastModified).toUTCString(),
      'accept-ranges': 'bytes',
      ...meta.headers,
      ...this.ids(),
    };
    for (const [k, val] of Object.entries(meta.metadata ?? {})) headers[`x-amz-meta-${k}`] = val;
    if (meta.parts) headers['x-amz-mp-parts-count'] = meta.parts;
    for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
      const value = q.get(param);
      if (value !== undefined) headers[header] = value;
    }
    if (
      range.kind === 'whole' &&
      String(req.headers['x-amz-checksum-mode']).toUpperCase() === 'ENABLED'
    ) {
      headers[checksumHeader(meta.checksum.algorithm)] = meta.checksum.value;
      headers['x-amz-checksum-type'] = meta.checksum.type;
    }
    let start = 0;
    let end = meta.size - 1;
    let status = 200;
    if (range.kind === 'partial') {
      ({ start, end } = range);
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${meta.size}`;
    }
    headers['content-length'] = meta.size === 0 ? 0 : end - start + 1;
    res.writeHead(status, headers);
    if (headOnly || meta.size === 0) {
      res.end();
      return;
    }
    const source: Readable = this.o.store.openRead(bucket, meta, start, end);
    const faulty =
      Object.keys(bodyFaults).length > 0
        ? new FaultyBody(bodyFaults, () => res.destroy())
        : undefined;
    this.stats.getObjectRequests++;
    (faulty ?? source).on('data', (chunk: Buffer) => (this.stats.getObjectBytes += chunk.length));
    const sent = faulty ? pipeline(source, faulty, res) : pipeline(source, res);
    sent.catch(() => {
      // The client went away or a fault cut the connection: nothing more to send.
      source.destroy();
    });
  }

  /** The request body as the object's bytes (aws-chunked framing removed). */
  private body(req: IncomingMessage, v: Verified<Principal>): Readable {
    const encoding = String(req.headers['content-encoding'] ?? '');
    const streaming = v.payloadHash.startsWith('STREAMING-');
    if (!streaming && !encoding.split(',').some((e) => e.trim() === 'aws-chunked')) return req;
    const signed = v.payloadHash.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    const decoder = new AwsChunkedDecoder(
      signed
        ? {
            signingKey: v.signingKey,
            longDate: v.longDate,
            scope: v.scope,
            seedSignature: v.seedSignature,
          }
        : undefined,
    );
    (req as IncomingMessage & { chunkedDecoder?: AwsChunkedDecoder }).chunkedDecoder = decoder;
    req.pipe(decoder);
    req.on('error', (err) => decoder.destroy(err));
    return decoder;
  }

  private putOptions(req: IncomingMessage, v: Verified<Principal>): PutOptions {
    const h = req.headers;
    const length = Number(h['x-amz-decoded-content-length'] ?? h['content-length'] ?? 0);
    if (length > MAX_PUT) {
      throw new S3Error(
        'EntityTooLarge',
        'Your proposed upload exceeds the maximum allowed size',
        400,
      );
    }
    const trailer = String(h['x-amz-trailer'] ?? '').toLowerCase();
    const fromHeader = parseAlgorithm(
      Object.keys(h)
        .find(
          (k) =>
            k.startsWith('x-amz-checksum-') &&
            k !== 'x-amz-checksum-type' &&
            k !== 'x-amz-checksum-algorithm' &&
            k !== 'x-amz-checksum-mode',
        )
        ?.slice(15),
    );
    const fromTrailer = parseAlgorithm(
      trailer.startsWith('x-amz-checksum-') ? trailer.slice(15) : undefined,
    );
    const algorithm: ChecksumAlgorithm | undefined =
      fromHeader ??
      fromTrailer ??
      parseAlgorithm(h['x-amz-sdk-checksum-algorithm'] as string | undefined);
    const headers: Record<string, string> = {};
    for (const name of STORED_HEADERS) {
      const value = h[name];
      if (
        typeof value === 'string' &&
        !(name === 'content-encoding' && value.trim() === 'aws-chunked')
      ) {
        headers[name] = value.replace(/(^|,\s*)aws-chunked\s*(,|$)/, '$1').replace(/,\s*$/, '');
      }
    }
    const declaredSha = /^[0-9a-f]{64}$/.test(v.payloadHash) ? v.payloadHash : undefined;
    const contentMd5 = typeof h['content-md5'] === 'string' ? h['content-md5'] : undefined;
    const decodedLength = h['x-amz-decoded-content-length'];
    return {
      contentType: h['content-type'],
      metadata: userMetadata(req),
      headers,
      checksumAlgorithm: algorithm,
      verify: (c) => {
        if (declaredSha && c.sha256Hex !== declaredSha) {
          throw new S3Error(
            'XAmzContentSHA256Mismatch',
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
            400,
          );
        }
        if (contentMd5 && c.md5.toString('base64') !== contentMd5) {
          throw new S3Error(
            'BadDigest',
            'The Content-MD5 you specified did not match what we received.',
            400,
          );
        }
        if (decodedLength !== undefined && Number(decodedLength) !== c.size) {
          throw new S3Error(
            'IncompleteBody',
            'You did not provide the number of bytes specified by the Content-Length HTTP header',
            400,
          );
        }
        if (algorithm) {
          const decoder = (req as IncomingMessage & { chunkedDecoder?: AwsChunkedDecoder })
            .chunkedDecoder;
          const expected =
            (h[checksumHeader(algorithm)] as string | undefined) ??
            decoder?.trailers[checksumHeader(algorithm)];
          if (expected !== undefined && expected !== c.checksums[algorithm]) {
            throw new S3Error(
              'BadDigest',
              `The ${algorithm} you specified did not match the calculated checksum.`,
              400,
            );
          }
        }
      },
    };
  }

  // ------------------------------------------------------------- replies

  private ids(): Record<string, string> {
    return {
      'x-amz-request-id': requestId(),
      'x-amz-id-2': randomBytes(24).toString('base64'),
      server: 'AmazonS3',
    };
  }

  private xml(
    res: ServerResponse,
    status: number,
    root: string,
    body: XmlNode,
    extra: Record<string, string> = {},
  ) {
    const text = xmlDocument(root, body);
    res.writeHead(status, {
      'content-type': 'application/xml',
      'content-length': Buffer.byteLength(text),
      ...this.ids(),
      ...extra,
    });
    res.end(text);
  }

  private fail(
    req: IncomingMessage,
    res: ServerResponse,
    err: unknown,
    resource: string,
    r: Route,
  ) {
    let e: S3Error;
    if (err instanceof S3Error) e = err;
    else if (err instanceof StoreError)
      e = new S3Error(err.code, err.message, err.status, r.key ? { Key: r.key } : {});
    else if (err instanceof ChunkedBodyError) e = new S3Error(err.code, err.message, 400);
    else {
      e = new S3Error('InternalError', 'We encountered an internal error. Please try again.', 500);
      console.error('local-aws: S3 internal error', err);
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const headers: Record<string, string> = { ...this.ids() };
    if (e.code === 'InvalidRange') headers['content-range'] = `bytes */${e.extra.ActualObjectSize}`;
    if (e.code === 'SlowDown') headers['retry-after'] = '1';
    // A request whose body we did not read: close the connection rather than drain it.
    if (!req.readableEnded) headers.connection = 'close';
    if (req.method === 'HEAD') {
      res.writeHead(e.status, headers).end();
    } else {
      const text = xmlDocument('Error', {
        Code: e.code,
        Message: e.message,
        ...e.extra,
        Resource: resource,
        RequestId: headers['x-amz-request-id'],
      }).replace(' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"', '');
      res.writeHead(e.status, {
        ...headers,
        'content-type': 'application/xml',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    }
  }
}

function userMetadata(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.startsWith('x-amz-meta-') && typeof v === 'string') out[k.slice(11)] = v;
  }
  return out;
}

/**
 * Where a v1 `marker` (or a v2 `start-after`) resumes: a marker that is itself a common prefix
 * (the NextMarker of a page that ended on one) skips that whole group, so it is not listed again.
 */
function markerPosition(marker: string, prefix: string, delimiter: string) {
  const d = delimiter && marker.startsWith(prefix) ? marker.indexOf(delimiter, prefix.length) : -1;
  return { value: marker, isPrefix: d !== -1 && d + delimiter.length === marker.length };
}

/** The whole-object checksum a client declares on CompleteMultipartUpload, if any. */
function declaredChecksum(req: IncomingMessage) {
  for (const [name, value] of Object.entries(req.headers)) {
    if (!name.startsWith('x-amz-checksum-') || typeof value !== 'string') continue;
    const algorithm = parseAlgorithm(name.slice('x-amz-checksum-'.length));
    if (algorithm) return { algorithm, value };
  }
  return undefined;
}

/** CopyObject's x-amz-copy-source-if-* conditions on the source: true when the copy must not run. */
function copyConditionsFail(req: IncomingMessage, meta: ObjectMeta): boolean {
  const h = req.headers;
  const header = (n: string) => (typeof h[n] === 'string' ? h[n] : undefined);
  return (
    checkConditions(
      {
        'if-match': header('x-amz-copy-source-if-match'),
        'if-none-match': header('x-amz-copy-source-if-none-match'),
        'if-modified-since': header('x-amz-copy-source-if-modified-since'),
        'if-unmodified-since': header('x-amz-copy-source-if-unmodified-since'),
      },
      meta,
      // As for GET: If-Match decides over If-Unmodified-Since, If-None-Match over
      // If-Modified-Since; for a copy every failed condition is 412.
    ) !== null
  );
}

/** RFC 7232 precedence as S3 applies it: 304, 412, or null to serve. */
function checkConditions(h: IncomingMessage['headers'], meta: ObjectMeta): 304 | 412 | null {
  const etagMatches = (list: string) =>
    list.split(',').some((t) => {
      const tag = t.trim().replace(/^W\//, '');
      return tag === '*' || tag.replace(/"/g, '') === meta.etag;
    });
  const modifiedSince = (header: string | undefined) => {
    const t = header ? Date.parse(header) : NaN;
    return Number.isNaN(t) ? null : Math.floor(meta.lastModified / 1000) * 1000 > t;
  };
  const ifMatch = h['if-match'];
  const ifNoneMatch = h['if-none-match'];
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch)) return 412;
  } else if (modifiedSince(h['if-unmodified-since']) === true) {
    return 412;
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch)) return 304;
  } else if (modifiedSince(h['if-modified-since']) === false) {
    return 304;
  }
  return null;
}

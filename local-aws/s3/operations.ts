/**
 * Which S3 operation a request is, from its method, what it addresses (the service, a bucket or
 * an object) and its sub-resources — the query parameters that select an operation (`?acl`,
 * `?uploads`, `?partNumber` …). A request local-aws does not implement is named as such, so it
 * is refused with 501 instead of falling through to an implemented operation (a `PUT ?acl`
 * must never be stored as the object's new, empty body). Ordinary parameters (`prefix`,
 * `max-keys`, `x-id`, `response-*` …) do not select an operation and are left to the handler.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type S3Operation =
  | 'ListBuckets'
  | 'CreateBucket'
  | 'DeleteBucket'
  | 'HeadBucket'
  | 'GetBucketLocation'
  | 'GetBucketVersioning'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'ListMultipartUploads'
  | 'DeleteObjects'
  | 'GetObject'
  | 'HeadObject'
  | 'PutObject'
  | 'CopyObject'
  | 'DeleteObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts';

/**
 * Query parameters that select an S3 operation (the sub-resources of SigV2 signing, and those
 * added since). Any of them on a request makes it a different operation from the plain one.
 */
export const SUB_RESOURCES = new Set([
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'logging',
  'metadataConfiguration',
  'metadataTable',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'partNumber',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'renameObject',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'session',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

type Level = 'service' | 'bucket' | 'object';

/** `METHOD level ?sub&sub` (sub-resources sorted) → the operation; the only ones implemented. */
const ROUTES: Record<string, S3Operation | ((h: IncomingHttpHeaders) => S3Operation)> = {
  'GET service': 'ListBuckets',
  'GET bucket': 'ListObjects',
  'GET bucket ?location': 'GetBucketLocation',
  'GET bucket ?versioning': 'GetBucketVersioning',
  'GET bucket ?uploads': 'ListMultipartUploads',
  'HEAD bucket': 'HeadBucket',
  'PUT bucket': 'CreateBucket',
  'DELETE bucket': 'DeleteBucket',
  'POST bucket ?delete': 'DeleteObjects',
  'GET object': 'GetObject',
  'GET object ?uploadId': 'ListParts',
  // A read naming a version (judged as s3:GetObjectVersion; buckets here have only "null").
  'GET object ?versionId': 'GetObject',
  'HEAD object': 'HeadObject',
  'HEAD object ?versionId': 'HeadObject',
  'PUT object': (h) => (h['x-amz-copy-source'] ? 'CopyObject' : 'PutObject'),
  // UploadPartCopy (a copy source on a part) is not implemented: see `resolveOperation`.
  'PUT object ?partNumber&uploadId': 'UploadPart',
  'POST object ?uploads': 'CreateMultipartUpload',
  'POST object ?uploadId': 'CompleteMultipartUpload',
  'DELETE object': 'DeleteObject',
  'DELETE object ?uploadId': 'AbortMultipartUpload',
};

const METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);

export type Resolved =
  | { kind: 'operation'; op: S3Operation }
  /** A real S3 operation local-aws does not implement: 501 NotImplemented. */
  | { kind: 'notImplemented'; what: string }
  /** No S3 operation has this shape: 405 MethodNotAllowed. */
  | { kind: 'methodNotAllowed' };

export function resolveOperation(
  method: string,
  target: { bucket?: string; key?: string },
  query: Map<string, string>,
  headers: IncomingHttpHeaders,
): Resolved {
  const level: Level = !target.bucket ? 'service' : target.key === undefined ? 'bucket' : 'object';
  const subs = [...query.keys()].filter((k) => SUB_RESOURCES.has(k)).sort();
  const shape = `${method} ${level}${subs.length ? ` ?${subs.join('&')}` : ''}`;
  if (!METHODS.has(method)) return { kind: 'methodNotAllowed' };
  const route = ROUTES[shape];
  if (route === undefined) {
    // PostObject (a browser form upload) is S3's; the other sub-resource-less shapes are not.
    if (subs.length === 0 && shape !== 'POST bucket') return { kind: 'methodNotAllowed' };
    return { kind: 'notImplemented', what: shape.replace(/^(\w+) (\w+)/, '$1 on a $2') };
  }
  const op = typeof route === 'function' ? route(headers) : route;
  if (op === 'UploadPart' && headers['x-amz-copy-source'])
    return { kind: 'notImplemented', what: 'UploadPartCopy' };
  if (op === 'ListObjects') {
    const listType = query.get('list-type');
    if (listType === '2') return { kind: 'operation', op: 'ListObjectsV2' };
    if (listType !== undefined) return { kind: 'notImplemented', what: `list-type=${listType}` };
  }
  return { kind: 'operation', op };
}

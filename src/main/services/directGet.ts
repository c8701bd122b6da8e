/**
 * GetObject without the SDK's middleware stack: one SigV4-signed GET (@smithy/signature-v4, the
 * SDK's own signer) over a keep-alive agent. This is the one place that says why every GET goes
 * this way (StorageService.getObject, the engine's reader), while listings and HEADs, a few per
 * download, keep the SDK client. The download engine sends one request per small
 * file and per range, and on a 10,000-file folder the SDK's per-request work (endpoint rules,
 * serde, middleware, response checksum in JavaScript — the engine checks the checksum itself)
 * was most of the client's CPU: this path costs about a third (bench/results/download.md).
 * Answers have the SDK's shape (ETag, ContentLength, Checksum*, Body …) and errors carry the S3
 * error code as `name` and `$metadata.httpStatusCode`, so the rest of Kura cannot tell.
 * Requests go through Kura's network (network.ts: proxy, trust, connectivity) and are signed
 * with the servers' time (a computer whose clock is minutes off is corrected, as the SDK does:
 * a RequestTimeTooSkewed answer's Date header sets the skew, and the request is sent again).
 */
import { createHash, createHmac } from 'node:crypto';
import type { GetObjectCommandInput, GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { ConnectionProfile } from '../../shared/profile';
import type { Transport } from './network/network';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** node:crypto as the signer's hash (sha256, or HMAC-SHA256 with a key). */
type Source = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Source) =>
  typeof d === 'string'
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

class NodeSha256 {
  private readonly h;
  constructor(secret?: Source) {
    this.h = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: Source) {
    this.h.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
}

/** S3's strict RFC 3986 encoding of each key segment; '/' kept, empty segments kept. */
export const encodeKey = (key: string) =>
  key
    .split('/')
    .map((s) =>
      encodeURIComponent(s).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');

export class S3ResponseError extends Error {
  readonly $metadata: { httpStatusCode: number; requestId?: string };
  constructor(code: string, message: string, status: number, requestId?: string) {
    super(message || code);
    this.name = code;
    this.$metadata = { httpStatusCode: status, requestId };
  }
}

const CHECKSUM_HEADERS = {
  ChecksumCRC64NVME: 'x-amz-checksum-crc64nvme',
  ChecksumCRC32: 'x-amz-checksum-crc32',
  ChecksumCRC32C: 'x-amz-checksum-crc32c',
  ChecksumSHA1: 'x-amz-checksum-sha1',
  ChecksumSHA256: 'x-amz-checksum-sha256',
} as const;

export class DirectGet {
  private readonly signer: SignatureV4;
  private readonly base: URL;
  private readonly pathStyle: boolean;

  constructor(
    private readonly profile: ConnectionProfile,
    credentials: AwsCredentialIdentityProvider,
    private readonly transport: Transport,
  ) {
    this.signer = new SignatureV4({
      credentials,
      region: profile.region,
      service: 's3',
      sha256: NodeSha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
    const suffix = profile.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    this.base = new URL(profile.endpoints?.s3 ?? `https://s3.${profile.region}.${suffix}`);
    this.pathStyle = profile.s3ForcePathStyle ?? false;
  }

  /** Where a request for this object goes: virtual-hosted unless path style is asked or needed. */
  target(bucket: string, key: string): { hostname: string; port: string; path: string } {
    const virtual = !this.pathStyle && !bucket.includes('.');
    return {
      hostname: virtual ? `${bucket}.${this.base.hostname}` : this.base.hostname,
      port: this.base.port,
      path: `${this.base.pathname.replace(/\/$/, '')}${virtual ? '' : `/${bucket}`}/${encodeKey(key)}`,
    };
  }

  async get(input: GetObjectCommandInput, signal: AbortSignal): Promise<GetObjectCommandOutput> {
    try {
      return await this.send(input, signal);
    } catch (err) {
      // The answer's Date header has set the clock's skew by now: signed again, it passes.
      if (err instanceof S3ResponseError && err.name === 'RequestTimeTooSkewed')
        return this.send(input, signal);
      throw err;
    }
  }

  private async send(
    input: GetObjectCommandInput,
    signal: AbortSignal,
  ): Promise<GetObjectCommandOutput> {
    const t = this.target(input.Bucket!, input.Key!);
    const host = t.port ? `${t.hostname}:${t.port}` : t.hostname;
    const headers: Record<string, string> = { host, 'x-amz-content-sha256': EMPTY_SHA256 };
    if (input.Range) headers.range = input.Range;
    if (input.IfMatch) headers['if-match'] = input.IfMatch;
    if (input.ChecksumMode) headers['x-amz-checksum-mode'] = input.ChecksumMode;
    const query: Record<string, string> = {};
    if (input.VersionId) query.versionId = input.VersionId;
    const signed = await this.signer.sign(
      {
        method: 'GET',
        protocol: this.base.protocol,
        hostname: t.hostname,
        port: t.port ? Number(t.port) : undefined,
        path: t.path,
        query,
        headers,
      },
      { signingDate: new Date(this.transport.network.clock.now()) },
    );
    const search = input.VersionId ? `?versionId=${encodeURIComponent(input.VersionId)}` : '';
    const url = new URL(`${this.base.protocol}//${host}${t.path}${search}`);
    const {
      body: res,
      headers: h,
      status,
    } = await this.transport.request(url, {
      method: 'GET',
      headers: signed.headers,
      signal,
    });
    if (status !== 200 && status !== 206) {
      // S3's XML error (a HEAD-like answer may have none).
      let text = '';
      for await (const c of res) if (text.length < 65536) text += (c as Buffer).toString('utf8');
      const code =
        /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ??
        (status >= 500 ? 'InternalError' : `Http${status}`);
      const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '';
      throw new S3ResponseError(code, message, status, String(h['x-amz-request-id'] ?? ''));
    }
    const one = (name: string) => {
      const v = h[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const out: Record<string, unknown> = {
      $metadata: { httpStatusCode: status, requestId: one('x-amz-request-id') },
      Body: res,
      ETag: one('etag'),
      ContentLength: Number(one('content-length') ?? 0),
      ContentRange: one('content-range'),
      ContentType: one('content-type'),
      VersionId: one('x-amz-version-id'),
      ChecksumType: one('x-amz-checksum-type'),
    };
    for (const [field, header] of Object.entries(CHECKSUM_HEADERS)) {
      const v = one(header);
      if (v) out[field] = v;
    }
    return out as unknown as GetObjectCommandOutput;
  }

  /** Nothing of its own to close: the connections are the network's, shared. */
  destroy() {}
}

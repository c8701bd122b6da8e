/**
 * Decodes `Content-Encoding: aws-chunked` bodies — the SDK's default streamed upload
 * (STREAMING-UNSIGNED-PAYLOAD-TRAILER) and the signed-chunk variants — so objects are
 * stored without their framing. Chunk signatures are verified when the payload is signed.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export interface ChunkSigning {
  signingKey: Uint8Array;
  longDate: string;
  scope: string;
  seedSignature: string;
}

export class ChunkedBodyError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const MAX_LINE = 8192;

export class AwsChunkedDecoder extends Transform {
  readonly trailers: Record<string, string> = {};
  decodedLength = 0;
  private state: 'header' | 'data' | 'crlf' | 'trailer' | 'done' = 'header';
  private line: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private chunkSignature = '';
  private previousSignature: string;
  private chunkHash = createHash('sha256');

  constructor(private readonly signing?: ChunkSigning) {
    super();
    this.previousSignature = signing?.seedSignature ?? '';
  }

  private verifyChunk(dataHashHex: string) {
    if (!this.signing) return;
    const stringToSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      this.signing.longDate,
      this.signing.scope,
      this.previousSignature,
      EMPTY_SHA256,
      dataHashHex,
    ].join('\n');
    const expected = createHmac('sha256', this.signing.signingKey)
      .update(stringToSign)
      .digest('hex');
    const given = Buffer.from(this.chunkSignature);
    if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
      throw new ChunkedBodyError('SignatureDoesNotMatch', 'A chunk signature does not match.');
    }
    this.previousSignature = expected;
  }

  /** Takes bytes up to CRLF into `this.line`; returns the rest, or null if no CRLF yet. */
  private takeLine(buf: Buffer): { line: string; rest: Buffer } | null {
    const joined = this.line.length ? Buffer.concat([this.line, buf]) : buf;
    const at = joined.indexOf('\r\n');
    if (at === -1) {
      if (joined.length > MAX_LINE)
        throw new ChunkedBodyError('InvalidChunkSizeError', 'Chunk header too long.');
      this.line = joined;
      return null;
    }
    this.line = Buffer.alloc(0);
    return { line: joined.subarray(0, at).toString('latin1'), rest: joined.subarray(at + 2) };
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      let buf = chunk;
      while (buf.length > 0 && this.state !== 'done') {
        if (this.state === 'data') {
          const n = Math.min(this.remaining, buf.length);
          const piece = buf.subarray(0, n);
          if (this.signing) this.chunkHash.update(piece);
          this.push(piece);
          this.decodedLength += n;
          this.remaining -= n;
          buf = buf.subarray(n);
          if (this.remaining === 0) {
            if (this.signing) this.verifyChunk(this.chunkHash.digest('hex'));
            this.state = 'crlf';
          }
          continue;
        }
        const taken = this.takeLine(buf);
        if (!taken) break;
        buf = taken.rest;
        if (this.state === 'crlf') {
          if (taken.line !== '')
            throw new ChunkedBodyError('IncompleteBody', 'Malformed chunk framing.');
          this.state = 'header';
        } else if (this.state === 'header') {
          const [sizeHex = '', ...ext] = taken.line.split(';');
          if (!/^[0-9a-fA-F]{1,16}$/.test(sizeHex)) {
            throw new ChunkedBodyError('InvalidChunkSizeError', 'Invalid chunk size.');
          }
          this.chunkSignature = ext.find((e) => e.startsWith('chunk-signature='))?.slice(16) ?? '';
          this.remaining = parseInt(sizeHex, 16);
          this.chunkHash = createHash('sha256');
          if (this.remaining === 0) {
            this.verifyChunk(EMPTY_SHA256);
            this.state = 'trailer';
          } else {
            this.state = 'data';
          }
        } else if (this.state === 'trailer') {
          if (taken.line === '') {
            this.state = 'done';
          } else {
            const colon = taken.line.indexOf(':');
            if (colon > 0) {
              this.trailers[taken.line.slice(0, colon).trim().toLowerCase()] = taken.line
                .slice(colon + 1)
                .trim();
            }
          }
        }
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    // A body that ends right after its trailers, without the closing blank line, is accepted.
    if (this.state === 'done' || (this.state === 'trailer' && this.line.length === 0)) done();
    else
      done(new ChunkedBodyError('IncompleteBody', 'The request body ended before the last chunk.'));
  }
}

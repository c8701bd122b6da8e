/**
 * Server-side SigV4: recompute the signature of an incoming request with
 * @smithy/signature-v4's own canonicalisation and compare in constant time.
 * Header auth and presigned URLs (query auth); session tokens and their expiry;
 * 15 minutes of clock skew. S3 signs the raw, still-encoded path; other services the
 * normalised, escaped one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { createScope, getSigningKey, SignatureV4Base } from '@smithy/signature-v4';

export const MAX_SKEW_MS = 15 * 60 * 1000;
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export class SigV4Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 403,
    /** More fields for S3's XML error body. */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface SigningSecret<P> {
  secretAccessKey: string;
  sessionToken?: string;
  /** Epoch seconds; temporary credentials only. */
  expiresAt?: number;
  principal: P;
}

export interface IncomingSigned {
  method: string;
  rawPath: string;
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
  /** The service the endpoint serves (the credential scope must name it). */
  service: string;
  /** The region the endpoint serves (the credential scope must name it too). */
  region: string;
  /** For services other than S3: the whole body, hashed into the signature. */
  body?: Buffer;
}

export interface Verified<P> {
  principal: P;
  accessKeyId: string;
  /** The payload hash the signature covers (S3: as declared in x-amz-content-sha256). */
  payloadHash: string;
  presigned: boolean;
  /** For aws-chunked signed payloads: what the chunk signatures chain from. */
  seedSignature: string;
  signingKey: Uint8Array;
  scope: string;
  longDate: string;
}

class Canonicaliser extends SignatureV4Base {
  constructor(service: string) {
    super({
      service,
      region: 'unused',
      credentials: { accessKeyId: '', secretAccessKey: '' },
      sha256: Sha256,
      uriEscapePath: service !== 's3',
    });
  }

  canonicalRequest(req: HttpRequest, headers: Record<string, string>, payloadHash: string) {
    return this.createCanonicalRequest(req, headers, payloadHash);
  }

  stringToSign(longDate: string, scope: string, canonical: string) {
    return this.createStringToSign(longDate, scope, canonical, 'AWS4-HMAC-SHA256');
  }
}

const canonicalisers = new Map<string, Canonicaliser>();
function canonicaliser(service: string) {
  let c = canonicalisers.get(service);
  if (!c) canonicalisers.set(service, (c = new Canonicaliser(service)));
  return c;
}

interface AuthParts {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  longDate: string;
  presigned: boolean;
  expiresSeconds?: number;
  sessionToken?: string;
}

function parseCredential(credential: string) {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    throw new SigV4Error(
      'AuthorizationHeaderMalformed',
      'The authorization header is malformed; the Credential is mal-formed.',
      400,
    );
  }
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  return { accessKeyId, date, region, service };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function authParts(req: IncomingSigned): AuthParts | null {
  const algorithm = req.query.get('X-Amz-Algorithm');
  if (algorithm !== undefined) {
    if (algorithm !== 'AWS4-HMAC-SHA256') {
      throw new SigV4Error(
        'AuthorizationQueryParametersError',
        'Unsupported X-Amz-Algorithm.',
        400,
      );
    }
    const credential = req.query.get('X-Amz-Credential');
    const longDate = req.query.get('X-Amz-Date');
    const signed = req.query.get('X-Amz-SignedHeaders');
    const signature = req.query.get('X-Amz-Signature');
    const expires = Number(req.query.get('X-Amz-Expires'));
    if (!credential || !longDate || !signed || !signature || !Number.isInteger(expires)) {
      throw new SigV4Error(
        'AuthorizationQueryParametersError',
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
        400,
      );
    }
    if (expires < 1 || expires > 604800) {
      throw new SigV4Error(
        'AuthorizationQueryParametersError',
        'X-Amz-Expires must be between 1 and 604800 seconds.',
        400,
      );
    }
    return {
      ...parseCredential(credential),
      signedHeaders: signed.split(';'),
      signature,
      longDate,
      presigned: true,
      expiresSeconds: expires,
      sessionToken: req.query.get('X-Amz-Security-Token'),
    };
  }
  const auth = headerValue(req.headers, 'authorization');
  if (!auth) return null;
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(auth);
  if (!m) {
    throw new SigV4Error(
      'InvalidArgument',
      'Unsupported Authorization Type: only AWS4-HMAC-SHA256 is accepted.',
      400,
    );
  }
  const fields = new Map<string, string>();
  for (const piece of m[1]!.split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) fields.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signed = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const longDate = headerValue(req.headers, 'x-amz-date');
  if (!credential || !signed || !signature) {
    throw new SigV4Error(
      'AuthorizationHeaderMalformed',
      'The authorization header is malformed; it must contain Credential, SignedHeaders and Signature.',
      400,
    );
  }
  if (!longDate) {
    throw new SigV4Error(
      'AccessDenied',
      'AWS authentication requires a valid Date or x-amz-date header',
    );
  }
  return {
    ...parseCredential(credential),
    signedHeaders: signed.split(';'),
    signature,
    longDate,
    presigned: false,
    sessionToken: headerValue(req.headers, 'x-amz-security-token'),
  };
}

function parseLongDate(longDate: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(longDate);
  if (!m) return null;
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = m.slice(1).map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

const safeEqual = (a: string, b: string) => {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
};

/**
 * Verifies the request's signature. Returns null for an anonymous request (no auth at all);
 * throws SigV4Error with the S3/IAM error code for anything else that is wrong.
 */
export async function verifySigV4<P>(
  req: IncomingSigned,
  lookup: (accessKeyId: string) => SigningSecret<P> | undefined,
  nowMs: number,
): Promise<Verified<P> | null> {
  const parts = authParts(req);
  if (!parts) return null;
  if (parts.service !== req.service) {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      `Credential should be scoped to correct service: '${req.service}'.`,
    );
  }
  if (parts.region !== req.region) {
    // As S3 answers a request signed for another region (the SDK then retries in the right one).
    throw new SigV4Error(
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${parts.region}' is wrong; expecting '${req.region}'`,
      400,
      { Region: req.region },
    );
  }
  if (!parts.signedHeaders.includes('host')) {
    // SigV4 always signs Host: without it a signature could be replayed against another host.
    throw new SigV4Error(
      'AccessDenied',
      'There were headers present in the request which were not signed',
      403,
      { HeadersNotSigned: 'host' },
    );
  }
  const secret = lookup(parts.accessKeyId);
  if (!secret) {
    throw new SigV4Error(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  }
  const signedAt = parseLongDate(parts.longDate);
  if (signedAt === null || parts.longDate.slice(0, 8) !== parts.date) {
    throw new SigV4Error(
      'AccessDenied',
      'The date of the request is malformed or does not match the credential scope.',
    );
  }
  if (parts.presigned) {
    if (nowMs > signedAt + parts.expiresSeconds! * 1000) {
      throw new SigV4Error('AccessDenied', 'Request has expired');
    }
    if (signedAt - nowMs > MAX_SKEW_MS) {
      throw new SigV4Error('AccessDenied', 'Request is not valid yet');
    }
  } else if (Math.abs(nowMs - signedAt) > MAX_SKEW_MS) {
    throw new SigV4Error(
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  }
  if (secret.sessionToken !== undefined) {
    if (!parts.sessionToken) {
      throw new SigV4Error(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
      );
    }
    if (!safeEqual(parts.sessionToken, secret.sessionToken)) {
      throw new SigV4Error(
        'InvalidToken',
        'The provided token is malformed or otherwise invalid.',
        400,
      );
    }
    if (secret.expiresAt !== undefined && nowMs >= secret.expiresAt * 1000) {
      throw new SigV4Error('ExpiredToken', 'The provided token has expired.', 400);
    }
  } else if (parts.sessionToken) {
    throw new SigV4Error(
      'InvalidToken',
      'The provided token is malformed or otherwise invalid.',
      400,
    );
  }

  const canonicalHeaders: Record<string, string> = {};
  for (const name of parts.signedHeaders) {
    const value = headerValue(req.headers, name);
    if (value === undefined) {
      throw new SigV4Error(
        'SignatureDoesNotMatch',
        `Signed header '${name}' is missing from the request.`,
      );
    }
    canonicalHeaders[name] = value.trim().replace(/\s+/g, ' ');
  }
  let payloadHash: string;
  if (req.service === 's3') {
    payloadHash = parts.presigned
      ? (req.query.get('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD)
      : (headerValue(req.headers, 'x-amz-content-sha256') ?? '');
    if (!payloadHash) {
      throw new SigV4Error(
        'InvalidRequest',
        'Missing required header for this request: x-amz-content-sha256',
        400,
      );
    }
  } else {
    const sha = new Sha256();
    sha.update(req.body ?? new Uint8Array());
    payloadHash = Buffer.from(await sha.digest()).toString('hex');
  }
  const query: Record<string, string> = {};
  for (const [k, v] of req.query) if (k !== 'X-Amz-Signature') query[k] = v;
  const httpRequest = new HttpRequest({
    method: req.method,
    path: req.rawPath,
    query,
    headers: canonicalHeaders,
    hostname: '',
    protocol: 'http:',
  });
  const c = canonicaliser(req.service);
  const canonical = c.canonicalRequest(httpRequest, canonicalHeaders, payloadHash);
  const scope = createScope(parts.date, parts.region, parts.service);
  const stringToSign = await c.stringToSign(parts.longDate, scope, canonical);
  const signingKey = await getSigningKey(
    Sha256,
    { accessKeyId: parts.accessKeyId, secretAccessKey: secret.secretAccessKey },
    parts.date,
    parts.region,
    parts.service,
  );
  const expected = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  if (!safeEqual(expected, parts.signature.toLowerCase())) {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  }
  return {
    principal: secret.principal,
    accessKeyId: parts.accessKeyId,
    payloadHash,
    presigned: parts.presigned,
    seedSignature: expected,
    signingKey,
    scope,
    longDate: parts.longDate,
  };
}

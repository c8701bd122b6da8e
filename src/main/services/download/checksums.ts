/**
 * What a finished download is checked against, and the hashers that check it. S3 reports a
 * full-object checksum (CRC64NVME, CRC32, CRC32C, SHA-1 or SHA-256) for whole-object reads and
 * HEAD with checksum mode; a composite multipart value (`…-N`) is a checksum of part checksums
 * and cannot be compared with the bytes, so it is not used. A plain 32-hex ETag is the MD5 of a
 * single-part object; a multipart ETag (`…-N`) is not. The CRCs use aws-crt's native code when
 * it loads (≈ 2 GB/s here against ≈ 0.6 GB/s for the JavaScript CRC64NVME), and the AWS SDK's
 * JavaScript implementations otherwise.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import { AwsCrc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';

export const CHECKSUM_ALGORITHMS = ['CRC64NVME', 'CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface ExpectedChecksum {
  algorithm: ChecksumAlgorithm | 'MD5';
  /** Base64 of the digest for S3 checksums; lower-case hex for an MD5 ETag. */
  value: string;
}

/** The fields of a GetObject/HeadObject answer that carry checksums. */
export interface ChecksumFields {
  ETag?: string;
  ChecksumCRC64NVME?: string;
  ChecksumCRC32?: string;
  ChecksumCRC32C?: string;
  ChecksumSHA1?: string;
  ChecksumSHA256?: string;
  ChecksumType?: string;
}

export const unquote = (etag: string | undefined) => (etag ?? '').replace(/"/g, '');

/** The strongest check this object allows: its full-object checksum, else an MD5 ETag. */
export function expectedChecksum(o: ChecksumFields): ExpectedChecksum | undefined {
  if (o.ChecksumType !== 'COMPOSITE') {
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const value = o[`Checksum${algorithm}`];
      if (value && !value.includes('-')) return { algorithm, value };
    }
  }
  const etag = unquote(o.ETag).toLowerCase();
  return /^[0-9a-f]{32}$/.test(etag) ? { algorithm: 'MD5', value: etag } : undefined;
}

export interface Hasher {
  update(b: Uint8Array): void;
  digest(): Promise<string>;
}

export interface CrtChecksums {
  crc32(data: Uint8Array, previous?: number): number;
  crc32c(data: Uint8Array, previous?: number): number;
  crc64nvme(data: Uint8Array, previous?: DataView): DataView;
}

// `require`, not `import()`: main is a CommonJS bundle inside the asar, where an import() of a
// package goes through Electron's ES module loader and its asar regressions. This module runs as
// that bundle (Electron, the CLI: __filename) and as an ES module (tests, tsx: import.meta.url).
const requireHere = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);

/**
 * aws-crt's native checksums, or null where its binary cannot load — then the JavaScript CRCs
 * are used (about 3× slower), and that is logged once with the reason, never silently.
 */
export function loadNativeChecksums(
  load: () => unknown = () => requireHere('aws-crt'),
  log: (message: string) => void = (m) => console.warn(m),
): CrtChecksums | null {
  try {
    const mod = load() as { checksums?: CrtChecksums; default?: { checksums?: CrtChecksums } };
    const checksums = mod.checksums ?? mod.default?.checksums;
    if (!checksums) throw new Error('aws-crt has no checksums module');
    return checksums;
  } catch (err) {
    log(
      `kura: aws-crt's native checksums did not load (${(err as Error).message.split('\n')[0]}); verifying downloads with the JavaScript CRC instead (about 3× slower)`,
    );
    return null;
  }
}

let crt: CrtChecksums | null | undefined;
function loadCrt(): CrtChecksums | null {
  if (crt === undefined) crt = loadNativeChecksums();
  return crt;
}

const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b.toString('base64');
};

/** A hasher producing the value in the form S3 (or the ETag) states it. */
export function createHasher(algorithm: ExpectedChecksum['algorithm']): Promise<Hasher> {
  return Promise.resolve(hasherFor(algorithm));
}

function hasherFor(algorithm: ExpectedChecksum['algorithm']): Hasher {
  const native = loadCrt();
  switch (algorithm) {
    case 'MD5':
    case 'SHA1':
    case 'SHA256': {
      const h = createHash(algorithm.toLowerCase());
      return {
        update: (b) => h.update(b),
        digest: () => Promise.resolve(h.digest(algorithm === 'MD5' ? 'hex' : 'base64')),
      };
    }
    case 'CRC32': {
      let v = 0;
      return { update: (b) => (v = crc32(b, v)), digest: () => Promise.resolve(u32(v)) };
    }
    case 'CRC32C': {
      if (native) {
        let v: number | undefined;
        return {
          update: (b) => (v = native.crc32c(b, v)),
          digest: () => Promise.resolve(u32(v ?? 0)),
        };
      }
      const c = new AwsCrc32c();
      return {
        update: (b) => c.update(b),
        digest: async () => Buffer.from(await c.digest()).toString('base64'),
      };
    }
    case 'CRC64NVME': {
      if (native) {
        let v: DataView | undefined;
        return {
          update: (b) => (v = native.crc64nvme(b, v)),
          digest: () =>
            Promise.resolve(
              v
                ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
                : 'AAAAAAAAAAA=',
            ),
        };
      }
      const c = new Crc64Nvme();
      return {
        update: (b) => c.update(b),
        digest: async () => Buffer.from(await c.digest()).toString('base64'),
      };
    }
  }
}

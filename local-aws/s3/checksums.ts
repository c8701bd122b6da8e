/** Full-object checksums as S3 computes and reports them (base64 of the big-endian digest). */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { AwsCrc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';

export const CHECKSUM_ALGORITHMS = ['CRC64NVME', 'CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export const checksumHeader = (a: ChecksumAlgorithm) => `x-amz-checksum-${a.toLowerCase()}`;

export function parseAlgorithm(value: string | undefined): ChecksumAlgorithm | undefined {
  const upper = value?.toUpperCase();
  return CHECKSUM_ALGORITHMS.find((a) => a === upper);
}

interface Hasher {
  update(b: Buffer): void;
  digest(): Promise<Buffer>;
}

function hasher(a: ChecksumAlgorithm): Hasher {
  switch (a) {
    case 'CRC64NVME': {
      const c = new Crc64Nvme();
      return { update: (b) => c.update(b), digest: async () => Buffer.from(await c.digest()) };
    }
    case 'CRC32': {
      let v = 0;
      return {
        update: (b) => (v = crc32(b, v)),
        digest: () => {
          const out = Buffer.alloc(4);
          out.writeUInt32BE(v >>> 0);
          return Promise.resolve(out);
        },
      };
    }
    case 'CRC32C': {
      const c = new AwsCrc32c();
      return { update: (b) => c.update(b), digest: async () => Buffer.from(await c.digest()) };
    }
    case 'SHA1':
    case 'SHA256': {
      const h = createHash(a === 'SHA1' ? 'sha1' : 'sha256');
      return { update: (b) => h.update(b), digest: () => Promise.resolve(h.digest()) };
    }
  }
}

/** Hashes a stream of bytes with several algorithms (plus MD5 for the ETag) at once. */
export class ChecksumSet {
  private readonly hashers = new Map<ChecksumAlgorithm, Hasher>();
  private readonly md5 = createHash('md5');
  private readonly sha256 = createHash('sha256');
  size = 0;

  constructor(algorithms: Iterable<ChecksumAlgorithm>) {
    for (const a of algorithms) if (!this.hashers.has(a)) this.hashers.set(a, hasher(a));
  }

  update(b: Buffer): void {
    this.size += b.length;
    this.md5.update(b);
    this.sha256.update(b);
    for (const h of this.hashers.values()) h.update(b);
  }

  async digest(): Promise<{
    md5: Buffer;
    sha256Hex: string;
    checksums: Partial<Record<ChecksumAlgorithm, string>>;
  }> {
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const [a, h] of this.hashers) checksums[a] = (await h.digest()).toString('base64');
    return { md5: this.md5.digest(), sha256Hex: this.sha256.digest('hex'), checksums };
  }
}

/** A checksum of checksums: S3's COMPOSITE multipart value, without the `-N` suffix. */
export async function checksumOf(a: ChecksumAlgorithm, parts: Buffer[]): Promise<string> {
  const h = hasher(a);
  for (const p of parts) h.update(p);
  return (await h.digest()).toString('base64');
}

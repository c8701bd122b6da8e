/**
 * What a finished download is checked against, and the hashers that check it. S3 reports a
 * full-object checksum (CRC64NVME, CRC32, CRC32C, SHA-1 or SHA-256) for whole-object reads and
 * HEAD with checksum mode; a composite multipart value (`…-N`) is a checksum of part checksums
 * and cannot be compared with the bytes, so it is not used. A plain 32-hex ETag is the MD5 of a
 * single-part object; a multipart ETag (`…-N`) is not. CRC32 is zlib's. CRC32C uses aws-crt's
 * native code when it loads, the AWS SDK's JavaScript otherwise. CRC64NVME — what S3 computes by
 * default, so what nearly every download is verified with — is chosen in one place
 * (`crc64Nvme()`): Kura's own addon (native/crc64nvme) where it was built and the CPU has
 * carry-less multiplication (PCLMULQDQ: ≈ 0.1 CPU-s per GiB), else aws-crt (its prebuilt binary
 * computes CRC64NVME in software: ≈ 1 CPU-s per GiB), else the addon's slice-by-8 table, else the
 * SDK's JavaScript (bench/results/crc64.md).
 *
 * The CRCs can also be computed by pieces and joined (`createPieceHasher`): crc(A‖B) follows from
 * crc(A), crc(B) and the length of B (zlib's crc32_combine, for any reflected CRC whose initial
 * value and final XOR are all ones — CRC32, CRC32C, CRC64NVME). Parallel ranges are then hashed
 * from memory as they are written, each on its own, instead of being read back from the disk.
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
      const native = loadCrt();
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
      const c = crc64Nvme().piece();
      return {
        update: (b) => c.update(b),
        digest: async () => bigEndian(await c.value(), 8).toString('base64'),
      };
    }
  }
}

// ------------------------------------------------------------- CRCs by pieces

/** A reflected CRC's polynomial (reversed bit order) and width, for joining pieces. */
const REFLECTED: Partial<Record<ChecksumAlgorithm, { poly: bigint; width: bigint }>> = {
  CRC32: { poly: 0xedb88320n, width: 32n },
  CRC32C: { poly: 0x82f63b78n, width: 32n },
  CRC64NVME: { poly: 0x9a6c9329ac4bc9b5n, width: 64n },
};

/** a(x)·b(x) mod p(x), bit-reflected (zlib's multmodp). */
function multmodp(a: bigint, b: bigint, poly: bigint, width: bigint): bigint {
  let m = 1n << (width - 1n);
  let p = 0n;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ poly : b >> 1n;
  }
  return p;
}

const powers = new Map<string, bigint>();
/** x^(8·n) mod p(x): what shifting a CRC over n zero bytes multiplies it by (parts share n). */
function xPow8n(n: number, poly: bigint, width: bigint): bigint {
  const key = `${poly}/${n}`;
  const known = powers.get(key);
  if (known !== undefined) return known;
  if (powers.size > 64) powers.clear();
  let p = 1n << (width - 1n); // x^0
  let square = 1n << (width - 2n); // x^1
  // x^(2^k) for k = 0, 1, 2 … by squaring; n bytes are 8n bits: start from x^8 = x^(2^3).
  for (let k = 0; k < 3; k++) square = multmodp(square, square, poly, width);
  for (let left = BigInt(n); left > 0n; left >>= 1n) {
    if (left & 1n) p = multmodp(square, p, poly, width);
    square = multmodp(square, square, poly, width);
  }
  powers.set(key, p);
  return p;
}

/** The CRC of A‖B from crc(A), crc(B) and B's length in bytes. */
export function combineCrc(
  algorithm: ChecksumAlgorithm,
  crcA: bigint,
  crcB: bigint,
  lengthB: number,
): bigint {
  const r = REFLECTED[algorithm];
  if (!r) throw new Error(`${algorithm} cannot be joined`);
  if (lengthB === 0) return crcA;
  if (crcA === 0n) return crcB; // the first piece: nothing to shift
  return multmodp(xPow8n(lengthB, r.poly, r.width), crcA, r.poly, r.width) ^ crcB;
}

export interface Piece {
  update(b: Uint8Array): void;
  /** The CRC of the bytes given so far. */
  value(): Promise<bigint>;
}

export interface PieceHasher {
  /** A hasher for one piece, starting empty. */
  piece(): Piece;
  /** The whole object's checksum, as S3 states it, from its pieces in order. */
  join(pieces: { crc: bigint; length: number }[]): string;
}

const toBigInt = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

/** Pieces for the CRC algorithms; null for the others (MD5 and SHA must run in order). */
export function createPieceHasher(
  algorithm: ExpectedChecksum['algorithm'],
  /** false: the JavaScript implementations even where native code loads (tests). */
  useNative = true,
): PieceHasher | null {
  if (algorithm !== 'CRC32' && algorithm !== 'CRC32C' && algorithm !== 'CRC64NVME') return null;
  const bytes = algorithm === 'CRC64NVME' ? 8 : 4;
  const native = algorithm === 'CRC32C' && useNative ? loadCrt() : null;
  const piece = (): Piece => {
    if (algorithm === 'CRC32') {
      let v = 0;
      return { update: (b) => (v = crc32(b, v)), value: () => Promise.resolve(BigInt(v >>> 0)) };
    }
    if (native) {
      let v: number | undefined;
      return {
        update: (b) => (v = native.crc32c(b, v)),
        value: () => Promise.resolve(BigInt((v ?? 0) >>> 0)),
      };
    }
    if (algorithm === 'CRC64NVME') return (useNative ? crc64Nvme() : crc64Javascript).piece();
    const c = new AwsCrc32c();
    return { update: (b) => c.update(b), value: async () => toBigInt(await c.digest()) };
  };
  return {
    piece,
    join(pieces) {
      let crc = 0n;
      for (const p of pieces) crc = combineCrc(algorithm, crc, p.crc, p.length);
      return bigEndian(crc, bytes).toString('base64');
    },
  };
}

const bigEndian = (v: bigint, bytes: number) =>
  Buffer.from(v.toString(16).padStart(bytes * 2, '0'), 'hex');

// ------------------------------------------------------------- CRC64NVME: which code

/**
 * Kura's addon (native/crc64nvme/src/crc64nvme.c): `crc64` continues from `previous` (the value
 * for the bytes before; 0n or nothing to start), `crc64Table` the same with the table alone,
 * `simd` names what `crc64` uses ('pclmulqdq' or 'none').
 */
export interface KuraCrc64 {
  crc64: (data: ArrayBufferView, previous?: bigint) => bigint;
  crc64Table: (data: ArrayBufferView, previous?: bigint) => bigint;
  simd: string;
}

/** What computes CRC64NVME, fastest first. */
export type Crc64Implementation = 'kura-pclmulqdq' | 'aws-crt' | 'kura-table' | 'javascript';

export interface Crc64Source {
  implementation: Crc64Implementation;
  /** A CRC64NVME over bytes given in order, starting empty. */
  piece(): Piece;
}

/** Kura's CRC64NVME addon, or null where it was not built (no compiler at install) or fails to load. */
export function loadKuraCrc64(
  load: () => unknown = () => requireHere('@kura/crc64nvme'),
): KuraCrc64 | null {
  try {
    const mod = load() as Partial<KuraCrc64>;
    return typeof mod.crc64 === 'function' && typeof mod.crc64Table === 'function'
      ? (mod as KuraCrc64)
      : null;
  } catch {
    return null;
  }
}

const crc64Bigint = (
  implementation: Crc64Implementation,
  crc: (data: Uint8Array, previous: bigint) => bigint,
): Crc64Source => ({
  implementation,
  piece() {
    let v = 0n;
    return { update: (b) => (v = crc(b, v)), value: () => Promise.resolve(v) };
  },
});

const crc64Javascript: Crc64Source = {
  implementation: 'javascript',
  piece() {
    const c = new Crc64Nvme();
    return { update: (b) => c.update(b), value: async () => toBigInt(await c.digest()) };
  },
};

/**
 * The one place that decides which code computes CRC64NVME: Kura's addon when it uses the CPU's
 * carry-less multiplication, else aws-crt's native code, else the addon's table, else the SDK's
 * JavaScript (only then is the slowdown logged, by loadNativeChecksums).
 */
export function chooseCrc64(kura: KuraCrc64 | null, crt: () => CrtChecksums | null): Crc64Source {
  if (kura && kura.simd !== 'none') return crc64Bigint('kura-pclmulqdq', kura.crc64);
  const native = crt();
  if (native)
    return {
      implementation: 'aws-crt',
      piece() {
        let v: DataView | undefined;
        return {
          update: (b) => (v = native.crc64nvme(b, v)),
          value: () => Promise.resolve(v ? v.getBigUint64(0, false) : 0n),
        };
      },
    };
  if (kura) return crc64Bigint('kura-table', kura.crc64Table);
  return crc64Javascript;
}

let crc64: Crc64Source | undefined;
/** The CRC64NVME this process uses (decided once). */
export function crc64Nvme(): Crc64Source {
  crc64 ??= chooseCrc64(loadKuraCrc64(), loadCrt);
  return crc64;
}

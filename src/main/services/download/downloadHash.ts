/**
 * The running check of one download: hashes the bytes as they are written, from memory, so the
 * finished file is rarely read back.
 *
 * - CRCs (CRC64NVME, CRC32, CRC32C: what S3 reports for whole objects) are computed part by part
 *   — each range on its own as its bytes are written — and joined at the end (checksums.ts), so
 *   parallel ranges cost no second pass over the disk. Bytes an earlier run left in the file
 *   are hashed from it once, when the download resumes.
 * - MD5 and SHA must see the bytes in order: what is written at the front of the file is hashed
 *   from memory, the rest is read back in the background as the contiguous prefix grows.
 *
 * Whatever memory could not cover (a gap) is read back from the file before the digest, so the
 * answer is always the checksum of the file as it is on disk.
 */
import type { FileHandle } from 'node:fs/promises';
import { KuraError } from '../kuraError';
import {
  createHasher,
  createPieceHasher,
  type ExpectedChecksum,
  type Hasher,
  type Piece,
  type PieceHasher,
} from './checksums';

const READ_BLOCK = 4 * 1024 * 1024;

interface Part {
  piece: Piece;
  start: number;
  end: number;
  /** Bytes [start, upTo) are in `piece`. */
  upTo: number;
}

export class DownloadHash {
  private buf: Buffer | undefined;
  // CRCs: one piece per part.
  private parts: Part[] = [];
  // MD5/SHA: one hasher over the file's prefix [0, hashed).
  private hashed = 0;
  private catchingUp: Promise<void> | null = null;

  private constructor(
    private readonly fh: FileHandle,
    private readonly size: number,
    private readonly pieces: PieceHasher | null,
    private readonly inOrder: Hasher | null,
    /** Bytes on disk without a gap from the start of the file (for MD5/SHA catch-up). */
    private readonly frontier: () => number,
  ) {}

  static async create(
    fh: FileHandle,
    expected: ExpectedChecksum,
    size: number,
    partSize: number,
    frontier: () => number,
  ): Promise<DownloadHash> {
    const pieces = createPieceHasher(expected.algorithm);
    const h = new DownloadHash(
      fh,
      size,
      pieces,
      pieces ? null : await createHasher(expected.algorithm),
      frontier,
    );
    // The parts as the download lays them out (none for an empty object: its CRC is zero).
    for (let start = 0; pieces && start < size; start += partSize)
      h.parts.push({
        piece: pieces.piece(),
        start,
        end: Math.min(size, start + partSize),
        upTo: start,
      });
    return h;
  }

  /** Hashes from the file what an earlier run or attempt left in it (`done` bytes per part). */
  async resume(done: number[]): Promise<void> {
    for (let i = 0; i < this.parts.length; i++) {
      const p = this.parts[i]!;
      if (done[i]) await this.readInto(p.piece, p.upTo, p.start + done[i]!, (n) => (p.upTo += n));
    }
    if (!this.pieces) this.catchUp();
  }

  /** Bytes [at, at + n) of part `i` were just written. */
  written(i: number, at: number, bufs: readonly Buffer[], n: number): void {
    if (this.pieces) {
      const p = this.parts[i];
      if (!p || p.upTo !== at) return; // a gap: read back before the digest
      for (const b of bufs) p.piece.update(b);
      p.upTo += n;
      return;
    }
    if (!this.catchingUp && this.hashed === at) {
      // In order at the front of the file (always so for a single stream).
      for (const b of bufs) this.inOrder!.update(b);
      this.hashed += n;
    } else this.catchUp();
  }

  /** The file's checksum as S3 states it. */
  async digest(): Promise<string> {
    if (this.pieces) {
      const out: { crc: bigint; length: number }[] = [];
      for (const p of this.parts) {
        if (p.upTo < p.end) await this.readInto(p.piece, p.upTo, p.end, (n) => (p.upTo += n));
        out.push({ crc: await p.piece.value(), length: p.end - p.start });
      }
      return this.pieces.join(out);
    }
    await this.catchingUp;
    await this.readInto(this.inOrder!, this.hashed, this.size, (n) => (this.hashed += n));
    return this.inOrder!.digest();
  }

  /** Waits for a background read (before the file is closed). */
  async settle(): Promise<void> {
    await this.catchingUp;
  }

  /** MD5/SHA: hashes the contiguous prefix in the background while parts are still arriving. */
  private catchUp() {
    if (this.catchingUp) return;
    const upTo = this.frontier();
    if (upTo - this.hashed < READ_BLOCK) return;
    this.catchingUp = this.readInto(this.inOrder!, this.hashed, upTo, (n) => (this.hashed += n))
      .catch(() => undefined)
      .finally(() => (this.catchingUp = null));
  }

  private async readInto(
    h: { update(b: Uint8Array): void },
    from: number,
    to: number,
    advance: (n: number) => void,
  ) {
    // One read buffer for the whole download (a new one per catch-up was most of the GC).
    if (from < to && !this.buf) this.buf = Buffer.allocUnsafe(Math.min(READ_BLOCK, this.size));
    for (let at = from; at < to;) {
      const n = Math.min(this.buf!.length, to - at);
      const { bytesRead } = await this.fh.read(this.buf!, 0, n, at);
      if (bytesRead <= 0) throw new KuraError('INTEGRITY', 'the partial file is shorter');
      h.update(this.buf!.subarray(0, bytesRead));
      advance(bytesRead);
      at += bytesRead;
    }
  }
}

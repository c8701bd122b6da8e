/**
 * The benchmark's objects have contents derived from their keys (an AES-CTR keystream seeded by
 * the key), so a download is checked byte for byte against the bytes the object must hold
 * without keeping a copy: the expected stream is generated again, chunk by chunk, beside the
 * file that was written.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';

const CHUNK = 4 * 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

function keystream(key: string) {
  const seed = createHash('sha256').update(key).digest();
  return createCipheriv('aes-128-ctr', seed.subarray(0, 16), seed.subarray(16, 32));
}

/** The bytes of object `key` of `size` bytes, as a stream (for seeding). */
export function contentStream(key: string, size: number): Readable {
  const cipher = keystream(key);
  let left = size;
  return new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const n = Math.min(CHUNK, left);
      left -= n;
      this.push(cipher.update(ZEROS.subarray(0, n)));
    },
  });
}

/** The bytes of a small object, whole. */
export const contentOf = (key: string, size: number): Buffer =>
  keystream(key).update(Buffer.alloc(size));

/** True when the file holds exactly the bytes of object `key` of `size` bytes. */
export async function holdsObject(path: string, key: string, size: number): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    if ((await fh.stat()).size !== size) return false;
    const cipher = keystream(key);
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let at = 0; at < size;) {
      const n = Math.min(CHUNK, size - at);
      const { bytesRead } = await fh.read(buf, 0, n, at);
      if (bytesRead !== n) return false;
      if (!buf.subarray(0, n).equals(cipher.update(ZEROS.subarray(0, n)))) return false;
      at += n;
    }
    return true;
  } finally {
    await fh.close();
  }
}

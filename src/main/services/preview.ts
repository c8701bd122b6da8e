/**
 * Previews fetched through main like any read: images and PDFs whole (up to a size limit),
 * text as its first 256 KiB decoded as UTF-8 (BOMs honoured) or, when that fails, Shift_JIS.
 * Only types from an allowlist are previewed, and an image's bytes must start as its type
 * says: the renderer gets a MIME type we chose, never one from the object.
 */
import type { Readable } from 'node:stream';
import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import type { ObjectDetails, PreviewView } from '../../shared/ipc';
import { expectedChecksum, unquote } from './download/checksums';
import { KuraError } from './kuraError';
import type { StorageService } from './storage';
import { keyName } from '../../shared/keyName';

export const PREVIEW_LIMITS = {
  image: 20 * 1024 * 1024,
  pdf: 30 * 1024 * 1024,
  textBytes: 256 * 1024,
};

const IMAGE_TYPES: Record<string, { mime: string; magic: (b: Buffer) => boolean }> = {
  png: {
    mime: 'image/png',
    magic: (b) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')),
  },
  jpg: { mime: 'image/jpeg', magic: (b) => b[0] === 0xff && b[1] === 0xd8 },
  jpeg: { mime: 'image/jpeg', magic: (b) => b[0] === 0xff && b[1] === 0xd8 },
  gif: { mime: 'image/gif', magic: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  webp: {
    mime: 'image/webp',
    magic: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' &&
      b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  bmp: { mime: 'image/bmp', magic: (b) => b.subarray(0, 2).toString('latin1') === 'BM' },
};
const TEXT_TYPES = new Set(
  'txt text md markdown csv tsv log json jsonl xml yaml yml ini conf cfg toml sh bat ps1 py js ts tsx jsx css html htm sql java c h cpp rs go rb php swift kt tex srt vtt'.split(
    ' ',
  ),
);

const extension = (key: string) => {
  const name = keyName(key);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

async function bodyBytes(body: unknown): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body as Readable) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Decodes text: a BOM decides; else UTF-8 if valid (a cut last character allowed), else
 * Shift_JIS. In Shift_JIS text the single byte 0x5C is the yen sign to its readers (JIS X 0201;
 * "¥128,000", not "\128,000"), though WHATWG's decoder maps it to a backslash: it is shown as ¥.
 * A 0x5C inside a double-byte character (表 is 0x95 0x5C) is part of that character and never
 * becomes a backslash, so only the single byte is replaced.
 */
export function decodeText(bytes: Buffer, truncated: boolean): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'UTF-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16BE' };
  try {
    const d = new TextDecoder('utf-8', { fatal: true });
    // stream: a multi-byte character cut by the 256 KiB limit is not an error.
    return { text: d.decode(bytes, { stream: truncated }), encoding: 'UTF-8' };
  } catch {
    const text = new TextDecoder('shift_jis').decode(bytes).replaceAll('\\', '\u00a5');
    return { text, encoding: 'Shift_JIS' };
  }
}

/** Size, date, type, ETag and checksum from a HEAD, for Quick Look. */
function detailsOf(head: HeadObjectCommandOutput): ObjectDetails {
  const checksum = expectedChecksum(head);
  const etag = unquote(head.ETag);
  return {
    size: head.ContentLength ?? 0,
    ...(head.LastModified ? { lastModified: head.LastModified.getTime() } : {}),
    ...(head.ContentType ? { contentType: head.ContentType.slice(0, 200) } : {}),
    ...(etag ? { etag: etag.slice(0, 200) } : {}),
    ...(checksum ? { checksum: `${checksum.algorithm} ${checksum.value}` } : {}),
  };
}

/** `signal`: aborts the S3 requests (Quick Look moved on to another file). */
export async function preview(
  storage: StorageService,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<PreviewView> {
  const ext = extension(key);
  const image = IMAGE_TYPES[ext];
  const kind = image ? 'image' : ext === 'pdf' ? 'pdf' : TEXT_TYPES.has(ext) ? 'text' : null;
  const head = await storage.headObject(bucket, key, signal);
  const details = detailsOf(head);
  if (!kind) return { kind: 'unsupported', details };
  const size = details.size;
  const limit = kind === 'image' ? PREVIEW_LIMITS.image : kind === 'pdf' ? PREVIEW_LIMITS.pdf : 0;
  if (limit && size > limit) return { kind: 'tooLarge', size, limit, details };
  const etag = head.ETag;
  const ranged = kind === 'text' && size > PREVIEW_LIMITS.textBytes;
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const got =
      size === 0
        ? undefined
        : await storage.getObject(
            {
              Bucket: bucket,
              Key: key,
              ...(etag ? { IfMatch: etag } : {}),
              ...(ranged ? { Range: `bytes=0-${PREVIEW_LIMITS.textBytes - 1}` } : {}),
            },
            controller.signal,
          );
    const bytes = got ? await bodyBytes(got.Body) : Buffer.alloc(0);
    // The body came after the answer's headers: the user may have signed out meanwhile.
    storage.assertLive();
    if (kind === 'text') {
      const { text, encoding } = decodeText(bytes, ranged);
      return { kind: 'text', text, encoding, truncated: ranged, size, details };
    }
    if (kind === 'image') {
      if (!image!.magic(bytes)) throw new KuraError('INTEGRITY', 'not the image its name says');
      return { kind: 'image', mime: image!.mime, data: bytes.toString('base64'), size, details };
    }
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
      throw new KuraError('INTEGRITY', 'not a PDF');
    return { kind: 'pdf', data: bytes.toString('base64'), size, details };
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

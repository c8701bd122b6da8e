/** Previews through main against local-aws: allowlisted types, limits, magic bytes, text encodings. */
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../local-aws/server';
import type { KuraCore } from '../../../src/main/services/kuraCore';
import { decodeText, preview, PREVIEW_LIMITS } from '../../../src/main/services/preview';
import type { StorageService } from '../../../src/main/services/storage';
import { startTestAws } from '../../helpers/localAws';
import { newCore, signedInCore } from '../../helpers/kura';

const bucket = 'kura-demo';
const EMAIL = 'p@example.com';
const PASSWORD = 'Correct-Horse-9';
let aws: LocalAws;
let core: KuraCore;
const put = (key: string, body: Buffer | string) =>
  aws.store.put(bucket, key, Readable.from([Buffer.from(body)]));
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  core = await signedInCore(aws, EMAIL, PASSWORD);
});
afterAll(() => aws.stop());

describe('previews', () => {
  it('decodes UTF-8, BOMs and Shift_JIS, and a UTF-8 character cut at the limit', () => {
    expect(decodeText(Buffer.from('日本語'), false)).toEqual({ text: '日本語', encoding: 'UTF-8' });
    expect(decodeText(iconv.encode('請求書', 'Shift_JIS'), false)).toEqual({
      text: '請求書',
      encoding: 'Shift_JIS',
    });
    expect(decodeText(Buffer.from('\ufeffa', 'utf8'), false).text).toBe('a');
    expect(decodeText(Buffer.from([0xff, 0xfe, 0x42, 0x30]), false)).toEqual({
      text: 'あ',
      encoding: 'UTF-16LE',
    });
    const cut = Buffer.from('ab日').subarray(0, 4);
    expect(decodeText(cut, true)).toEqual({ text: 'ab', encoding: 'UTF-8' });
  });

  it('shows the Shift_JIS byte 0x5C as the yen sign, and keeps 0x5C inside a character', () => {
    const bytes = iconv.encode('合計金額: ¥128,000 表\n', 'Shift_JIS');
    expect(bytes.includes(0x5c)).toBe(true); // ¥ and the second byte of 表 are both 0x5C
    expect(decodeText(bytes, false)).toEqual({
      text: '合計金額: ¥128,000 表\n',
      encoding: 'Shift_JIS',
    });
    // UTF-8 text keeps its backslashes.
    expect(decodeText(Buffer.from('C:\\temp'), false).text).toBe('C:\\temp');
  });

  it('gives Quick Look the details: size, date, type, ETag and the full-object checksum', async () => {
    await put('p/details.txt', 'hello');
    const v = await preview(core.active().storage, bucket, 'p/details.txt');
    expect(v.details).toMatchObject({ size: 5, etag: '5d41402abc4b2a76b9719d911017c592' });
    expect(v.details?.checksum).toMatch(
      /^(CRC64NVME [A-Za-z0-9+/=]+|MD5 5d41402abc4b2a76b9719d911017c592)$/,
    );
    expect(v.details?.lastModified).toBeGreaterThan(0);
  });

  it('returns an image with our MIME type only when its bytes are that image', async () => {
    await put('p/a.png', PNG);
    await put('p/fake.png', '<svg onload="alert(1)">');
    const s = core.active().storage;
    expect(await preview(s, bucket, 'p/a.png')).toMatchObject({
      kind: 'image',
      mime: 'image/png',
      data: PNG.toString('base64'),
    });
    await expect(preview(s, bucket, 'p/fake.png')).rejects.toMatchObject({ code: 'INTEGRITY' });
  });

  it('reads only the first 256 KiB of a long text, and refuses what it does not know', async () => {
    await put('p/long.log', Buffer.alloc(PREVIEW_LIMITS.textBytes + 5000, 'x'));
    await put('p/tool.exe', 'MZ');
    const s = core.active().storage;
    const v = await preview(s, bucket, 'p/long.log');
    expect(v).toMatchObject({
      kind: 'text',
      truncated: true,
      size: PREVIEW_LIMITS.textBytes + 5000,
    });
    expect(v.kind === 'text' && v.text.length).toBe(PREVIEW_LIMITS.textBytes);
    expect(await preview(s, bucket, 'p/tool.exe')).toMatchObject({
      kind: 'unsupported',
      details: { size: 2 },
    });
  });

  it('says an image is too large without fetching it', async () => {
    await aws.store.put(
      bucket,
      'p/huge.png',
      Readable.from([Buffer.alloc(PREVIEW_LIMITS.image + 1)]),
    );
    const v = await preview(core.active().storage, bucket, 'p/huge.png');
    expect(v).toMatchObject({
      kind: 'tooLarge',
      size: PREVIEW_LIMITS.image + 1,
      limit: PREVIEW_LIMITS.image,
    });
  });
});

describe('a preview whose body arrives as the user signs out', () => {
  it('is refused, not handed to whoever comes next (the check after the body)', async () => {
    const { core: own } = newCore(aws);
    const { session } = own.active();
    await session.signIn(EMAIL, PASSWORD);
    await put('private/payslip.txt', 'salary: 1,000,000');
    const storage = own.active().storage;
    // The whole body has arrived; the user signs out before the preview is handed back.
    const signsOutAfterBody = Object.create(storage) as StorageService;
    signsOutAfterBody.getObject = async (input, signal) => {
      const got = await storage.getObject(input, signal);
      const body = got.Body as Readable;
      return {
        ...got,
        Body: Readable.from(
          (async function* () {
            for await (const chunk of body) yield chunk as Buffer;
            await session.signOut();
          })(),
        ) as unknown as typeof got.Body,
      };
    };
    await expect(preview(signsOutAfterBody, bucket, 'private/payslip.txt')).rejects.toMatchObject({
      code: 'NOT_SIGNED_IN',
    });
  });
});

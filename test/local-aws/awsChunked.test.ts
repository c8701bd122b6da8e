import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { getSigningKey } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder } from '../../local-aws/s3/awsChunked';

const decode = async (wire: Buffer | string, decoder = new AwsChunkedDecoder()) => {
  const out = await text(Readable.from([Buffer.from(wire)]).pipe(decoder));
  return { out, decoder };
};

describe('aws-chunked bodies', () => {
  it("verifies the chunk signatures of AWS's published example (66,560 × 'a' in 64 KiB chunks)", async () => {
    // From "Signature Calculations … Chunked Upload", Example: PUT Object (Amazon S3 API docs).
    const signingKey = await getSigningKey(
      Sha256,
      {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      '20130524',
      'us-east-1',
      's3',
    );
    const signing = {
      signingKey,
      longDate: '20130524T000000Z',
      scope: '20130524/us-east-1/s3/aws4_request',
      seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    };
    const a = (n: number) => 'a'.repeat(n);
    const wire =
      `10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n${a(65536)}\r\n` +
      `400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n${a(1024)}\r\n` +
      `0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n`;
    const { out } = await decode(wire, new AwsChunkedDecoder(signing));
    expect(out).toBe(a(66560));
    const tampered = wire.replace('aaaa\r\n400', 'aaab\r\n400');
    await expect(decode(tampered, new AwsChunkedDecoder(signing))).rejects.toThrow(
      /chunk signature/,
    );
  });

  it('decodes the unsigned trailer form and reads the trailing checksum', async () => {
    const wire = '5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n';
    const { out, decoder } = await decode(wire);
    expect(out).toBe('hello world');
    expect(decoder.trailers['x-amz-checksum-crc32']).toBe('DUoRhQ==');
    expect(decoder.decodedLength).toBe(11);
  });

  it('decodes bytes that arrive split at every position', async () => {
    const wire = Buffer.from('3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n');
    const pieces = Array.from(wire, (b) => Buffer.from([b]));
    const out = await text(Readable.from(pieces).pipe(new AwsChunkedDecoder()));
    expect(out).toBe('abcde');
  });

  it('refuses a body that ends before the last chunk', async () => {
    await expect(decode('5\r\nhel')).rejects.toThrow(/ended before the last chunk/);
  });

  it('refuses a malformed chunk size', async () => {
    await expect(decode('zz\r\nhello\r\n0\r\n\r\n')).rejects.toThrow(/Invalid chunk size/);
  });
});

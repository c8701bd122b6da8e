import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FaultyBody } from '../../local-aws/faults';
import type { LocalAws } from '../../local-aws/server';
import { adminCall, adminS3, identityClient, startTestAws } from '../helpers/localAws';
import type { S3Client } from '@aws-sdk/client-s3';

let aws: LocalAws;
let s3: S3Client;
const bucket = 'faults';
const payload = Buffer.alloc(256 * 1024);
for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) % 256;

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  await aws.store.put(bucket, 'data.bin', Readable.from([payload]));
  s3 = adminS3(aws, { maxAttempts: 1 });
});
afterEach(() => adminCall(aws, 'DELETE', 'faults'));
afterAll(() => aws.stop());

/** Raw signed GET through the SDK's presigner, read with fetch so partial bodies are visible. */
async function rawGet(key = 'data.bin') {
  const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn: 60,
  });
  const res = await fetch(url);
  const chunks: Buffer[] = [];
  try {
    for await (const c of res.body as unknown as AsyncIterable<Uint8Array>)
      chunks.push(Buffer.from(c));
    return { status: res.status, body: Buffer.concat(chunks), complete: true };
  } catch {
    return { status: res.status, body: Buffer.concat(chunks), complete: false };
  }
}

describe('fault injection (off by default, on per test)', () => {
  it('serves normally with no rules', async () => {
    const r = await rawGet();
    expect(r.complete).toBe(true);
    expect(r.body.equals(payload)).toBe(true);
  });

  it('answers 503 SlowDown for the first k requests, then serves (the SDK retries through it)', async () => {
    await adminCall(aws, 'PUT', 'faults', [{ operation: 'GetObject', status: 503, times: 2 }]);
    const retrying = adminS3(aws, { maxAttempts: 3 });
    const r = await retrying.send(new GetObjectCommand({ Bucket: bucket, Key: 'data.bin' }));
    expect(Buffer.from(await r.Body!.transformToByteArray()).equals(payload)).toBe(true);
    expect(r.$metadata.attempts).toBe(3);
  });

  it('answers 500 InternalError when asked', async () => {
    await adminCall(aws, 'PUT', 'faults', [{ operation: 'ListObjectsV2', status: 500, times: 1 }]);
    await expect(s3.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({
      name: 'InternalError',
    });
    await expect(s3.send(new ListObjectsV2Command({ Bucket: bucket }))).resolves.toBeTruthy();
  });

  it('cuts the connection after N bytes', async () => {
    await adminCall(aws, 'PUT', 'faults', [
      { operation: 'GetObject', cutAfterBytes: 100_000, times: 1 },
    ]);
    const r = await rawGet();
    expect(r.complete).toBe(false);
    expect(r.body.length).toBeLessThanOrEqual(100_000);
    expect(r.body.equals(payload.subarray(0, r.body.length))).toBe(true);
    expect((await rawGet()).complete).toBe(true); // only the first request was cut
  });

  it('flips one byte of the body, which the SDK catches with the full-object checksum', async () => {
    await adminCall(aws, 'PUT', 'faults', [{ operation: 'GetObject', flipByteAt: 1234 }]);
    const r = await rawGet();
    expect(r.body.length).toBe(payload.length);
    expect(r.body[1234]).toBe(payload[1234]! ^ 0xff);
    expect(r.body.subarray(1235).equals(payload.subarray(1235))).toBe(true);
    const checked = s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'data.bin', ChecksumMode: 'ENABLED' }),
    );
    await expect(checked.then((o) => o.Body!.transformToByteArray())).rejects.toThrow(/checksum/i);
  });

  it('stalls mid-body until the client gives up', async () => {
    await adminCall(aws, 'PUT', 'faults', [{ operation: 'GetObject', stallAfterBytes: 65_536 }]);
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'data.bin' }), {
      expiresIn: 60,
    });
    const controller = new AbortController();
    const res = await fetch(url, { signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let received = 0;
    while (received < 65_536) {
      const { value, done } = await reader.read();
      if (done) break;
      received += value.length;
    }
    expect(received).toBe(65_536);
    // Nothing more arrives: the next read only ends because we abort it.
    const next = reader.read();
    controller.abort();
    await expect(next).rejects.toThrow();
  });

  it('limits the bandwidth of a connection (paced on the clock, checked with fake timers)', async () => {
    vi.useFakeTimers();
    try {
      const body = new FaultyBody({ bytesPerSecond: 10_000 }, () => undefined);
      let received = 0;
      body.on('data', (c: Buffer) => (received += c.length));
      body.write(Buffer.alloc(50_000));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(received).toBeGreaterThanOrEqual(9_000);
      expect(received).toBeLessThanOrEqual(11_000);
      await vi.advanceTimersByTimeAsync(4_000);
      expect(received).toBe(50_000);
    } finally {
      vi.useRealTimers();
    }
    // And through the server, the bytes still arrive intact.
    await adminCall(aws, 'PUT', 'faults', [
      { operation: 'GetObject', bytesPerSecond: 4 * 1024 * 1024 },
    ]);
    expect((await rawGet()).body.equals(payload)).toBe(true);
  });

  it('adds latency and throttles the Cognito services too', async () => {
    await adminCall(aws, 'PUT', 'faults', [
      { service: 'cognito-identity', operation: 'GetId', status: 503, times: 1 },
    ]);
    const send = identityClient(aws).send(
      new GetIdCommand({ IdentityPoolId: aws.profile.identityPoolId }),
    );
    // Throttled first (retried by the SDK), then the real answer: unauthenticated access is off.
    await expect(send).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      $metadata: { attempts: 2 },
    });
  });

  it('holds a request unanswered until released, for the next `times` matches only', async () => {
    await adminCall(aws, 'PUT', 'faults', [{ operation: 'ListObjectsV2', hold: true, times: 1 }]);
    let answered = false;
    const held = s3
      .send(new ListObjectsV2Command({ Bucket: bucket }))
      .finally(() => (answered = true));
    expect(await aws.faults.whenHeld('ListObjectsV2')).toMatchObject({ bucket });
    expect(await adminCall(aws, 'GET', 'faults/held')).toEqual([
      { service: 's3', operation: 'ListObjectsV2', bucket },
    ]);
    // The next one is not held (times: 1), and answers while the first still waits.
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(1);
    expect(answered).toBe(false);
    expect(await adminCall(aws, 'POST', 'faults/release')).toEqual({ released: 1 });
    expect((await held).KeyCount).toBe(1);
  });

  it('lets held requests go on when the rules are cleared', async () => {
    await adminCall(aws, 'PUT', 'faults', [
      { service: 'cognito-identity', operation: 'GetId', hold: true },
    ]);
    const send = identityClient(aws).send(
      new GetIdCommand({ IdentityPoolId: aws.profile.identityPoolId }),
    );
    await aws.faults.whenHeld('GetId');
    await adminCall(aws, 'DELETE', 'faults');
    await expect(send).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('refuses malformed rules', async () => {
    await expect(adminCall(aws, 'PUT', 'faults', [{ status: 418 }])).rejects.toThrow(/400/);
    await expect(adminCall(aws, 'PUT', 'faults', [{ nonsense: true }])).rejects.toThrow(/400/);
  });

  it('needs the admin token', async () => {
    const res = await fetch(`${aws.url}/_local-aws/faults`, { method: 'DELETE' });
    expect(res.status).toBe(401);
  });
});

import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import * as cognitoLib from 'amazon-cognito-identity-js';
import { describe, expect, it } from 'vitest';
import {
  createVerifier,
  deriveKey,
  padHex,
  parseSrpTimestamp,
  startHandshake,
  verifyClaim,
} from '../../local-aws/cognito/srp';

// The library's BigInteger, reached through a helper instance (it is not exported itself).
type LibBigInteger = { toString(radix: number): string };
type Helper = {
  getLargeAValue(cb: (err: Error | null, A: LibBigInteger) => void): void;
  getPasswordAuthenticationKey(
    user: string,
    password: string,
    B: LibBigInteger,
    salt: LibBigInteger,
    cb: (err: Error | null, key: Buffer) => void,
  ): void;
};
// Exported by the library at run time, though its type definitions leave it out.
const { AuthenticationHelper } = cognitoLib as unknown as {
  AuthenticationHelper: new (p: string) => Helper;
};
const newHelper = (pool: string) => new AuthenticationHelper(pool);

function libBig(helper: Helper, hex: string): LibBigInteger {
  const ctor = (
    helper as unknown as { N: { constructor: new (s: string, r: number) => LibBigInteger } }
  ).N.constructor;
  return new ctor(hex, 16);
}

async function clientKey(
  pool: string,
  userId: string,
  password: string,
  saltHex: string,
  B: bigint,
) {
  const helper = newHelper(pool);
  const A = await new Promise<LibBigInteger>((res, rej) =>
    helper.getLargeAValue((e, a) => (e ? rej(e) : res(a))),
  );
  const key = await new Promise<Buffer>((res, rej) =>
    helper.getPasswordAuthenticationKey(
      userId,
      password,
      libBig(helper, B.toString(16)),
      libBig(helper, saltHex),
      (e, k) => (e ? rej(e) : res(k)),
    ),
  );
  return { A: BigInt('0x' + A.toString(16)), key: Buffer.from(key) };
}

const randomPassword = () => {
  const alphabet = 'abcXYZ0189!@# ü日本語🎉';
  const chars = Array.from(alphabet);
  return Array.from(
    { length: 8 + (randomBytes(1)[0]! % 20) },
    () => chars[randomBytes(1)[0]! % chars.length],
  ).join('');
};

describe('SRP as Cognito computes it', () => {
  it('derives the same key as amazon-cognito-identity-js over 1,000 random handshakes', async () => {
    let topBitPadded = 0;
    for (let i = 0; i < 1000; i++) {
      const pool = randomBytes(5)
        .toString('base64url')
        .replace(/[^A-Za-z0-9]/g, 'x');
      const userId = randomUUID();
      const password = randomPassword();
      const { salt, verifier } = createVerifier(pool, userId, password);
      const hs = startHandshake(verifier);
      const client = await clientKey(pool, userId, password, salt, hs.B);
      const serverKey = deriveKey(verifier, hs, client.A);
      expect(serverKey?.toString('hex'), `handshake ${i}`).toBe(client.key.toString('hex'));
      if (padHex(hs.B).startsWith('00')) topBitPadded++;
    }
    // The padding rule (00 prefix when the top bit is set) was exercised, not just assumed.
    expect(topBitPadded).toBeGreaterThan(0);
  }, 600_000);

  it('derives a different key when the password is wrong', async () => {
    const { salt, verifier } = createVerifier('pool', 'user-1', 'Right-Password-1');
    const hs = startHandshake(verifier);
    const client = await clientKey('pool', 'user-1', 'Wrong-Password-1', salt, hs.B);
    expect(deriveKey(verifier, hs, client.A)?.equals(client.key)).toBe(false);
  });

  it('refuses an A that is a multiple of N', () => {
    const { verifier } = createVerifier('pool', 'u', 'p');
    const hs = startHandshake(verifier);
    expect(deriveKey(verifier, hs, 0n)).toBeNull();
  });

  it('checks the claim signature over pool name, user id, secret block and timestamp', () => {
    const key = randomBytes(16);
    const block = randomBytes(64).toString('base64');
    const ts = 'Wed Nov 5 09:03:07 UTC 2026';
    const sig = createHmac('sha256', key)
      .update(
        Buffer.concat([
          Buffer.from('pool'),
          Buffer.from('user'),
          Buffer.from(block, 'base64'),
          Buffer.from(ts),
        ]),
      )
      .digest('base64');
    expect(verifyClaim(key, 'pool', 'user', block, ts, sig)).toBe(true);
    expect(verifyClaim(key, 'pool', 'user', block, 'Wed Nov 5 09:03:08 UTC 2026', sig)).toBe(false);
    expect(verifyClaim(key, 'other', 'user', block, ts, sig)).toBe(false);
  });

  it('pads hex to even length and prefixes 00 when the top bit is set', () => {
    expect(padHex(0x14n)).toBe('14');
    expect(padHex(0xecn)).toBe('00ec');
    expect(padHex(0x1n)).toBe('01');
    expect(padHex(0x8000n)).toBe('008000');
  });

  it('reads the TIMESTAMP format with an unpadded day and rejects others', () => {
    expect(parseSrpTimestamp('Thu Nov 5 09:03:07 UTC 2026')).toBe(Date.UTC(2026, 10, 5, 9, 3, 7));
    expect(parseSrpTimestamp('Thu Nov 05 09:03:07 UTC 2026')).toBeNull();
    expect(parseSrpTimestamp('Wed Nov 5 09:03:07 UTC 2026')).toBeNull(); // wrong weekday
    expect(parseSrpTimestamp('2026-11-05T09:03:07Z')).toBeNull();
  });
});

import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import * as cognitoLib from 'amazon-cognito-identity-js';
import { describe, expect, it } from 'vitest';
import {
  createVerifier,
  deriveKey,
  g,
  modPow,
  N,
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

/** The library's key for a handshake, with its small `a` given (the oracle's own arithmetic). */
async function clientKey(
  pool: string,
  userId: string,
  password: string,
  saltHex: string,
  B: bigint,
  a?: bigint,
) {
  const helper = newHelper(pool);
  if (a !== undefined) {
    const h = helper as unknown as { smallAValue: LibBigInteger; largeAValue?: LibBigInteger };
    h.smallAValue = libBig(helper, a.toString(16));
    h.largeAValue = undefined;
  }
  const A = await new Promise<LibBigInteger>((res, rej) =>
    helper.getLargeAValue((e, x) => (e ? rej(e) : res(x))),
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

/** Deterministic bytes: SHA-256 of a label, stretched (a fixed seed, so every run is the same). */
const bytesOf = (label: string, n: number) => {
  let out = Buffer.alloc(0);
  for (let i = 0; out.length < n; i++)
    out = Buffer.concat([out, createHash('sha256').update(`${label}/${i}`).digest()]);
  return out.subarray(0, n);
};
const bigOf = (label: string, n: number) => BigInt('0x' + bytesOf(label, n).toString('hex'));

const ALPHABET = Array.from('abcXYZ0189!@# ü日本語🎉');

/** One handshake's inputs, all derived from `n`. */
function handshakeInputs(n: number) {
  const pool = bytesOf(`pool ${n}`, 6)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, 'x');
  const userId = [...bytesOf(`user ${n}`, 16).toString('hex')]
    .map((c, i) => ([8, 12, 16, 20].includes(i) ? `-${c}` : c))
    .join('');
  const length = 8 + (bytesOf(`length ${n}`, 1)[0]! % 20);
  const password = Array.from(
    bytesOf(`password ${n}`, length),
    (b) => ALPHABET[b % ALPHABET.length],
  ).join('');
  // Every 8th salt starts with a zero byte: its value is shorter than its 16 bytes.
  const saltBytes = bytesOf(`salt ${n}`, 16);
  if (n % 8 === 7) saltBytes[0] = 0;
  return {
    pool,
    userId,
    password,
    salt: saltBytes.toString('hex'),
    a: bigOf(`a ${n}`, 32) || 1n,
    b: bigOf(`b ${n}`, 32) || 1n,
  };
}

const hexHash = (hex: string) =>
  BigInt('0x' + createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex'));

/** The padding branches a handshake takes (what other SRP libraries get wrong). */
function paddingCases(n: number): string[] {
  const i = handshakeInputs(n);
  const { verifier } = createVerifier(i.pool, i.userId, i.password, i.salt);
  const { B } = startHandshake(verifier, i.b);
  const A = modPow(g, i.a, N);
  const u = hexHash(padHex(A) + padHex(B));
  const S = modPow(A * modPow(BigInt('0x' + verifier), u, N), i.b, N);
  const cases: string[] = [];
  for (const [name, v] of [
    ['A', A],
    ['B', B],
    ['u', u],
    ['S', S],
    ['salt', BigInt('0x' + i.salt)],
  ] as const) {
    const hex = v.toString(16);
    if (/^[89a-f]/.test(hex.length % 2 ? `0${hex}` : hex)) cases.push(`${name}: top bit set`);
    if (hex.length % 2 === 1) cases.push(`${name}: odd length`);
  }
  if (i.salt.startsWith('00')) cases.push('salt: leading zero byte');
  return cases;
}

const ALL_CASES = ['A', 'B', 'u', 'S', 'salt']
  .flatMap((v) => [`${v}: top bit set`, `${v}: odd length`])
  .concat('salt: leading zero byte');

describe('SRP as Cognito computes it', () => {
  it('derives the same key as amazon-cognito-identity-js in handshakes chosen to hit every padding case', async () => {
    // Sixteen fixed handshakes, then the first ones (from the same fixed sequence) that take a
    // padding branch not yet taken: every case is exercised on every run, in a few seconds
    // (1,000 random handshakes took 150 s and left some cases to chance).
    const chosen = new Set<number>(Array.from({ length: 16 }, (_, n) => n));
    const covered = new Set(Array.from(chosen).flatMap(paddingCases));
    for (let n = 16; covered.size < ALL_CASES.length && n < 5000; n++) {
      const cases = paddingCases(n);
      if (cases.some((c) => !covered.has(c))) {
        chosen.add(n);
        for (const c of cases) covered.add(c);
      }
    }
    expect([...covered].sort()).toEqual([...ALL_CASES].sort());

    for (const n of chosen) {
      const i = handshakeInputs(n);
      const { salt, verifier } = createVerifier(i.pool, i.userId, i.password, i.salt);
      const hs = startHandshake(verifier, i.b);
      const client = await clientKey(i.pool, i.userId, i.password, salt, hs.B, i.a);
      expect(client.A, `handshake ${n}: A`).toBe(modPow(g, i.a, N));
      const serverKey = deriveKey(verifier, hs, client.A);
      expect(serverKey?.toString('hex'), `handshake ${n} (${paddingCases(n).join(', ')})`).toBe(
        client.key.toString('hex'),
      );
    }
  }, 120_000);

  it('derives the same key for random handshakes too (the library choosing its own a)', async () => {
    for (let i = 0; i < 8; i++) {
      const pool = randomBytes(5)
        .toString('base64url')
        .replace(/[^A-Za-z0-9]/g, 'x');
      const userId = randomUUID();
      const password = randomBytes(12).toString('base64');
      const { salt, verifier } = createVerifier(pool, userId, password);
      const hs = startHandshake(verifier);
      const client = await clientKey(pool, userId, password, salt, hs.B);
      expect(deriveKey(verifier, hs, client.A)?.toString('hex')).toBe(client.key.toString('hex'));
    }
  }, 60_000);

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

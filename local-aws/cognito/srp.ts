/**
 * Server side of Cognito's SRP-6a variant (USER_SRP_AUTH → PASSWORD_VERIFIER), with native
 * BigInt and node:crypto. Everything that is hashed follows the byte layout that
 * amazon-cognito-identity-js (and so Cognito) uses: hex strings padded to even length with
 * a `00` prefix when the top bit is set, the pool name (the part of the pool id after `_`)
 * and USER_ID_FOR_SRP in the password hash, HKDF with "Caldera Derived Key".
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1' +
    '29024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245' +
    'E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D' +
    'C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D' +
    '670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9' +
    'DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64' +
    'ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B' +
    'F12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31' +
    '43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const g = 2n;

/** Hex of a non-negative integer, even length, `00`-prefixed when the top bit is set. */
export function padHex(value: bigint): string {
  if (value < 0n) throw new RangeError('padHex takes non-negative values');
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = '0' + hex;
  if (/^[89a-f]/i.test(hex)) hex = '00' + hex;
  return hex;
}

const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hexHash = (hex: string) => sha256Hex(Buffer.from(hex, 'hex'));
const toBig = (hex: string) => BigInt('0x' + (hex || '0'));

export const k = toBig(hexHash(padHex(N) + padHex(g)));

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    e >>= 1n;
    b = (b * b) % modulus;
  }
  return result;
}

/** x = H(salt ‖ H(poolName ‖ userId ‖ ":" ‖ password)), salt as the client re-pads it. */
function privateKey(poolName: string, userIdForSrp: string, password: string, saltHex: string) {
  const inner = sha256Hex(`${poolName}${userIdForSrp}:${password}`);
  return toBig(hexHash(padHex(toBig(saltHex)) + inner));
}

export interface Verifier {
  salt: string;
  verifier: string;
}

/** What the pool stores instead of a password (`salt`: for tests that need a given one). */
export function createVerifier(
  poolName: string,
  userIdForSrp: string,
  password: string,
  salt = randomBytes(16).toString('hex'),
): Verifier {
  const x = privateKey(poolName, userIdForSrp, password, salt);
  return { salt, verifier: modPow(g, x, N).toString(16) };
}

export interface ServerHandshake {
  b: bigint;
  B: bigint;
}

/** The server's half of a handshake (`secret`: a given b, for tests that need one). */
export function startHandshake(verifierHex: string, secret?: bigint): ServerHandshake {
  const v = toBig(verifierHex);
  for (;;) {
    const b = secret ?? toBig(randomBytes(32).toString('hex'));
    const B = (k * v + modPow(g, b, N)) % N;
    if (B !== 0n || secret !== undefined) return { b, B };
  }
}

/** The 16-byte key both sides derive; null when A is illegal (A mod N = 0) or u = 0. */
export function deriveKey(verifierHex: string, hs: ServerHandshake, A: bigint): Buffer | null {
  if (A % N === 0n) return null;
  const u = toBig(hexHash(padHex(A) + padHex(hs.B)));
  if (u === 0n) return null;
  const v = toBig(verifierHex);
  const S = modPow(A * modPow(v, u, N), hs.b, N);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  return createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

/** Checks PASSWORD_CLAIM_SIGNATURE = HMAC(key, poolName ‖ userId ‖ secretBlock ‖ timestamp). */
export function verifyClaim(
  key: Buffer,
  poolName: string,
  userIdForSrp: string,
  secretBlockB64: string,
  timestamp: string,
  signatureB64: string,
): boolean {
  const expected = createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(poolName, 'utf8'),
        Buffer.from(userIdForSrp, 'utf8'),
        Buffer.from(secretBlockB64, 'base64'),
        Buffer.from(timestamp, 'utf8'),
      ]),
    )
    .digest();
  const given = Buffer.from(signatureB64, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parses Cognito's SRP TIMESTAMP, `ddd MMM D HH:mm:ss UTC YYYY` (day not zero-padded). */
export function parseSrpTimestamp(text: string): number | null {
  const m = /^(\w{3}) (\w{3}) ([1-9]\d?) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/.exec(text);
  if (!m) return null;
  const [, dayName, monthName, day, hh, mm, ss, year] = m as unknown as string[];
  const month = MONTHS.indexOf(monthName!);
  if (month < 0 || !DAYS.includes(dayName!)) return null;
  const t = Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss));
  if (DAYS[new Date(t).getUTCDay()] !== dayName) return null;
  return t;
}

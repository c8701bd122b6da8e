/**
 * The secrets of one browser sign-in (RFC 7636, OpenID Connect Core): a code verifier and its
 * S256 challenge, a `state` (CSRF: the redirect must carry it back) and a `nonce` (the ID token
 * must carry it back). Each from 32 random bytes, fresh for every sign-in, kept only in memory.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface SignInSecrets {
  verifier: string;
  challenge: string;
  state: string;
  nonce: string;
}

const random = () => randomBytes(32).toString('base64url');

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function newSignInSecrets(): SignInSecrets {
  // 32 bytes → 43 base64url characters: RFC 7636 §4.1's minimum length, 256 bits of entropy.
  const verifier = random();
  return { verifier, challenge: s256(verifier), state: random(), nonce: random() };
}

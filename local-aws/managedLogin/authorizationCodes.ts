/**
 * Authorization codes (RFC 6749 §4.1): random, short-lived (five minutes, as Cognito's), single
 * use, and bound to what the request named — the client, the redirect URI, the PKCE challenge
 * (RFC 7636, S256 only, as Cognito), the nonce and scopes. A code presented a second time is
 * refused and the tokens issued for it are revoked (RFC 6749 §4.1.2: someone else has it).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock';

export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  /** The S256 challenge (absent: the request used no PKCE). */
  codeChallenge?: string;
  nonce?: string;
  scopes: string[];
  sub: string;
}

interface Issued extends CodeGrant {
  expiresAt: number;
  /** Set once exchanged: the sign-in its tokens belong to (revoked if the code comes back). */
  exchanged?: { originJti?: string };
}

export type Redemption =
  | { ok: true; grant: CodeGrant; done: (originJti?: string) => void }
  | {
      ok: false;
      error: 'invalid_grant' | 'invalid_request';
      description: string;
      replayOf?: string;
    };

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
export const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export class AuthorizationCodes {
  private readonly codes = new Map<string, Issued>();

  constructor(
    private readonly clock: Clock,
    /** Cognito's: five minutes. */
    public ttlSeconds = 300,
  ) {}

  issue(grant: CodeGrant): string {
    const now = this.clock.now();
    for (const [k, c] of this.codes) if (c.expiresAt + 3600_000 < now) this.codes.delete(k);
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { ...grant, expiresAt: now + this.ttlSeconds * 1000 });
    return code;
  }

  /**
   * Redeems a code for the client, redirect URI and verifier of a token request. Any redemption
   * attempt spends the code — a wrong verifier cannot be followed by a right one (the verifier
   * is not guessable, but an attacker holding the code must not get to try).
   */
  redeem(code: string, clientId: string, redirectUri: string, verifier: string | null): Redemption {
    const c = this.codes.get(code);
    const refuse = (description: string, replayOf?: string): Redemption => ({
      ok: false,
      error: 'invalid_grant',
      description,
      ...(replayOf ? { replayOf } : {}),
    });
    if (!c) return refuse('Authorization code is not valid');
    if (c.exchanged) return refuse('Authorization code has been used', c.exchanged.originJti);
    c.exchanged = {};
    if (c.expiresAt <= this.clock.now()) return refuse('Authorization code has expired');
    if (c.clientId !== clientId) return refuse('Authorization code was issued to another client');
    if (c.redirectUri !== redirectUri)
      return refuse('redirect_uri does not match the authorization request');
    if (c.codeChallenge !== undefined) {
      if (verifier === null)
        return { ok: false, error: 'invalid_request', description: 'code_verifier is missing' };
      if (!CODE_VERIFIER.test(verifier))
        return { ok: false, error: 'invalid_request', description: 'code_verifier is malformed' };
      const a = Buffer.from(s256(verifier));
      const b = Buffer.from(c.codeChallenge);
      if (a.length !== b.length || !timingSafeEqual(a, b))
        return refuse('code_verifier does not match the code_challenge');
    }
    const issued = c;
    return {
      ok: true,
      grant: issued,
      done: (originJti) => {
        issued.exchanged = { originJti };
      },
    };
  }
}

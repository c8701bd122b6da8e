/**
 * What the next start may reuse of this session without asking the servers (issue #14): the ID
 * and access tokens while they are outside their renewal margin, and the identity pool's
 * credentials per role while they have more than five minutes left. A second `kura ls` then
 * makes one request (ListObjectsV2) instead of three (GetTokensFromRefreshToken,
 * GetCredentialsForIdentity, ListObjectsV2).
 *
 * They are secrets: they live in the keychain, in an entry of their own beside the session's
 * (`<profile id>:reuse`), and nowhere else. The session's entry (the refresh token) stays written
 * only at sign-in and at a rotation, so a start renewing its tokens while another process signs
 * out cannot bring the session back. What the entry holds answers only:
 * - the session it was written for (a hash of its refresh token): after a sign-out, another
 *   sign-in or a rotation it answers nothing;
 * - the profile's connection it was written for (`binding`, a hash of the profile's content);
 * - credentials only for the user (`sub`) and the role (`roleArn`, '' for the pool's choice)
 *   they were issued to.
 * Sign-out and a refused session delete the entry. A revoked session is noticed when the reused
 * credentials run out or AWS refuses them (≤ 1 h, as in an app that keeps running).
 */
import { createHash } from 'node:crypto';
import type { ExpiringCredentials } from './credentials';
import type { SecretStore } from './secretStore';

export interface ReusableTokens {
  idToken: string;
  accessToken: string;
  /** When the ID token expires (epoch ms). */
  expiresAt: number;
}

interface StoredCredentials {
  sub: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiration: number;
}

interface Entry {
  v: 1;
  /** SHA-256 of the session's refresh token. */
  session: string;
  binding: string;
  tokens: ReusableTokens;
  /** By role ARN ('' for the identity pool's choice). */
  credentials: Record<string, StoredCredentials>;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const isString = (x: unknown): x is string => typeof x === 'string' && x !== '';
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The entry as read, or null when it is not one this version wrote (it is then ignored). */
function parse(text: string): Entry | null {
  let raw: Partial<Entry>;
  try {
    raw = JSON.parse(text) as Partial<Entry>;
  } catch {
    return null;
  }
  const t = raw?.tokens;
  if (
    raw?.v !== 1 ||
    !isString(raw.session) ||
    !isString(raw.binding) ||
    !t ||
    !isString(t.idToken) ||
    !isString(t.accessToken) ||
    !isTime(t.expiresAt)
  )
    return null;
  const credentials: Record<string, StoredCredentials> = {};
  if (raw.credentials && typeof raw.credentials === 'object')
    for (const [role, c] of Object.entries(raw.credentials))
      if (
        isString(c?.sub) &&
        isString(c.accessKeyId) &&
        isString(c.secretAccessKey) &&
        isString(c.sessionToken) &&
        isTime(c.expiration)
      )
        credentials[role] = c;
  return {
    v: 1,
    session: raw.session,
    binding: raw.binding,
    tokens: { idToken: t.idToken, accessToken: t.accessToken, expiresAt: t.expiresAt },
    credentials,
  };
}

export class SessionReuse {
  private entry: Entry | null = null;
  private readonly account: string;
  private readonly binding: string;

  constructor(
    private readonly secrets: SecretStore,
    /** The session's keychain account (the profile's id). */
    sessionAccount: string,
    /** What the entry must have been written for besides the session: the profile's content. */
    binding: string,
  ) {
    this.account = `${sessionAccount}:reuse`;
    this.binding = hash(binding);
  }

  /** The keychain entry as stored (null when absent or unreadable: nothing to reuse). */
  read(): Promise<string | null> {
    return this.secrets.get(this.account).catch(() => null);
  }

  /**
   * Takes what `read()` answered for the session with `refreshToken`: its tokens, when the entry
   * is that session's and this profile's. From then on the credentials it holds are offered.
   */
  adopt(refreshToken: string, text: string | null): ReusableTokens | undefined {
    const e = text ? parse(text) : null;
    this.entry = e && e.session === hash(refreshToken) && e.binding === this.binding ? e : null;
    return this.entry?.tokens;
  }

  /**
   * New tokens of the session with `refreshToken` (a sign-in or a renewal): kept for the next
   * start, with the credentials already kept for the same user.
   */
  async saveTokens(refreshToken: string, tokens: ReusableTokens, sub: string): Promise<void> {
    const session = hash(refreshToken);
    const kept: Record<string, StoredCredentials> = {};
    if (this.entry?.session === session)
      for (const [role, c] of Object.entries(this.entry.credentials))
        if (c.sub === sub) kept[role] = c;
    this.entry = {
      v: 1,
      session,
      binding: this.binding,
      tokens: {
        idToken: tokens.idToken,
        accessToken: tokens.accessToken,
        expiresAt: tokens.expiresAt,
      },
      credentials: kept,
    };
    await this.write();
  }

  /** The credentials kept for `sub` and `roleArn` ('' for the pool's choice), however old. */
  credentials(sub: string, roleArn: string): ExpiringCredentials | undefined {
    const c = this.entry?.credentials[roleArn];
    if (!c || c.sub !== sub) return undefined;
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration: new Date(c.expiration),
    };
  }

  /** Keeps new credentials of `sub` for `roleArn`, when this session's tokens are kept. */
  async saveCredentials(sub: string, roleArn: string, c: ExpiringCredentials): Promise<void> {
    if (!this.entry || !c.sessionToken) return;
    this.entry.credentials[roleArn] = {
      sub,
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration: c.expiration.getTime(),
    };
    await this.write();
  }

  /** AWS refused a role's credentials: they are not offered again. */
  async forgetCredentials(roleArn: string): Promise<void> {
    if (!this.entry || !Object.hasOwn(this.entry.credentials, roleArn)) return;
    delete this.entry.credentials[roleArn];
    await this.write();
  }

  /** The session ended: nothing of it is kept. */
  async clear(): Promise<void> {
    this.entry = null;
    await this.secrets.delete(this.account).catch(() => undefined);
  }

  private async write() {
    if (!this.entry) return;
    try {
      await this.secrets.set(this.account, JSON.stringify(this.entry));
    } catch {
      // The keychain failed: the next start asks the servers, as without this.
    }
  }
}

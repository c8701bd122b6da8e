/**
 * Everything local-aws must remember across a restart (users, tokens, identities, issued
 * credentials, keys), kept in `<data>/state.json` and replaced atomically on each change.
 * Passwords are never stored: only SRP salts and verifiers; refresh tokens only as hashes.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';

export type UserStatus = 'FORCE_CHANGE_PASSWORD' | 'CONFIRMED' | 'RESET_REQUIRED';

export interface UserRecord {
  sub: string;
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  salt: string;
  verifier: string;
  temporaryPasswordExpiresAt?: number;
  createdAt: number;
  modifiedAt: number;
  totpSecret?: string;
  totpPendingSecret?: string;
  totpEnabled: boolean;
  smsMfaEnabled: boolean;
  /** Tokens whose `iat` is before this (epoch seconds) were signed out globally. */
  tokensValidAfter: number;
  failedAttempts: number;
  lockedUntil?: number;
  /** Names of the user pool groups the user belongs to. */
  groups?: string[];
}

/** A user pool group: its IAM role (for identity pool role mapping) and precedence. */
export interface GroupRecord {
  name: string;
  description?: string;
  roleArn?: string;
  /** Lower wins; absent (null in the API) loses to any number. */
  precedence?: number;
  createdAt: number;
  modifiedAt: number;
}

export interface RefreshRecord {
  sub: string;
  clientId: string;
  originJti: string;
  authTime: number;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  /** Rotation: when this token was replaced (it stays usable for the grace period). */
  rotatedAt?: number;
}

export interface CredentialRecord {
  secretAccessKey: string;
  sessionToken: string;
  identityId: string;
  sub: string;
  expiresAt: number;
  /** The role the credentials were issued for (absent: the pool's default authenticated role). */
  roleArn?: string;
}

export interface OutboxMessage {
  at: number;
  to: string;
  sub: string;
  kind: 'FORGOT_PASSWORD' | 'SMS_MFA' | 'INVITATION';
  code: string;
}

export interface StateData {
  version: 1;
  ids: {
    region: string;
    userPoolId: string;
    clientId: string;
    identityPoolId: string;
    accountId: string;
    adminAccessKeyId: string;
    adminSecretAccessKey: string;
    adminToken: string;
    serverSecret: string;
  };
  signingKey: { kid: string; privateJwk: JWK };
  users: Record<string, UserRecord>;
  refreshTokens: Record<string, RefreshRecord>;
  identities: Record<string, string>;
  credentials: Record<string, CredentialRecord>;
  forgotCodes: Record<string, { code: string; expiresAt: number; attempts?: number }>;
  outbox: OutboxMessage[];
  /** User pool groups by name (absent in states written before groups existed). */
  groups?: Record<string, GroupRecord>;
  /** The groups whose IAM roles exist (as the template deploys them). */
  groupRoles?: string[];
}

export class StateFile {
  private readonly path: string;

  constructor(
    dir: string,
    readonly data: StateData,
  ) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, 'state.json');
  }

  static load(dir: string): StateData | null {
    try {
      return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as StateData;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`local-aws: cannot read ${join(dir, 'state.json')}: ${String(err)}`, {
        cause: err,
      });
    }
  }

  /** Writes the whole state atomically (temp file + rename), dropping what has expired. */
  save(nowMs: number = Date.now()): void {
    const nowS = Math.floor(nowMs / 1000);
    for (const [id, c] of Object.entries(this.data.credentials)) {
      if (c.expiresAt < nowS - 3600) delete this.data.credentials[id];
    }
    for (const [h, r] of Object.entries(this.data.refreshTokens)) {
      if (r.expiresAt < nowS) delete this.data.refreshTokens[h];
    }
    if (this.data.outbox.length > 1000) this.data.outbox.splice(0, this.data.outbox.length - 1000);
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}

/**
 * What StorageService needs of a signed-in user's access, as types: the S3 paths of one role
 * and the four calls it makes. UserAccess (userAccess.ts) implements it and builds the
 * StorageService; the storage side imports only this module, so the two do not import each
 * other (issue #17).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { RoleCredentials } from './credentials';
import type { DirectGet } from './directGet';

/** The S3 paths of one role: credentials, the SDK client, and the lean GET (directGet.ts). */
export interface RoleClients {
  credentials: RoleCredentials;
  s3: S3Client;
  direct: DirectGet;
}

export interface RoleAccess {
  /** Throws NOT_SIGNED_IN once the user's access was dropped. */
  assertLive(): void;
  /** The role that opens `key` in `bucket` for this user (undefined: the pool's choice). */
  roleFor(bucket: string, key: string): Promise<string | undefined>;
  /** The S3 paths of a role for this user (built on first use). */
  role(roleArn?: string): RoleClients;
  /** AWS refused a role's credentials: forget them and rebuild its SDK client. */
  renew(roleArn?: string): void;
}

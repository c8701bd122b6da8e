/**
 * Connection profiles: validated with a clear message for each wrong field, remembered in the
 * app's data folder (not secret), one of them active.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Problem } from '../../shared/errors';
import type { ConnectionProfile } from '../../shared/profile';
import { KuraError } from './kuraError';

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const url = z
  .string()
  .refine((v) => /^https?:\/\/[^\s/]+(\/.*)?$/.test(v), 'must be an http(s) URL')
  .optional();

export const profileSchema = z
  .object({
    version: z.literal(1, { error: 'must be 1' }),
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    region: z.string().regex(REGION, 'must be an AWS region such as ap-northeast-1'),
    userPoolId: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d_[A-Za-z0-9]+$/, 'must look like ap-northeast-1_AbCdEf123'),
    userPoolClientId: z
      .string()
      .regex(/^[a-z0-9]{1,128}$/, 'must be the app client id (lowercase letters and digits)'),
    identityPoolId: z
      .string()
      .regex(
        /^[a-z]{2}(-gov)?-[a-z]+-\d:[0-9a-f-]{36}$/,
        'must look like ap-northeast-1:1234abcd-…',
      ),
    buckets: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be S3 bucket names'))
      .max(100)
      .optional(),
    endpoints: z.object({ cognitoIdp: url, cognitoIdentity: url, s3: url }).strict().optional(),
    s3ForcePathStyle: z.boolean().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (!p.userPoolId.startsWith(`${p.region}_`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['userPoolId'],
        message: `must be in the profile's region (${p.region})`,
      });
    }
    if (!p.identityPoolId.startsWith(`${p.region}:`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['identityPoolId'],
        message: `must be in the profile's region (${p.region})`,
      });
    }
  });

/** Parses JSON text into a profile, or throws PROFILE_INVALID naming every wrong field. */
export function parseProfile(text: string): ConnectionProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new KuraError('PROFILE_INVALID', `not JSON (${(err as Error).message})`, {
      problems: [{ problem: 'json' }],
    });
  }
  const result = profileSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.flatMap((i) => profileProblems(i, raw));
    const detail = result.error.issues
      .map((i) => {
        const field = i.path.join('.') || '(profile)';
        return i.code === 'unrecognized_keys'
          ? `unknown field(s) ${i.keys.join(', ')}`
          : `${field} ${i.message}`;
      })
      .join('; ');
    throw new KuraError('PROFILE_INVALID', detail, { problems });
  }
  return result.data;
}

/** A schema issue as problems the UI words in each language (see shared/errors.ts). */
function profileProblems(i: z.core.$ZodIssue, raw: unknown): Problem[] {
  const field = i.path.map(String).join('.') || '(profile)';
  if (i.code === 'unrecognized_keys')
    return i.keys.map((k) => ({
      field: field === '(profile)' ? k : `${field}.${k}`,
      problem: 'unknownField',
    }));
  const at = i.path.reduce<unknown>(
    (v, k) =>
      v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined,
    raw,
  );
  if (i.code === 'invalid_type') return [{ field, problem: at === undefined ? 'missing' : 'type' }];
  if (i.code === 'custom' && /region/.test(i.message)) return [{ field, problem: 'otherRegion' }];
  if (i.code === 'too_small' && typeof at === 'string') return [{ field, problem: 'empty' }];
  if (i.code === 'too_big' && typeof at === 'string') return [{ field, problem: 'tooLong' }];
  return [{ field, problem: 'format', message: i.message }];
}

interface StoredProfiles {
  activeId: string | null;
  profiles: { id: string; profile: ConnectionProfile }[];
}

export class ProfileStore {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'profiles.json');
  }

  private read(): StoredProfiles {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as StoredProfiles;
    } catch {
      return { activeId: null, profiles: [] };
    }
  }

  private write(s: StoredProfiles) {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(s, null, 2));
    renameSync(tmp, this.path);
  }

  list(): { id: string; name: string; active: boolean }[] {
    const s = this.read();
    return s.profiles.map((p) => ({ id: p.id, name: p.profile.name, active: p.id === s.activeId }));
  }

  /** Adds (or replaces, same pool and client) a profile and makes it active. */
  add(profile: ConnectionProfile): string {
    const s = this.read();
    const same = s.profiles.find(
      (p) =>
        p.profile.userPoolId === profile.userPoolId &&
        p.profile.userPoolClientId === profile.userPoolClientId,
    );
    const id = same?.id ?? randomUUID();
    s.profiles = s.profiles.filter((p) => p.id !== id).concat({ id, profile });
    s.activeId = id;
    this.write(s);
    return id;
  }

  activate(id: string): void {
    const s = this.read();
    if (!s.profiles.some((p) => p.id === id))
      throw new KuraError('INVALID_ARGUMENT', 'unknown profile');
    s.activeId = id;
    this.write(s);
  }

  remove(id: string): void {
    const s = this.read();
    s.profiles = s.profiles.filter((p) => p.id !== id);
    if (s.activeId === id) s.activeId = s.profiles[0]?.id ?? null;
    this.write(s);
  }

  active(): { id: string; profile: ConnectionProfile } | null {
    const s = this.read();
    return s.profiles.find((p) => p.id === s.activeId) ?? null;
  }
}

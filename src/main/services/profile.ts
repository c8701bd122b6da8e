/**
 * Connection profiles: validated with a clear message for each wrong field, remembered in the
 * app's data folder (not secret), one of them active.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Problem } from '../../shared/errors';
import { IDENTITY_ID_VARIABLE, type ConnectionProfile } from '../../shared/profile';
import { KuraError } from './kuraError';

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Loopback names: where plain http cannot be read or redirected by anyone on the network. */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The one problem an endpoint has (problem 'insecureUrl' when it is plain http elsewhere). */
export const INSECURE_URL =
  'must be https:// (plain http:// only for 127.0.0.1, localhost or [::1])';

const url = z
  .string()
  .superRefine((v, ctx) => {
    let u: URL | null = null;
    try {
      if (/^https?:\/\/[^\s/]+(\/.*)?$/.test(v)) u = new URL(v);
    } catch {
      // Not a URL: said below.
    }
    if (!u) ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
    else if (u.protocol !== 'https:' && !isLoopbackHostname(u.hostname))
      ctx.addIssue({ code: 'custom', message: INSECURE_URL });
  })
  .optional();

/** Control characters (C0, C1, DEL) and the bidirectional formatting ones (overrides, isolates, marks). */
const CONTROL_OR_BIDI = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/**
 * What makes a label show other than it is, or act on a terminal: control characters, every
 * format character (bidirectional controls, zero-width spaces…) but the zero-width joiner that
 * emoji sequences need, and line or paragraph separators.
 */
const DECEPTIVE = /(?!\u200d)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * A location's folder: '' (the bucket) or `a/b/`; no '.' or '..' folder, and `${identityId}`, the
 * only variable, as a whole folder name (as IAM's `${cognito-identity.amazonaws.com:sub}/*`).
 */
const locationPrefix = z.string().superRefine((p, ctx) => {
  const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
  if (Buffer.byteLength(p) > 1024) return problem('must be at most 1024 bytes');
  if (p === '') return;
  if (p.startsWith('/')) return problem("must not start with '/'");
  if (!p.endsWith('/')) return problem("must be a folder: end it with '/' (or '' for the bucket)");
  if (p.includes('//')) return problem("must not contain an empty folder name ('//')");
  if (CONTROL_OR_BIDI.test(p))
    return problem('must not contain control or bidirectional formatting characters');
  const segments = p.slice(0, -1).split('/');
  if (segments.some((s) => s === '.' || s === '..'))
    return problem("must not contain a '.' or '..' folder name");
  const other = p.replaceAll(IDENTITY_ID_VARIABLE, '').match(/\$\{[^}]*\}?/);
  if (other) return problem(`may use only the variable ${IDENTITY_ID_VARIABLE}, not ${other[0]}`);
  if (segments.some((s) => s.includes(IDENTITY_ID_VARIABLE) && s !== IDENTITY_ID_VARIABLE))
    return problem(`may use ${IDENTITY_ID_VARIABLE} only as a whole folder name`);
});

const locationSchema = z
  .object({
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name such as acme-files'),
    prefix: locationPrefix.optional(),
    label: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters')
      .refine((l) => !DECEPTIVE.test(l), 'must not contain control or formatting characters'),
    roleArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
        'must be an IAM role ARN such as arn:aws:iam::123456789012:role/Design',
      )
      .optional(),
  })
  .strict();
/**
 * What a profile connects to — where the refresh token is sent. Two profiles are the same only
 * when all of it is the same (URLs compared after parsing); a name or a bucket list may change.
 */
export function profileIdentity(p: ConnectionProfile): string {
  const endpoint = (v: string | undefined) => {
    if (!v) return null;
    const u = new URL(v);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  };
  return JSON.stringify([
    p.region,
    p.userPoolId,
    p.userPoolClientId,
    p.identityPoolId,
    endpoint(p.endpoints?.cognitoIdp),
    endpoint(p.endpoints?.cognitoIdentity),
    endpoint(p.endpoints?.s3),
  ]);
}

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
    locations: z.array(locationSchema).max(100, 'must list at most 100 locations').optional(),
    updates: z
      .string()
      .refine(
        (v) => parseS3Folder(v) !== null,
        'must be an S3 folder such as s3://acme-files/kura-releases/',
      )
      .optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Map<string, number>();
    p.locations?.forEach((l, i) => {
      const place = `s3://${l.bucket}/${l.prefix ?? ''}`;
      const first = seen.get(place);
      if (first === undefined) seen.set(place, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['locations', i],
          message: `repeats locations.${first} (${place})`,
        });
    });
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

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * `s3://bucket/prefix/` as bucket and prefix, or null. The prefix is a folder (ends in '/'), is
 * not empty, and has no empty, `.` or `..` segment and no control characters: it names where
 * releases are read from and nothing else.
 */
export function parseS3Folder(url: string): { bucket: string; prefix: string } | null {
  const m = /^s3:\/\/([^/]+)\/(.+\/)$/.exec(url);
  if (!m || !BUCKET.test(m[1]!)) return null;
  const prefix = m[2]!;
  const control = [...prefix].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (Buffer.byteLength(prefix) > 512 || control || prefix.includes('\\')) return null;
  const segments = prefix.slice(0, -1).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  return { bucket: m[1]!, prefix };
}

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
  if (i.code === 'custom' && i.message === INSECURE_URL) return [{ field, problem: 'insecureUrl' }];
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

  list(): { id: string; name: string; active: boolean; endpoint?: string }[] {
    const s = this.read();
    return s.profiles.map((p) => ({
      id: p.id,
      name: p.profile.name,
      active: p.id === s.activeId,
      // Profiles of the same name stay apart on screen by where they connect.
      ...(p.profile.endpoints?.cognitoIdp
        ? { endpoint: new URL(p.profile.endpoints.cognitoIdp).host }
        : {}),
    }));
  }

  /**
   * Adds a profile and makes it active. The same deployment (pools, client, region and every
   * endpoint) replaces its earlier copy and keeps its id — the keychain account of its session;
   * anything else is a new profile with a new id, so a file that points the same pools at
   * another endpoint never inherits a stored refresh token.
   */
  add(profile: ConnectionProfile): string {
    const s = this.read();
    const identity = profileIdentity(profile);
    const same = s.profiles.find((p) => profileIdentity(p.profile) === identity);
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

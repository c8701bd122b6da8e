/**
 * `kura admin publish-release DIR`: puts an electron-builder output folder where the app looks
 * for updates — the connection profile's `updates` folder (s3://bucket/prefix/) — with the
 * administrator's own AWS credentials. Every file a `latest*.yml` names is checked against the
 * SHA-512 and size it states before anything is uploaded; installers and blockmaps go first and
 * the `latest*.yml` files last, so a user never sees a feed that names a file not there yet.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'yaml';
import { KuraError } from '../main/services/kuraError';
import { parseS3Folder, type ProfileStore } from '../main/services/profile';
import { releaseFileName } from '../main/services/updates/s3FeedProvider';
import { say } from './terminal';

const CHANNEL_FILE = /^latest(-[a-z0-9]+)*\.yml$/;

interface FeedFile {
  url: string;
  sha512: string;
  size?: number;
}

function sha512(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha512');
    createReadStream(path)
      .on('data', (b) => h.update(b))
      .on('error', reject)
      .on('end', () => resolve(h.digest('base64')));
  });
}

/**
 * What keeps the folder from being published: one problem (worded in each language, see
 * RELEASE_PROBLEMS in shared/errors.ts) about `field`, and the English `detail` for logs.
 */
const invalid = (problem: string, field: string | undefined, detail: string) =>
  new KuraError('RELEASE_INVALID', detail, {
    problems: [{ ...(field !== undefined ? { field } : {}), problem }],
  });

/** The file a feed names, or RELEASE_INVALID for a name Kura would not fetch. */
function feedFileName(url: string, channel: string): string {
  try {
    return releaseFileName(url);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_KURA_UNSAFE_FEED_FILE') throw err;
    throw invalid('unsafeFile', url, `${channel}: ${(err as Error).message}`);
  }
}

/** The files to upload, in order (installers, their blockmaps, then the channel files). */
export async function releaseFiles(dir: string): Promise<{ name: string; version: string }[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw invalid('notFolder', dir, `${dir} is not a folder`);
  const channels = readdirSync(dir).filter((f) => CHANNEL_FILE.test(f));
  if (channels.length === 0)
    throw invalid(
      'noFeed',
      dir,
      `${dir} has no latest*.yml: give the folder electron-builder wrote (dist/)`,
    );
  const files = new Map<string, string>();
  const versions = new Set<string>();
  for (const channel of channels) {
    const info = parse(readFileSync(join(dir, channel), 'utf8')) as {
      version?: string;
      files?: FeedFile[];
    };
    if (!info?.version || !Array.isArray(info.files) || info.files.length === 0)
      throw invalid('feedEmpty', channel, `${channel} names no version or no files`);
    versions.add(info.version);
    for (const f of info.files) {
      const name = feedFileName(f.url, channel);
      const path = join(dir, name);
      if (!existsSync(path))
        throw invalid('fileMissing', name, `${channel} names ${name}, which is not in ${dir}`);
      if (f.size !== undefined && statSync(path).size !== f.size)
        throw invalid(
          'sizeDiffers',
          name,
          `${name} is ${statSync(path).size} bytes; ${channel} says ${f.size}`,
        );
      if ((await sha512(path)) !== f.sha512)
        throw invalid(
          'checksumDiffers',
          name,
          `${name} does not have the SHA-512 ${channel} states (rebuilt since?)`,
        );
      files.set(name, info.version);
      if (existsSync(`${path}.blockmap`)) files.set(`${name}.blockmap`, info.version);
    }
  }
  if (versions.size > 1)
    throw invalid(
      'versionsDiffer',
      [...versions].join(', '),
      `the latest*.yml files name different versions: ${[...versions].join(', ')}`,
    );
  const version = [...versions][0]!;
  return [
    ...[...files.keys()].map((name) => ({ name, version })),
    ...channels.sort().map((name) => ({ name, version })),
  ];
}

export async function publishRelease(
  dir: string,
  to: { bucket: string; prefix: string },
  s3: S3Client,
  progress: (name: string) => void = () => undefined,
): Promise<{ version: string; keys: string[] }> {
  const files = await releaseFiles(dir);
  const keys: string[] = [];
  for (const { name } of files) {
    const path = join(dir, name);
    progress(name);
    const key = `${to.prefix}${name}`;
    await s3.send(
      new PutObjectCommand({
        Bucket: to.bucket,
        Key: key,
        Body: createReadStream(path),
        ContentLength: statSync(path).size,
        // The feed must never be served stale by a cache in between.
        ...(CHANNEL_FILE.test(name) ? { CacheControl: 'no-cache' } : {}),
      }),
    );
    keys.push(key);
  }
  return { version: files[0]!.version, keys };
}

/** The CLI command: the folder, and where to (`--to`, else the active profile's `updates`). */
export async function publishReleaseCommand(
  profiles: ProfileStore,
  dir: string | undefined,
  to: string | undefined,
): Promise<number> {
  if (!dir)
    throw invalid(
      'noDir',
      undefined,
      'admin publish-release needs DIR, the folder electron-builder wrote',
    );
  const active = profiles.active();
  if (!active) throw new KuraError('NO_PROFILE');
  const target = to ?? active.profile.updates;
  if (!target)
    throw invalid(
      'noTarget',
      undefined,
      'say where with --to s3://bucket/prefix/, or add "updates" to the connection profile',
    );
  const where = parseS3Folder(target);
  if (!where)
    throw invalid(
      'notS3Folder',
      target,
      `${target} is not an S3 folder such as s3://acme-files/kura-releases/`,
    );
  const p = active.profile;
  const s3 = new S3Client({
    region: p.region,
    endpoint: p.endpoints?.s3,
    forcePathStyle: p.s3ForcePathStyle ?? false,
  });
  const r = await publishRelease(dir, where, s3, (name) =>
    process.stderr.write(say.admin.uploading(name) + '\n'),
  );
  process.stderr.write(
    say.admin.published(r.version, `s3://${where.bucket}/${where.prefix}`, r.keys.length) + '\n',
  );
  return 0;
}

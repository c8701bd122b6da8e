/** A release folder as electron-builder writes it (installer, latest*.yml), made small for tests. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** The channel file electron-updater reads on Linux, for this machine's architecture. */
export const LINUX_CHANNEL = `latest-linux${process.arch === 'x64' ? '' : `-${process.arch}`}.yml`;

export function makeRelease(
  dir: string,
  version: string,
  o: { bytes?: Buffer; stateSha512Of?: Buffer } = {},
): { dir: string; installer: string; bytes: Buffer } {
  mkdirSync(dir, { recursive: true });
  const bytes = o.bytes ?? randomBytes(256 * 1024 + 13);
  const installer = `Kura-${version}-amd64.deb`;
  writeFileSync(join(dir, installer), bytes);
  const sha512 = createHash('sha512')
    .update(o.stateSha512Of ?? bytes)
    .digest('base64');
  writeFileSync(
    join(dir, LINUX_CHANNEL),
    stringify({
      version,
      files: [{ url: installer, sha512, size: bytes.length }],
      path: installer,
      sha512,
      releaseDate: '2026-11-30T00:00:00.000Z',
    }),
  );
  return { dir, installer, bytes };
}

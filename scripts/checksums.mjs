#!/usr/bin/env node
// SHA-256 of every release file electron-builder left in a folder (installers, archives,
// blockmaps, latest*.yml), in `sha256sum` format, so people can check what they downloaded:
// `sha256sum -c SHA256SUMS-<os>.txt`. Usage: node scripts/checksums.mjs dist OUT.txt
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RELEASE_FILE = /\.(dmg|zip|exe|AppImage|deb|blockmap|yml)$/;

const sha256 = (path) =>
  new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (b) => h.update(b))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });

export async function checksums(dir) {
  const names = readdirSync(dir)
    .filter(
      (f) =>
        RELEASE_FILE.test(f) && f !== 'builder-debug.yml' && f !== 'builder-effective-config.yaml',
    )
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
  const lines = [];
  for (const name of names) lines.push(`${await sha256(join(dir, name))}  ${name}`);
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = 'dist', out] = process.argv.slice(2);
  const lines = await checksums(dir);
  if (lines.length === 0) {
    console.error(`checksums: no release files in ${dir}`);
    process.exit(1);
  }
  const text = lines.join('\n') + '\n';
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

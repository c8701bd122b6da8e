import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksums } from '../../scripts/checksums.mjs';
import { releaseNotes } from '../../scripts/release-notes.mjs';
import { tempDir } from '../helpers/kura';

const root = new URL('../..', import.meta.url).pathname;

describe('release notes from CHANGELOG.md', () => {
  it("are the tagged version's section, without its heading", () => {
    const changelog = '# Changelog\n\n## [1.1.0]\n\n- New.\n\n## [1.0.0]\n\n- First.\n';
    expect(releaseNotes(changelog, 'v1.1.0')).toBe('- New.');
    expect(releaseNotes(changelog, '1.0.0')).toBe('- First.');
    expect(releaseNotes(changelog, 'v2.0.0')).toBeNull();
  });

  it("exist for package.json's version, so its tag can be released", () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(releaseNotes(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), `v${version}`)).toMatch(
      /\S/,
    );
  });
});

describe('SHA-256 checksums of a release folder', () => {
  it('list the installers, blockmaps and latest*.yml in sha256sum format, and nothing else', async () => {
    const dir = tempDir('kura-dist-');
    const files = {
      'Kura-0.1.0.dmg': 'dmg',
      'Kura Setup 0.1.0.exe': 'exe',
      'Kura Setup 0.1.0.exe.blockmap': 'map',
      'latest.yml': 'version: 0.1.0',
      'builder-debug.yml': 'debug',
      'notes.txt': 'not a release file',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(await checksums(dir)).toEqual([
      `${sha('exe')}  Kura Setup 0.1.0.exe`,
      `${sha('map')}  Kura Setup 0.1.0.exe.blockmap`,
      `${sha('dmg')}  Kura-0.1.0.dmg`,
      `${sha('version: 0.1.0')}  latest.yml`,
    ]);
  });
});

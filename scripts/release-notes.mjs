#!/usr/bin/env node
// Release notes from CHANGELOG.md: the section of the given version (`v1.2.3` or `1.2.3`),
// without its heading. Exits 1 when the changelog has no such section, so a tag cannot be
// released without notes. Usage: node scripts/release-notes.mjs v1.2.3 [CHANGELOG.md]
import { readFileSync } from 'node:fs';

export function releaseNotes(changelog, tag) {
  const version = tag.replace(/^v/, '');
  const lines = changelog.split('\n');
  const heading = /^## \[?(\d+\.\d+\.\d+[^\]\s]*)\]?/;
  const start = lines.findIndex((l) => heading.exec(l)?.[1] === version);
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && heading.test(l));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [tag, file = 'CHANGELOG.md'] = process.argv.slice(2);
  const notes = tag ? releaseNotes(readFileSync(file, 'utf8'), tag) : null;
  if (!notes) {
    console.error(`release-notes: ${file} has no "## [${tag?.replace(/^v/, '')}]" section`);
    process.exit(1);
  }
  process.stdout.write(notes + '\n');
}

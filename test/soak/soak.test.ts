/**
 * The soak in CI (scripts/soakRun.ts): a short fixed seed whose plan draws every kind of fault —
 * cuts, stalls, 503s, a flipped byte, a replaced object, expired credentials, SIGKILL and restart
 * — with smaller files than the full soak (`npm run soak`, README), all its checks held.
 */
import { describe, expect, it } from 'vitest';
import { planFaults, runSoak } from '../../scripts/soakRun';
import { keychainSkipReason } from '../helpers/kura';

const SEED = 101;
const TRANSFERS = 30;
const LIMITS = { maxFileBytes: 8 * 1024 * 1024, maxFolderFiles: 40 };

describe.skipIf(keychainSkipReason !== '')(`soak (seed ${SEED}) ${keychainSkipReason}`, () => {
  it('draws every kind of fault from its seed', () => {
    expect([...planFaults(SEED, TRANSFERS, LIMITS)].sort()).toEqual(
      ['503', 'cut', 'expire', 'flip', 'kill', 'replace', 'stall'].sort(),
    );
  });

  it(`${TRANSFERS} transfers: no corrupted, torn or stray file, every failure reported, ≤ 1.2× fetched`, async () => {
    const r = await runSoak({ transfers: TRANSFERS, seed: SEED, ...LIMITS });
    expect(r.problems.join('\n')).toBe('');
    expect(r.files).toBeGreaterThan(TRANSFERS);
    expect(r.ratio).toBeLessThanOrEqual(1.2);
  }, 120_000);
});

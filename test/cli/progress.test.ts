/** The progress line of `kura get` on a terminal (progress.ts). */
import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/progress';
import { formatBytes } from '../../src/shared/format';

describe('progressLine', () => {
  it('shows the percentage, bytes, files, speed and time left when known', () => {
    expect(
      progressLine({
        bytesDone: 250,
        bytesTotal: 1000,
        filesDone: 1,
        filesTotal: 4,
        speed: 50,
        secondsLeft: 75,
      }),
    ).toBe(
      ` 25% ${formatBytes(250)} / ${formatBytes(1000)} 1/4 files ${formatBytes(50)}/s 1:15 left`,
    );
  });

  it('shows only the bytes when nothing else is known yet', () => {
    expect(progressLine({ bytesDone: 10, bytesTotal: 0 })).toBe(` ${formatBytes(10)}`);
  });
});

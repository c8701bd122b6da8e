/**
 * The transfer files of a data folder are named once (transfers/paths.ts) for the app, the CLI and
 * the start-up sweep: a partial file either front's persisted queue resumes from survives the
 * sweep, whichever front made it; a recorded leftover nobody resumes goes.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileIdentity, PartialLedger } from '../../../../src/main/services/download/partialLedger';
import { transferPaths } from '../../../../src/main/services/transfers/paths';
import {
  sweepRecordedPartials,
  writeQueue,
} from '../../../../src/main/services/transfers/persistence';
import type { TransferRecord } from '../../../../src/main/services/transfers/view';
import { tempDir } from '../../../helpers/kura';

describe('transferPaths', () => {
  it('names the app’s and the CLI’s queue of a profile apart, in the queues’ folder', () => {
    const paths = transferPaths('/data');
    expect(paths.queues).toBe(join('/data', 'transfers'));
    expect(paths.queueFile('p1')).toBe(join('/data', 'transfers', 'p1.json'));
    expect(paths.queueFile('p1', 'cli')).toBe(join('/data', 'transfers', 'cli-p1.json'));
    expect(paths.receipts).toBe(join('/data', 'receipts.jsonl'));
    expect(paths.partials).toBe(join('/data', 'partials.jsonl'));
  });

  it('the sweep keeps what the app’s and the CLI’s queues resume from, and deletes a leftover', async () => {
    const dataDir = tempDir('kura-paths-');
    const dir = tempDir();
    const paths = transferPaths(dataDir);
    const ledger = new PartialLedger(paths.partials);
    const partial = (name: string) => {
      const path = join(dir, name);
      writeFileSync(path, 'partial bytes');
      ledger.record(path, fileIdentity(statSync(path, { bigint: true })));
      return name;
    };
    const record = (name: string) =>
      ({
        file: { bucket: 'b', key: 'k', dir, name: 'k', partial: name },
      }) as unknown as TransferRecord;
    const app = partial('.kura-1111111111111111.partial');
    const cli = partial('.kura-2222222222222222.partial');
    const leftover = partial('.kura-3333333333333333.partial');
    ledger.close();
    writeQueue(paths.queueFile('p1'), 'p1/u', [record(app)]);
    writeQueue(paths.queueFile('p1', 'cli'), 'p1/u', [record(cli)]);

    (await sweepRecordedPartials(dataDir)).close();
    expect(existsSync(join(dir, app))).toBe(true);
    expect(existsSync(join(dir, cli))).toBe(true);
    expect(existsSync(join(dir, leftover))).toBe(false);
  });
});

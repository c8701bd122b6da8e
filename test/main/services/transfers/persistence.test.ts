import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readQueue } from '../../../../src/main/services/transfers/persistence';
import { tempDir } from '../../../helpers/kura';

describe('the persisted queue', () => {
  it('reads skipped items saved by an earlier Kura (an English reason) as errors to word', () => {
    const file = join(tempDir(), 'queue.json');
    const unsafe = { code: 'UNSAFE_NAME', detail: 'a/../b' };
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        owner: 'p/u',
        records: [
          {
            id: 't1',
            skipped: [
              { key: 'a/../b', reason: 'leaves the folder', error: unsafe },
              { key: 'gone.txt', reason: 'The object was not found' },
            ],
            folder: { skipped: [{ key: 'x', reason: 'denied', error: { code: 'ACCESS_DENIED' } }] },
          },
          { id: 't2', skipped: [{ key: 'now.txt', reason: { code: 'NOT_FOUND' } }] },
        ],
      }),
    );
    const q = readQueue(file)!;
    expect(q.records[0]!.skipped).toEqual([
      { key: 'a/../b', reason: unsafe },
      { key: 'gone.txt', reason: { code: 'UNKNOWN', detail: 'The object was not found' } },
    ]);
    expect(q.records[0]!.folder!.skipped).toEqual([
      { key: 'x', reason: { code: 'ACCESS_DENIED' } },
    ]);
    expect(q.records[1]!.skipped).toEqual([{ key: 'now.txt', reason: { code: 'NOT_FOUND' } }]);
  });

  it('is undefined when the file is missing or not JSON', () => {
    const dir = tempDir();
    expect(readQueue(join(dir, 'none.json'))).toBeUndefined();
    writeFileSync(join(dir, 'torn.json'), '{"version":1,');
    expect(readQueue(join(dir, 'torn.json'))).toBeUndefined();
  });
});

import { existsSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newFileJob } from '../../../../src/main/services/download/fileJob';
import { tempDir } from '../../../helpers/kura';

describe('the engine job for one file (the queue and the drag cache)', () => {
  it("is saved under the key's last segment in the destination, with the seed that names its partial", async () => {
    const dest = tempDir();
    const job = await newFileJob('b', 'reports/2024/q1.pdf', dest, { seed: 'id\nkey' });
    expect(job).toEqual({
      bucket: 'b',
      key: 'reports/2024/q1.pdf',
      dir: dest,
      name: 'q1.pdf',
      seed: 'id\nkey',
    });
    expect(readdirSync(dest)).toEqual([]);
  });

  it('maps a name Windows or the shell would misread instead of saving it as is', async () => {
    const job = await newFileJob('b', 'x/CON', tempDir());
    expect(job.name).toBe('_CON');
  });

  it('saves under the name asked for, making its folders inside the destination', async () => {
    const dest = tempDir();
    const job = await newFileJob('b', 'k.txt', dest, { saveAs: 'sub/inner/renamed.txt' });
    expect(job.dir).toBe(join(dest, 'sub', 'inner'));
    expect(job.name).toBe('renamed.txt');
    expect(existsSync(job.dir)).toBe(true);
  });

  it('refuses a key or a name that would leave the destination, making nothing', async () => {
    const dest = tempDir();
    await expect(newFileJob('b', 'a/..', dest)).rejects.toMatchObject({ code: 'UNSAFE_NAME' });
    await expect(
      newFileJob('b', 'k.txt', dest, { saveAs: 'sub/../../out.txt' }),
    ).rejects.toMatchObject({ code: 'UNSAFE_NAME' });
    expect(readdirSync(dest)).toEqual([]);
  });

  it('refuses a link planted where one of its folders goes', async () => {
    const dest = tempDir();
    const outside = tempDir('kura-outside-');
    symlinkSync(outside, join(dest, 'sub'));
    await expect(newFileJob('b', 'k.txt', dest, { saveAs: 'sub/k.txt' })).rejects.toMatchObject({
      code: 'UNSAFE_NAME',
    });
    expect(readdirSync(outside)).toEqual([]);
  });
});

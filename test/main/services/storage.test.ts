/**
 * Read-only storage (src/main/services/storage.ts), the signed-in user's S3 adapter, against
 * local-aws: buckets from the profile when the role may not list them, a folder listed page by
 * page, credentials AWS expired early renewed. (What the engine does with its GETs:
 * download/objectDownload.test.ts and download/folderDownload.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../local-aws/server';
import type { KuraCore } from '../../../src/main/services/kuraCore';
import { adminCall, startTestAws } from '../../helpers/localAws';
import { downloadFile, signedInCore, tempDir } from '../../helpers/kura';

const bucket = 'kura-demo';
let aws: LocalAws;
let core: KuraCore;

const put = (key: string, body: string | Buffer) =>
  aws.store.put(bucket, key, Readable.from([Buffer.from(body)]));

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  core = await signedInCore(aws);
});
afterAll(() => aws.stop());

describe('read-only storage', () => {
  it("falls back to the profile's bucket list when the role may not list buckets", async () => {
    expect(await core.active().storage.listBuckets()).toEqual([
      { name: bucket, source: 'profile' },
    ]);
  });

  it('lists a folder page by page with folders and files apart', async () => {
    for (let i = 0; i < 5; i++) await put(`paged/f${i}.txt`, 'x');
    await put('paged/sub/a.txt', 'x');
    await put('paged/', '');
    const s = core.active().storage;
    const first = await s.listFolder(bucket, 'paged/', undefined, 4);
    // The folder's own marker counts toward MaxKeys but is not shown as a file.
    expect(first.files.map((f) => f.name)).toEqual(['f0.txt', 'f1.txt', 'f2.txt']);
    expect(first.folders).toEqual([]);
    const second = await s.listFolder(bucket, 'paged/', first.continuationToken, 4);
    expect(second.files.map((f) => f.name)).toEqual(['f3.txt', 'f4.txt']);
    expect(second.folders).toEqual([{ prefix: 'paged/sub/', name: 'sub' }]);
    expect(second.continuationToken).toBeUndefined();
  });

  it('renews credentials that AWS expired early and goes on', async () => {
    await put('renew.txt', 'fresh');
    await core.active().access.get();
    await adminCall(aws, 'POST', 'credentials/expire');
    const r = await downloadFile(core.active().storage, bucket, 'renew.txt', tempDir());
    expect(readFileSync(r.path, 'utf8')).toBe('fresh');
  });
});

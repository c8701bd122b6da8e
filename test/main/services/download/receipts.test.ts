/**
 * The download log (src/main/services/download/receipts.ts) for downloads made against
 * local-aws: each landed file's receipt carries what was verified (ETag, version, checksum),
 * History shows a folder download as one entry, the CSV export keeps hostile keys as text, and
 * lines torn by a crash are skipped. (Whose receipts a user sees: test/main/receipts.test.ts.)
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../../local-aws/server';
import {
  downloadFolder,
  newFolderJob,
} from '../../../../src/main/services/download/folderDownload';
import {
  downloadObject,
  type FileResult,
} from '../../../../src/main/services/download/objectDownload';
import {
  historyOf,
  ReceiptLog,
  receiptsToCsv,
  type NewReceipt,
} from '../../../../src/main/services/download/receipts';
import type { KuraCore } from '../../../../src/main/services/kuraCore';
import { startTestAws } from '../../../helpers/localAws';
import { signedInCore, tempDir } from '../../../helpers/kura';

const bucket = 'kura-demo';
const engine = { backoffMs: 20, idleTimeoutMs: 1000 };
const who = { profileId: 'p1', user: 'alice@example.com', sub: 'sub-alice' };
let aws: LocalAws;
let core: KuraCore;

const logFile = () => join(mkdtempSync(join(tmpdir(), 'kura-receipts-')), 'receipts.jsonl');
const storage = () => core.active().storage;

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  core = await signedInCore(aws);
  await aws.store.put(bucket, 'docs/report.pdf', Readable.from([Buffer.from('%PDF report')]), {
    checksumAlgorithm: 'SHA256',
  });
  await aws.store.put(bucket, '=HYPERLINK("http://x")', Readable.from([Buffer.from('x')]));
  await aws.store.put(bucket, 'photos/2024/a.jpg', Readable.from([Buffer.alloc(1000, 1)]));
  await aws.store.put(bucket, 'photos/2024/b.jpg', Readable.from([Buffer.alloc(2500, 2)]));
  await aws.store.put(bucket, 'photos/c.jpg', Readable.from([Buffer.alloc(40, 3)]));
});
afterAll(() => aws.stop());

async function downloadAndLog(log: ReceiptLog, key: string) {
  const dir = tempDir();
  const r = await downloadObject(storage(), { bucket, key, dir, name: basename(key) }, { engine });
  const head = await storage().head(bucket, key);
  return { receipt: await log.append(receiptOf(key, r)), head };
}

/** The receipt of a landed file, as the transfer queue writes it. */
function receiptOf(key: string, r: FileResult, folder?: NewReceipt['folder']): NewReceipt {
  return {
    ...who,
    bucket,
    key,
    etag: r.etag,
    size: r.size,
    destination: r.path,
    ...(r.versionId ? { versionId: r.versionId } : {}),
    ...(r.checksum ? { checksum: r.checksum } : {}),
    ...(folder ? { folder } : {}),
  };
}

describe('ReceiptLog with downloads from local-aws', () => {
  it("keeps what was verified for a file and shows it without the file's path", async () => {
    const log = new ReceiptLog(logFile());
    const { receipt, head } = await downloadAndLog(log, 'docs/report.pdf');
    expect(receipt.etag.replace(/"/g, '')).toBe(head.ETag!.replace(/"/g, ''));
    expect(receipt.checksum?.algorithm).toBe('SHA256');
    expect(receipt.checksum?.value).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(readFileSync(receipt.destination, 'utf8')).toBe('%PDF report');
    expect(await log.find(receipt.id)).toEqual(receipt);
    const [view] = historyOf(await log.list({ profileId: 'p1', sub: 'sub-alice' }));
    expect(view).toMatchObject({
      id: receipt.id,
      kind: 'file',
      key: 'docs/report.pdf',
      name: 'report.pdf',
      savedAs: 'report.pdf',
      size: 11,
      checksum: `SHA256 ${receipt.checksum!.value}`,
    });
    expect(JSON.stringify(view)).not.toContain(receipt.destination);
  });

  it('shows a folder download as one History entry counting its files and bytes', async () => {
    const log = new ReceiptLog(logFile());
    const transferId = 't-photos';
    const written: Promise<unknown>[] = [];
    const job = newFolderJob(bucket, 'photos/', tempDir());
    await downloadFolder(storage(), job, {
      engine,
      onFile: (key, r) =>
        written.push(
          log.append(receiptOf(key, r, { transferId, prefix: 'photos/', path: job.folder! })),
        ),
    });
    await Promise.all(written);
    await downloadAndLog(log, 'docs/report.pdf');
    const history = historyOf(await log.list());
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ kind: 'file', name: 'report.pdf' });
    expect(history[1]).toMatchObject({
      kind: 'folder',
      key: 'photos/',
      name: 'photos',
      savedAs: 'photos',
      files: 3,
      size: 3540,
    });
  });

  it('exports CSV with a hostile key kept as text, one row per receipt', async () => {
    const log = new ReceiptLog(logFile());
    await downloadAndLog(log, '=HYPERLINK("http://x")');
    const csv = receiptsToCsv(await log.list());
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'time,bucket,key,versionId,etag,checksumAlgorithm,checksum,size,destination,user',
    );
    expect(lines).toHaveLength(3); // header, one row, and the final line break
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://x"")",`);
    expect(lines[1]).not.toMatch(/,=/);
  });

  it('writes many appends in batches, each line whole and the file owner-only', async () => {
    const file = logFile();
    const log = new ReceiptLog(file);
    const base: NewReceipt = { ...who, bucket, key: 'k', etag: 'e', size: 1, destination: '/d' };
    const all = await Promise.all(
      Array.from({ length: 300 }, (_, i) => log.append({ ...base, key: `k${i}` })),
    );
    expect(new Set(all.map((r) => r.id)).size).toBe(300);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(300);
    expect((await log.list()).map((r) => r.key)[0]).toBe('k299');
    expect((await log.list({ limit: 5 })).length).toBe(5);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('skips a line torn by a crash and keeps the rest', async () => {
    const file = logFile();
    const log = new ReceiptLog(file);
    const { receipt } = await downloadAndLog(log, 'docs/report.pdf');
    appendFileSync(file, '{"id":"torn","bucket":"kura-de');
    const again = new ReceiptLog(file);
    expect((await again.list()).map((r) => r.id)).toEqual([receipt.id]);
  });

  it('fails an append it cannot write, and the next one still lands', async () => {
    const file = logFile();
    const log = new ReceiptLog(file);
    const base: NewReceipt = { ...who, bucket, key: 'k', etag: 'e', size: 1, destination: '/d' };
    // A folder where the log should be: the append fails (as on a full or read-only disk).
    mkdirSync(file);
    await expect(log.append({ ...base, key: 'lost' })).rejects.toThrow();
    rmdirSync(file);
    await log.append({ ...base, key: 'next' });
    expect((await log.list()).map((r) => r.key)).toEqual(['next']);
  });
});

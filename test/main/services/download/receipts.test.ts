/**
 * The download log (src/main/services/download/receipts.ts) for downloads made against
 * local-aws: each landed file's receipt carries what was verified (ETag, version, checksum),
 * History shows a folder download as one entry, the CSV export keeps hostile keys as text, and
 * lines torn by a crash are skipped. And the log is each user's own: receipts are matched by the
 * user's stable id (`sub`), never by e-mail address, and nobody signed in sees, reveals or
 * exports any of them (the security review of issue #12, F3).
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
import { createConfirmedUser, deleteUser, startTestAws } from '../../../helpers/localAws';
import { codeOf, newApp, signedInCore, tempDir } from '../../../helpers/kura';

const bucket = 'kura-demo';
const PASSWORD = 'Correct-Horse-9';
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

describe('ReceiptLog.list', () => {
  it('matches a filter field given empty with nothing, never with everything', async () => {
    const log = new ReceiptLog(logFile());
    const receipt = { bucket, etag: 'e', size: 1, destination: '/x', user: 'a@example.com' };
    await log.append({ ...receipt, profileId: 'p', sub: 'sub-a', key: 'a.txt' });
    await log.append({ ...receipt, profileId: 'p', sub: 'sub-b', key: 'b.txt' });
    // Written before receipts kept the user's id: nobody's.
    await log.append({ ...receipt, profileId: 'p', key: 'old.txt' });
    const keys = async (f: Parameters<ReceiptLog['list']>[0]) =>
      (await log.list(f)).map((r) => r.key);
    expect(await keys({ profileId: 'p', sub: 'sub-a' })).toEqual(['a.txt']);
    expect(await keys({ profileId: 'p', sub: '' })).toEqual([]);
    expect(await keys({ profileId: '', sub: 'sub-a' })).toEqual([]);
    expect(await keys({})).toEqual(['old.txt', 'b.txt', 'a.txt']);
  });
});

describe("the app's download log", () => {
  beforeAll(async () => {
    await aws.store.put(bucket, 'private/salary.txt', Readable.from([Buffer.from('1,000,000')]));
    createConfirmedUser(aws, 'ann@example.com', PASSWORD);
    createConfirmedUser(aws, 'ben@example.com', PASSWORD);
  });

  it("is the signed-in user's only: none signed out, none for the next user, none for a reused address", async () => {
    const { app, desktop } = await newApp(aws);
    try {
      const api = app.api;
      await api.signIn('ann@example.com', PASSWORD);
      const done = new Promise<string>((resolve) =>
        app.transfers.onChange((t) => {
          if (t.state === 'done' || t.state === 'failed') resolve(t.state);
        }),
      );
      await api.download(bucket, 'private/salary.txt');
      expect(await done).toBe('done');
      const [mine] = await api.receipts();
      expect(mine).toMatchObject({ key: 'private/salary.txt' });
      await api.signOut(false);

      // Nobody signed in: nothing listed, revealed or exported.
      expect(await codeOf(api.receipts())).toBe('NOT_SIGNED_IN');
      expect(await codeOf(api.showReceipt(mine!.id))).toBe('NOT_SIGNED_IN');
      expect(await codeOf(api.exportReceipts('json'))).toBe('NOT_SIGNED_IN');
      expect(desktop.revealed).toEqual([]);
      expect(desktop.saved).toEqual([]);

      await api.signIn('ben@example.com', PASSWORD);
      expect(await api.receipts()).toEqual([]);
      expect(await codeOf(api.showReceipt(mine!.id))).toBe('NOT_FOUND');
      await api.signOut(false);

      // Ann's account is deleted and her address given to a new user: a new person, no history.
      await deleteUser(aws, 'ann@example.com');
      createConfirmedUser(aws, 'ann@example.com', PASSWORD);
      await api.signIn('ann@example.com', PASSWORD);
      expect(await api.receipts()).toEqual([]);
      expect(await codeOf(api.showReceipt(mine!.id))).toBe('NOT_FOUND');
      expect(desktop.revealed).toEqual([]);
    } finally {
      await app.shutdown();
    }
  });
});

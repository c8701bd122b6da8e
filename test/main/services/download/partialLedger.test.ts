/**
 * The ledger of the partial files Kura made (src/main/services/download/partialLedger.ts)
 * against the security review (#4: an object named `.kura-<hex>.partial` was downloaded, then
 * deleted at the next start): the sweep after a crash deletes only partials Kura recorded, in
 * whichever folder they were made, and keeps look-alikes, replaced files, partials a queue
 * resumes from and those of a running process.
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../../local-aws/server';
import { createKuraApp } from '../../../../src/main/compose/kuraApp';
import { recordingDesktop } from '../../../../src/main/browserTransport/desktop';
import { fileIdentity, PartialLedger } from '../../../../src/main/services/download/partialLedger';
import type { KuraCore } from '../../../../src/main/services/kuraCore';
import { MemorySecretStore } from '../../../../src/main/services/secretStore';
import { startTestAws } from '../../../helpers/localAws';
import { signedInCore, stoppedHalfWay, tempDir } from '../../../helpers/kura';

const EMAIL = 'p@example.com';
const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';
const MiB = 1024 * 1024;
let aws: LocalAws;
let core: KuraCore;

beforeAll(async () => {
  aws = await startTestAws({ bucket });
  core = await signedInCore(aws, EMAIL, PASSWORD);
});
afterAll(() => aws.stop());

/** A download of `key` stopped half-way, as a crash leaves it (test/helpers/kura.ts). */
const halfDone = (key: string, body: Buffer) =>
  stoppedHalfWay(aws, core.active().storage, bucket, key, body);

describe('the sweep after a crash deletes only partials Kura recorded', () => {
  it('keeps look-alikes, replaced files, partials to resume and those of a running process', async () => {
    const dataDir = tempDir('kura-ledger-');
    const dir = tempDir();
    const ledger = new PartialLedger(join(dataDir, 'partials.jsonl'));
    const make = (name: string, pid?: number) => {
      const path = join(dir, name);
      writeFileSync(path, 'partial bytes');
      const id = fileIdentity(statSync(path, { bigint: true }));
      if (pid === undefined) ledger.record(path, id);
      else
        writeFileSync(join(dataDir, 'partials.jsonl'), JSON.stringify({ path, id, pid }) + '\n', {
          flag: 'a',
        });
      return path;
    };
    const leftover = make('.kura-1111111111111111.partial');
    const resumable = make('.kura-2222222222222222.partial');
    const replaced = make('.kura-3333333333333333.partial');
    // Another file moved over it (made while the recorded one exists: not the same inode).
    writeFileSync(join(dir, 'other'), 'a file of the same name, not the one recorded');
    renameSync(join(dir, 'other'), replaced);
    const running = make('.kura-4444444444444444.partial', process.ppid);
    writeFileSync(join(dir, '.kura-5555555555555555.partial'), 'a download, never recorded');
    ledger.close();

    // A "next start" in another process: the leftover goes, everything else stays.
    const next = new PartialLedger(join(dataDir, 'partials.jsonl'));
    expect(await next.sweep(new Set([resumable]))).toBe(1);
    expect(existsSync(leftover)).toBe(false);
    for (const p of [resumable, replaced, running, join(dir, '.kura-5555555555555555.partial')])
      expect(existsSync(p), p).toBe(true);
    // The ledger forgets what is gone or not its own, and keeps what may still be swept.
    const kept = readFileSync(join(dataDir, 'partials.jsonl'), 'utf8');
    expect(kept).toContain(resumable);
    expect(kept).toContain(running);
    expect(kept).not.toContain(leftover);
    expect(kept).not.toContain(replaced);
  });

  it('an object named like a partial is saved under a mapped name and survives the next start', async () => {
    const key = 'odd/.kura-0123456789abcdef.partial';
    await aws.store.put(bucket, key, Readable.from([Buffer.from('real content')]));
    const dataDir = tempDir('kura-data-');
    const downloadsDir = tempDir('kura-downloads-');
    const secrets = new MemorySecretStore();
    const launch = () =>
      createKuraApp({ dataDir, downloadsDir, secrets, desktop: recordingDesktop(downloadsDir) });
    const first = await launch();
    first.core.profiles.add(aws.profile);
    await first.api.signIn(EMAIL, PASSWORD);
    const v = await first.api.download(bucket, key);
    await expect.poll(() => first.transfers.get(v.id)?.state, { timeout: 10_000 }).toBe('done');
    await first.shutdown();
    expect(readdirSync(downloadsDir)).toEqual(['_.kura-0123456789abcdef.partial']);

    const second = await launch();
    expect(readdirSync(downloadsDir)).toEqual(['_.kura-0123456789abcdef.partial']);
    expect(readFileSync(join(downloadsDir, '_.kura-0123456789abcdef.partial'), 'utf8')).toBe(
      'real content',
    );
    await second.shutdown();
  });

  it('a partial left by a crash in any folder is swept at the next start', async () => {
    const dataDir = tempDir('kura-data-');
    const downloadsDir = tempDir('kura-downloads-');
    const elsewhere = tempDir('kura-chosen-');
    const body = randomBytes(6 * MiB);
    const { partialPath } = await halfDone('crash/left.bin', body);
    // Recorded as made by a process that is gone (a crash), and resumed by nothing.
    const id = fileIdentity(statSync(partialPath, { bigint: true }));
    const moved = join(elsewhere, '.kura-abcdefabcdefabcd.partial');
    writeFileSync(moved, readFileSync(partialPath));
    const movedId = fileIdentity(statSync(moved, { bigint: true }));
    writeFileSync(
      join(dataDir, 'partials.jsonl'),
      [
        { path: partialPath, id, pid: 2 ** 22 + 1 },
        { path: moved, id: movedId, pid: 2 ** 22 + 1 },
      ]
        .map((e) => JSON.stringify(e) + '\n')
        .join(''),
    );
    const app = await createKuraApp({
      dataDir,
      downloadsDir,
      secrets: new MemorySecretStore(),
      desktop: recordingDesktop(downloadsDir),
    });
    expect(existsSync(partialPath)).toBe(false);
    expect(existsSync(moved)).toBe(false);
    await app.shutdown();
  });
});

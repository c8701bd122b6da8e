/**
 * The download log is each user's own: receipts are matched by the user's stable id (`sub`),
 * never by e-mail address, and nobody signed in sees, reveals or exports none of them (the
 * security review of issue #12, F3).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { ReceiptLog } from '../../src/main/services/download/receipts';
import { createConfirmedUser, deleteUser, startTestAws } from '../helpers/localAws';
import { codeOf, newApp } from '../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';

describe('ReceiptLog.list', () => {
  it('matches a filter field given empty with nothing, never with everything', async () => {
    const log = new ReceiptLog(join(mkdtempSync(join(tmpdir(), 'kura-receipts-')), 'r.jsonl'));
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
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startTestAws({ bucket });
    await aws.store.put(bucket, 'private/salary.txt', Readable.from([Buffer.from('1,000,000')]));
    createConfirmedUser(aws, 'ann@example.com', PASSWORD);
    createConfirmedUser(aws, 'ben@example.com', PASSWORD);
  });
  afterAll(() => aws.stop());

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

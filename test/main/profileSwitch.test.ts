/**
 * Switching profiles (kuraCore.ts, kuraApp.ts): the previous profile's user access is dropped,
 * their downloads stop as resumable (not failed, never run with the next user's credentials)
 * and finish when that profile is back; events of the previous profile's session no longer
 * reach the app; a profile imported again with new content is used at once (the security
 * review of issue #12, F6).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import type { SessionView, TransferView } from '../../src/shared/ipc';
import { adminCall, createConfirmedUser, startTestAws } from '../helpers/localAws';
import { newApp } from '../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';
let one: LocalAws;
let two: LocalAws;

beforeAll(async () => {
  [one, two] = await Promise.all([startTestAws({ bucket }), startTestAws({ bucket })]);
  for (const aws of [one, two]) {
    createConfirmedUser(aws, 'pat@example.com', PASSWORD);
    await aws.store.put(bucket, 'report.txt', Readable.from([Buffer.from(`of ${aws.url}`)]));
  }
});
afterEach(() => Promise.all([one, two].map((aws) => adminCall(aws, 'DELETE', 'faults'))));
afterAll(() => Promise.all([one.stop(), two.stop()]));

async function app() {
  const { app: kura, dataDir, downloadsDir } = await newApp();
  const events: TransferView[] = [];
  kura.transfers.onChange((v) => events.push(v));
  const ids = {
    one: kura.core.profiles.add(one.profile),
    two: kura.core.profiles.add(two.profile),
  };
  await kura.api.profileActivate(ids.one);
  return { kura, events, ids, dataDir, downloadsDir };
}

const holdGets = (aws: LocalAws) =>
  adminCall(aws, 'PUT', 'faults', [{ operation: 'GetObject', hold: true }]);
const states = (events: TransferView[], id: string) =>
  events.filter((e) => e.id === id).map((e) => e.state);
const finished = (events: TransferView[], id: string) =>
  expect.poll(() => states(events, id).at(-1), { timeout: 20_000 });
const sessionEvent = (kura: Awaited<ReturnType<typeof app>>['kura'], status: string) =>
  new Promise<SessionView>((resolve) => {
    const off = kura.core.onSessionChange((v) => {
      if (v.status !== status) return;
      off();
      resolve(v);
    });
  });

describe('a profile switch', () => {
  it("stops the previous user's downloads as resumable, and they finish when that profile is back", async () => {
    const { kura, events, ids, dataDir, downloadsDir } = await app();
    try {
      await kura.api.signIn('pat@example.com', PASSWORD);
      await holdGets(one);
      const t = await kura.api.download(bucket, 'report.txt');
      await one.faults.whenHeld('GetObject');

      await kura.api.profileActivate(ids.two);
      await expect.poll(() => states(events, t.id).at(-1), { timeout: 10_000 }).toBe('queued');
      expect(states(events, t.id)).not.toContain('failed');
      const persisted = JSON.parse(
        readFileSync(join(dataDir, 'transfers', `${ids.one}.json`), 'utf8'),
      ) as { records: { id: string; state: string }[] };
      expect(persisted.records.map((r) => [r.id, r.state])).toEqual([[t.id, 'queued']]);
      await adminCall(one, 'DELETE', 'faults');

      // The other profile's user does not inherit it.
      await kura.api.signIn('pat@example.com', PASSWORD);
      expect(await kura.api.transfers()).toEqual([]);

      await kura.api.profileActivate(ids.one);
      await kura.api.signIn('pat@example.com', PASSWORD);
      await finished(events, t.id).toBe('done');
      expect(readFileSync(join(downloadsDir, 'report.txt'), 'utf8')).toBe(`of ${one.url}`);
    } finally {
      await kura.shutdown();
    }
  });

  it("no longer hears the previous profile's session", async () => {
    const { kura, events, ids } = await app();
    try {
      await kura.api.signIn('pat@example.com', PASSWORD);
      const previous = kura.core.active().session;
      await kura.api.profileActivate(ids.two);
      await kura.api.signIn('pat@example.com', PASSWORD);
      await holdGets(two);
      const t = await kura.api.download(bucket, 'report.txt');
      await two.faults.whenHeld('GetObject');

      const heard: SessionView[] = [];
      kura.core.onSessionChange((v) => heard.push(v));
      // A late end of the previous profile's session (e.g. a refused refresh).
      await previous.expire();
      expect(heard).toEqual([]);
      expect(kura.core.active().session.view().status).toBe('signedIn');

      await adminCall(two, 'DELETE', 'faults');
      await finished(events, t.id).toBe('done');
    } finally {
      await kura.shutdown();
    }
  });

  it('uses a profile imported again with new content at once, its user still signed in', async () => {
    const { kura } = await app();
    try {
      await kura.api.signIn('pat@example.com', PASSWORD);
      expect((await kura.api.locations()).map((l) => l.prefix)).toEqual(['']);
      const signedIn = sessionEvent(kura, 'signedIn');
      await kura.api.profileImport(
        JSON.stringify({
          ...one.profile,
          locations: [
            ...(one.profile.locations ?? []),
            { bucket, prefix: 'reports/', label: 'Reports' },
          ],
        }),
      );
      expect((await kura.api.sessionView()).status).not.toBe('signedIn');
      await signedIn;
      expect((await kura.api.locations()).map((l) => l.prefix)).toEqual(['', 'reports/']);
    } finally {
      await kura.shutdown();
    }
  });
});

/**
 * Locations and per-user access through the browser transport: the page calls the contract (`kuraApi`: `window.kura` unwrapped as the renderer does)
 * (the contract, the dispatcher, the real services) — not the UI, which is being rebuilt.
 * Same app instance, two users: nothing A could read serves B after A signs out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startLocalAws, type LocalAws } from '../local-aws/server';
import type { KuraBridge, KuraEvents, LocationView } from '../src/shared/ipc';
import { launchKura, test, expect, type KuraInstance } from './fixtures';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';

let kura: KuraInstance | undefined;
let aws: LocalAws | undefined;
test.afterEach(async () => {
  await kura?.stop();
  await aws?.stop();
  kura = aws = undefined;
});

async function stack(o: { policy: 'own-prefix' | 'groups'; groups?: string[] }) {
  const a = await startLocalAws({ seed: 'none', bucket, ...o });
  const users: Record<string, string> = {};
  for (const [email, groups] of [
    ['ann@example.com', ['design']],
    ['ben@example.com', []],
  ] as const) {
    a.userPool.createUser(email, PASSWORD, { email_verified: 'true' });
    a.userPool.setUserPassword(email, PASSWORD, true);
    if (o.policy === 'groups') for (const g of groups) a.userPool.groups.addUser(email, g);
    users[email] = a.identityPool.identityFor(a.userPool.findUser(email)!.sub);
  }
  const put = (key: string, body: string) =>
    a.store.put(bucket, key, Readable.from([Buffer.from(body)]));
  await put(`${users['ann@example.com']}/private/salary.txt`, 'salary: 1,000,000');
  await put(`${users['ann@example.com']}/photo.png`, 'not really a png');
  if (o.policy === 'groups') await put('design/spec.txt', 'the spec');
  return { aws: a, home: `${users['ann@example.com']}/` };
}

test('one app instance, two users: after A signs out, B is denied everything under A’s home', async ({
  page,
  secrets,
}) => {
  const s = await stack({ policy: 'own-prefix' });
  aws = s.aws;
  kura = await launchKura({ secrets });
  await page.goto(kura.transport.url);
  const profile = JSON.stringify(s.aws.profile);
  const args = { bucket, home: s.home, profile, password: PASSWORD };

  // Every transfer and drag event the page receives, recorded from the start.
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      kuraApi: KuraBridge;
      seen: KuraEvents[keyof KuraEvents][];
    };
    g.seen = [];
    g.kuraApi.on('transfer', (t) => g.seen.push(t));
    g.kuraApi.on('drag', (d) => g.seen.push(d));
  });
  /** The last state the page heard of a transfer or drag item, with its error code. */
  const heard = (id: string) =>
    page.evaluate((x) => {
      const seen = (
        globalThis as unknown as { seen: { id: string; state: string; error?: { code: string } }[] }
      ).seen;
      const last = seen.filter((e) => e.id === x).at(-1);
      return last ? `${last.state}${last.error ? ` ${last.error.code}` : ''}` : 'nothing';
    }, id);

  // A: the home is the one location; list, search, preview, download and ready a drag.
  const a = await page.evaluate(async (x) => {
    const k = (globalThis as unknown as { kuraApi: KuraBridge }).kuraApi;
    await k.profileImport(x.profile);
    await k.signIn('ann@example.com', x.password);
    const locations = await k.locations();
    const page1 = await k.listFolder(x.bucket, x.home);
    const found = await k.search(x.bucket, x.home, 'salary');
    const shown = await k.preview(x.bucket, `${x.home}private/salary.txt`);
    const transfer = await k.download(x.bucket, `${x.home}private/salary.txt`);
    const dragged = await k.prepareDrag(x.bucket, `${x.home}photo.png`);
    return {
      locations,
      files: page1.files.map((f) => f.name),
      found: found.matches.length,
      shown,
      transferId: transfer.id,
      dragId: dragged.id,
    };
  }, args);
  expect(a.locations).toEqual([
    { id: `home:${bucket}/${s.home}`, bucket, prefix: s.home, label: 'My files', kind: 'home' },
  ] satisfies LocationView[]);
  expect(a.files).toEqual(['photo.png']);
  expect(a.found).toBe(1);
  expect(a.shown).toMatchObject({ kind: 'text', text: 'salary: 1,000,000' });
  await expect.poll(() => heard(a.transferId)).toBe('done');
  expect(readFileSync(join(kura.downloadsDir, 'salary.txt'), 'utf8')).toBe('salary: 1,000,000');
  await expect.poll(() => heard(a.dragId)).toBe('ready');

  // A signs out; B signs in on the same instance.
  const b = await page.evaluate(
    async (x) => {
      const k = (globalThis as unknown as { kuraApi: KuraBridge }).kuraApi;
      await k.signOut(false);
      await k.signIn('ben@example.com', x.password);
      const code = (p: Promise<unknown>) =>
        p.then(
          () => 'allowed',
          (e: Error) => e.message,
        );
      const transfer = await k.download(x.bucket, `${x.home}private/salary.txt`);
      const again = await k.prepareDrag(x.bucket, `${x.home}photo.png`);
      return {
        locations: (await k.locations()).map((l) => l.prefix),
        list: await code(k.listFolder(x.bucket, x.home)),
        listDeeper: await code(k.listFolder(x.bucket, `${x.home}private/`)),
        search: await code(k.search(x.bucket, x.home, 'salary')),
        preview: await code(k.preview(x.bucket, `${x.home}private/salary.txt`)),
        oldDrag: await code(k.startDrag([x.dragId])),
        transferId: transfer.id,
        dragId: again.id,
      };
    },
    { ...args, dragId: a.dragId },
  );
  expect(b.locations).not.toContain(s.home);
  expect(b).toMatchObject({
    list: 'ACCESS_DENIED',
    listDeeper: 'ACCESS_DENIED',
    search: 'ACCESS_DENIED',
    preview: 'ACCESS_DENIED',
    oldDrag: 'DRAG_NOT_READY',
  });
  await expect.poll(() => heard(b.transferId)).toBe('failed ACCESS_DENIED');
  // A's readied file is not B's: B's request is a new item, and it is refused.
  expect(b.dragId).not.toBe(a.dragId);
  await expect.poll(() => heard(b.dragId)).toBe('failed ACCESS_DENIED');
});

test('group folders: a member lists and opens hers with the group’s role; others are hidden and denied', async ({
  page,
  secrets,
}) => {
  const s = await stack({ policy: 'groups', groups: ['design', 'sales'] });
  aws = s.aws;
  kura = await launchKura({ secrets });
  await page.goto(kura.transport.url);
  const r = await page.evaluate(
    async (x) => {
      const k = (globalThis as unknown as { kuraApi: KuraBridge }).kuraApi;
      await k.profileImport(x.profile);
      await k.signIn('ann@example.com', x.password);
      const locations = await k.locations();
      const design = await k.listFolder(x.bucket, 'design/');
      const sales = await k.listFolder(x.bucket, 'sales/').then(
        () => 'allowed',
        (e: Error) => e.message,
      );
      await k.signOut(false);
      await k.signIn('ben@example.com', x.password);
      const benLocations = (await k.locations()).map((l) => l.kind);
      const benDesign = await k.listFolder(x.bucket, 'design/').then(
        () => 'allowed',
        (e: Error) => e.message,
      );
      return { locations, design: design.files.map((f) => f.name), sales, benLocations, benDesign };
    },
    { bucket, profile: JSON.stringify(s.aws.profile), password: PASSWORD },
  );
  expect(r.locations.map((l) => [l.kind, l.prefix, l.label])).toEqual([
    ['home', s.home, 'My files'],
    ['group', 'design/', 'design'],
  ]);
  expect(JSON.stringify(r.locations)).not.toContain('arn:');
  expect(r.design).toEqual(['spec.txt']);
  expect(r.sales).toBe('ACCESS_DENIED');
  expect(r.benLocations).toEqual(['home']);
  expect(r.benDesign).toBe('ACCESS_DENIED');
});

/**
 * The app as composed (src/main/compose/kuraApp.ts) around whose work is being done and whether
 * the servers answer:
 *
 * - Offline and back (#18): local-aws stopped in the middle of a download, then started again on
 *   the same port with the same state. The transfer waits "for the network" — no retry counted
 *   (the engine is given a single retry, which an outage of several probes would use up many
 *   times over) — and goes on by itself when the servers answer, with the session and its
 *   credentials intact; the file is the object's bytes.
 * - A profile switch (with kuraCore.ts): the previous profile's user access is dropped, their
 *   downloads stop as resumable (not failed, never run with the next user's credentials) and
 *   finish when that profile is back; events of the previous profile's session no longer reach
 *   the app; a profile imported again with new content is used at once (the security review of
 *   issue #12, F6).
 * - Same process, two users (the security review's finding): A signs in, lists and downloads
 *   from A's home, signs out; B signs in on the same app instance. Nothing cached for A may serve
 *   B: listing, searching, previewing, downloading or dragging anything under A's home is denied.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../../../local-aws/server';
import { composeCore } from '../../../src/main/compose/core';
import { createKuraApp } from '../../../src/main/compose/kuraApp';
import { recordingDesktop } from '../../../src/main/browserTransport/desktop';
import { MemorySecretStore } from '../../../src/main/services/secretStore';
import type { NetworkView, SessionView, TransferView } from '../../../src/shared/ipc';
import { newApp, tempDir } from '../../helpers/kura';
import {
  adminCall,
  createConfirmedUser,
  roleCredentials,
  signIn,
  startTestAws,
} from '../../helpers/localAws';

describe('offline and back', () => {
  const EMAIL = 'offline-user@example.com';
  const PASSWORD = 'Offline-Pass-2026!';
  const SIZE = 4 * 1024 * 1024;
  const BODY = Buffer.from(Buffer.alloc(SIZE).map((_, i) => (i * 7 + (i >> 10)) & 0xff));
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  /** Resolves with the first value of `list()` that `ok` accepts, checked on every event. */
  function when<T>(subscribe: (l: () => void) => () => void, get: () => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      const check = () => {
        const v = get();
        if (v !== undefined) {
          off();
          resolve(v);
        }
      };
      const off = subscribe(check);
      check();
    });
  }

  let aws: LocalAws | undefined;
  afterEach(async () => {
    await aws?.stop();
    aws = undefined;
  });

  it('a download waits for the network without burning retries, and finishes by itself', async () => {
    aws = await startLocalAws({ seed: 'none' });
    createConfirmedUser(aws, EMAIL, PASSWORD);
    await aws.store.put(aws.bucket, 'big/file.bin', Readable.from([BODY]));
    // Slow enough to be stopped in the middle.
    await adminCall(aws, 'PUT', 'faults', [
      { service: 's3', operation: 'GetObject', bytesPerSecond: 512 * 1024 },
    ]);
    const secrets = new MemorySecretStore();
    const downloadsDir = tempDir();
    const app = await createKuraApp({
      dataDir: tempDir('kura-data-'),
      downloadsDir,
      secrets,
      desktop: recordingDesktop(downloadsDir),
      network: { env: {}, monitor: { minProbeMs: 50, maxProbeMs: 200 } },
      engine: { retries: 1, backoffMs: 20, rangeThreshold: 1024 * 1024, partSize: 1024 * 1024 },
    });
    const network = app.network.network;
    try {
      const views: NetworkView[] = [];
      app.network.onChange((v) => views.push(v));
      app.core.profiles.add(aws.profile);
      await app.core.active().session.signIn(EMAIL, PASSWORD);
      const started = app.transfers.downloadFile(aws.bucket, 'big/file.bin');
      const view = () => app.transfers.get(started.id)!;
      const changes = (l: () => void) => app.transfers.onChange(l);
      await when(changes, () => (view().bytesDone > 256 * 1024 ? true : undefined));

      // The servers go away mid-download.
      const { port, dataDir } = aws;
      await aws.stop();
      aws = undefined;
      const waiting = await when(changes, () => (view().waitingForNetwork ? view() : undefined));
      expect(waiting.state).toBe('running');
      expect(waiting.retry).toBeUndefined();
      expect(app.network.view().online).toBe(false);
      expect(views.some((v) => !v.online)).toBe(true);
      // Several probes fail while it waits: each would have been a retry, and it had one.
      const probesThen = network.monitor.probes;
      await when(
        (l) => {
          const t = setInterval(l, 20);
          return () => clearInterval(t);
        },
        () => (network.monitor.probes >= probesThen + 3 ? true : undefined),
      );
      expect(view().state).toBe('running');
      expect(view().waitingForNetwork).toBe(true);

      // Back: same port, same state (users, sessions, issued credentials); no fault this time.
      aws = await startLocalAws({ seed: 'none', port, dataDir });
      const done = await when(changes, () =>
        ['done', 'failed'].includes(view().state) ? view() : undefined,
      );
      expect(done.state).toBe('done');
      expect(done.waitingForNetwork).toBeUndefined();
      expect(app.network.view().online).toBe(true);
      const path = app.transfers.pathOf(started.id)!;
      expect(sha(readFileSync(path))).toBe(sha(BODY));
      // The session survived.
      expect(app.core.active().session.view().status).toBe('signedIn');
      expect((await app.core.active().storage.listFolder(aws.bucket, 'big/')).files).toHaveLength(
        1,
      );
    } finally {
      await app.shutdown();
      network.destroy();
    }
  });

  it('without a network gate the same outage fails the transfer (what the gate prevents)', async () => {
    aws = await startLocalAws({ seed: 'none' });
    createConfirmedUser(aws, EMAIL, PASSWORD);
    await aws.store.put(aws.bucket, 'big/file.bin', Readable.from([BODY]));
    await adminCall(aws, 'PUT', 'faults', [
      { service: 's3', operation: 'GetObject', bytesPerSecond: 512 * 1024 },
    ]);
    const { TransferQueue } = await import('../../../src/main/services/transfers/queue');
    const { core } = composeCore({
      dataDir: tempDir('kura-data-'),
      secrets: new MemorySecretStore(),
      network: { env: {} },
    });
    core.profiles.add(aws.profile);
    await core.active().session.signIn(EMAIL, PASSWORD);
    const queue = new TransferQueue({
      storage: () => core.active().storage,
      downloadsDir: () => tempDir(),
      engine: { retries: 1, backoffMs: 20, rangeThreshold: 1024 * 1024, partSize: 1024 * 1024 },
    });
    await queue.attach('owner');
    const t = queue.downloadFile(aws.bucket, 'big/file.bin');
    const changes = (l: () => void) => queue.onChange(l);
    await when(changes, () => (queue.get(t.id)!.bytesDone > 256 * 1024 ? true : undefined));
    await aws.stop();
    aws = undefined;
    const end: TransferView = await when(changes, () =>
      ['done', 'failed'].includes(queue.get(t.id)!.state) ? queue.get(t.id) : undefined,
    );
    expect(end.state).toBe('failed');
    expect(end.error?.code).toBe('NETWORK');
    await queue.detach(true);
  });
});

describe('a profile switch', () => {
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

describe('one app instance, two users', () => {
  const PASSWORD = 'Correct-Horse-9';
  const bucket = 'kura-demo';
  let aws: LocalAws;
  let idA: string;

  beforeAll(async () => {
    aws = await startTestAws({ bucket, policy: 'own-prefix' });
    createConfirmedUser(aws, 'ann@example.com', PASSWORD);
    createConfirmedUser(aws, 'ben@example.com', PASSWORD);
    const session = await signIn(aws, 'ann@example.com', PASSWORD);
    idA = (await roleCredentials(aws, session.getIdToken().getJwtToken())).identityId;
    for (const [key, body] of [
      [`${idA}/private/salary.txt`, 'salary: 1,000,000'],
      [`${idA}/photo.png`, 'not really a png'],
    ] as const) {
      await aws.store.put(bucket, key, Readable.from([Buffer.from(body)]));
    }
  });
  afterAll(() => aws.stop());

  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'allowed',
      (e: { code?: string; message?: string }) =>
        (e.code === 'UNKNOWN' ? e.message : e.code) ?? e.message,
    );

  it("denies B everything under A's home after A signs out, through the app's services", async () => {
    const { app, downloadsDir } = await newApp(aws);
    try {
      const api = app.api;

      await api.signIn('ann@example.com', PASSWORD);
      const page = await api.listFolder(bucket, `${idA}/`);
      expect(page.files.map((f) => f.name)).toEqual(['photo.png']);
      expect((await api.search(bucket, `${idA}/`, 'salary')).matches).toHaveLength(1);
      expect(await api.preview(bucket, `${idA}/private/salary.txt`)).toMatchObject({
        kind: 'text',
        text: 'salary: 1,000,000',
      });
      const done = new Promise<string>((resolve) =>
        app.transfers.onChange((t) => {
          if (t.state === 'done' || t.state === 'failed') resolve(t.state);
        }),
      );
      await api.download(bucket, `${idA}/private/salary.txt`);
      expect(await done).toBe('done');
      expect(readFileSync(join(downloadsDir, 'salary.txt'), 'utf8')).toBe('salary: 1,000,000');
      const drag = await api.prepareDrag(bucket, `${idA}/photo.png`);
      await new Promise<void>((resolve) =>
        app.dragCache.onChange((d) => d.id === drag.id && d.state === 'ready' && resolve()),
      );
      await api.signOut(false);

      await api.signIn('ben@example.com', PASSWORD);
      expect(await codeOf(api.listFolder(bucket, `${idA}/`))).toBe('ACCESS_DENIED');
      expect(await codeOf(api.listFolder(bucket, `${idA}/private/`))).toBe('ACCESS_DENIED');
      expect(await codeOf(api.search(bucket, `${idA}/`, 'salary'))).toBe('ACCESS_DENIED');
      expect(await codeOf(api.preview(bucket, `${idA}/private/salary.txt`))).toBe('ACCESS_DENIED');
      const failed = new Promise<string | undefined>((resolve) =>
        app.transfers.onChange((t) => {
          if (t.state === 'done' || t.state === 'failed') resolve(t.error?.code ?? t.state);
        }),
      );
      await api.download(bucket, `${idA}/private/salary.txt`);
      expect(await failed).toBe('ACCESS_DENIED');
      // The drag item A readied is not B's: B's request fetches again, and is refused.
      const again = await api.prepareDrag(bucket, `${idA}/photo.png`);
      expect(again.id).not.toBe(drag.id);
      await expect(Promise.resolve().then(() => api.startDrag([drag.id]))).rejects.toMatchObject({
        code: 'DRAG_NOT_READY',
      });
      const refused = await new Promise<string | undefined>((resolve) => {
        if (again.state === 'failed') resolve(again.error?.code);
        app.dragCache.onChange(
          (d) => d.id === again.id && d.state !== 'preparing' && resolve(d.error?.code),
        );
      });
      expect(refused).toBe('ACCESS_DENIED');
    } finally {
      await app.shutdown();
    }
  });

  it("removes A's drag files when B signs in over A (no sign-out), and never hands them to B", async () => {
    const { app } = await newApp(aws);
    try {
      const api = app.api;
      await api.signIn('ann@example.com', PASSWORD);
      const drag = await api.prepareDrag(bucket, `${idA}/photo.png`);
      await new Promise<void>((resolve) =>
        app.dragCache.onChange((d) => d.id === drag.id && d.state === 'ready' && resolve()),
      );
      const [path] = app.dragCache.pathsFor([drag.id]);
      expect(existsSync(path!)).toBe(true);

      await api.signIn('ben@example.com', PASSWORD);
      await expect.poll(() => existsSync(path!), { timeout: 10_000 }).toBe(false);
      await expect(Promise.resolve().then(() => api.startDrag([drag.id]))).rejects.toMatchObject({
        code: 'DRAG_NOT_READY',
      });
    } finally {
      await app.shutdown();
    }
  });
});

/**
 * Offline and back (#18), at the services: local-aws stopped in the middle of a download, then
 * started again on the same port with the same state. The transfer waits "for the network" —
 * no retry counted (the engine is given a single retry, which an outage of several probes would
 * use up many times over) — and goes on by itself when the servers answer, with the session and
 * its credentials intact; the file is the object's bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../../local-aws/server';
import { composeCore } from '../../src/main/compose/core';
import { createKuraApp } from '../../src/main/compose/kuraApp';
import { recordingDesktop } from '../../src/main/browserTransport/desktop';
import { MemorySecretStore } from '../../src/main/services/secretStore';
import type { NetworkView, TransferView } from '../../src/shared/ipc';
import { tempDir } from '../helpers/kura';
import { adminCall, createConfirmedUser } from '../helpers/localAws';

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

describe('offline and back', () => {
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
    const { TransferQueue } = await import('../../src/main/services/transfers/queue');
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

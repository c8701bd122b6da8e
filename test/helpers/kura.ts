/** Helpers for tests of Kura's main-process services against local-aws and the real keychain. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { composeCore } from '../../src/main/compose/core';
import { createKuraApp } from '../../src/main/compose/kuraApp';
import { recordingDesktop } from '../../src/main/browserTransport/desktop';
import { newFileJob } from '../../src/main/services/download/fileJob';
import { downloadFolder, newFolderJob } from '../../src/main/services/download/folderDownload';
import {
  discardPartial,
  downloadObject,
  type FileJob,
  type FileResult,
  type ObjectDownloadOptions,
} from '../../src/main/services/download/objectDownload';
import type { StorageService } from '../../src/main/services/storage';
import { adminCall, createConfirmedUser } from './localAws';
import {
  KeychainSecretStore,
  MemorySecretStore,
  openSecretStore,
  type SecretStore,
} from '../../src/main/services/secretStore';

/** Whether a real Secret Service is usable here (inside `scripts/with-keyring.sh`). */
export const keychain = await openSecretStore(`Kura-test-probe-${randomBytes(4).toString('hex')}`);
export const keychainSkipReason = keychain.problem
  ? `no usable keychain (${keychain.problem}); run the tests through npm test (scripts/with-keyring.sh)`
  : '';

/** A keychain store under a service name of its own, so tests never touch a user's entries. */
export function testKeychain(): KeychainSecretStore {
  return new KeychainSecretStore(`Kura-test-${randomBytes(6).toString('hex')}`);
}

export function newCore(
  aws: LocalAws,
  secrets: SecretStore = new MemorySecretStore(),
  dataDir = mkdtempSync(join(tmpdir(), 'kura-data-')),
) {
  const { core, network } = composeCore({ dataDir, secrets });
  core.profiles.add(aws.profile);
  return { core, network, dataDir };
}

export function tempDir(prefix = 'kura-dest-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Kura composed as the app composes it (createKuraApp), with a recording desktop and temp folders. */
export async function newApp(aws?: LocalAws, secrets: SecretStore = new MemorySecretStore()) {
  const dataDir = tempDir('kura-data-');
  const downloadsDir = tempDir();
  const desktop = recordingDesktop(downloadsDir);
  const app = await createKuraApp({ dataDir, downloadsDir, secrets, desktop });
  if (aws) app.core.profiles.add(aws.profile);
  return { app, desktop, dataDir, downloadsDir };
}

/** Runs the `kura` CLI as a whole process (one runner: test/helpers/cli.ts). */
export { kura as runKura } from './cli';

/** What a call ended with: 'allowed', or the KuraError code (else the message) it was refused with. */
export const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (e: { code?: string; message?: string }) => e.code ?? e.message,
  );

/** A KuraCore (newCore) with a confirmed user of local-aws signed in. */
export async function signedInCore(
  aws: LocalAws,
  email = 'alice@example.com',
  password = 'Correct-Horse-9',
) {
  createConfirmedUser(aws, email, password);
  const { core } = newCore(aws);
  await core.active().session.signIn(email, password);
  return core;
}

/**
 * One file through the download engine, with the job the queue and the drag cache build
 * (download/fileJob.ts): no queue, nothing persisted. The engine keeps a cancelled or
 * network-failed partial file for its caller to resume; `discardPartial` here removes it as a
 * caller that will not resume does.
 */
export async function downloadFile(
  storage: StorageService,
  bucket: string,
  key: string,
  destDir: string,
  o: ObjectDownloadOptions & { discardPartial?: boolean } = {},
): Promise<FileResult> {
  const job = await newFileJob(bucket, key, destDir);
  try {
    return await downloadObject(storage, job, o);
  } catch (err) {
    if (o.discardPartial) await discardPartial(job);
    throw err;
  }
}

/** Everything under `prefix` through the folder engine (no queue): the files it saved, what it skipped. */
export async function downloadFolderInto(
  storage: StorageService,
  bucket: string,
  prefix: string,
  destDir: string,
) {
  const files: { key: string; path: string; size: number }[] = [];
  const job = await downloadFolder(storage, newFolderJob(bucket, prefix, destDir), {
    onFile: (key, r) => files.push({ key, path: r.path, size: r.size }),
  });
  return { folder: job.folder!, files, skipped: job.skipped };
}

/**
 * An object put in `bucket` and its download stopped half-way, as a crash leaves it: the job as
 * the engine last saved it (its partial named and identified) and the partial file on disk.
 */
export async function stoppedHalfWay(
  aws: LocalAws,
  storage: StorageService,
  bucket: string,
  key: string,
  body: Buffer,
) {
  const MiB = 1024 * 1024;
  await aws.store.put(bucket, key, Readable.from([body]));
  await adminCall(aws, 'PUT', 'faults', [
    { operation: 'GetObject', keyPrefix: key, bytesPerSecond: 4 * MiB },
  ]);
  const dir = tempDir();
  const job: FileJob = { bucket, key, dir, name: key.split('/').pop()! };
  const controller = new AbortController();
  let saved = '';
  const stopped = downloadObject(storage, job, {
    engine: { partSize: MiB, maxStreams: 2 },
    signal: controller.signal,
    onCheckpoint: (j) => (saved = JSON.stringify(j)),
    onBytes: () => {
      if ((job.done ?? []).reduce((a, b) => a + b, 0) >= 2 * MiB) controller.abort();
    },
  });
  await expect(stopped).rejects.toMatchObject({ code: 'CANCELLED' });
  await adminCall(aws, 'DELETE', 'faults');
  const restored = JSON.parse(saved) as FileJob;
  expect(restored.partial).toBeTruthy();
  expect(restored.partialId).toBeTruthy();
  return { job: restored, partialPath: join(dir, restored.partial!), dir };
}

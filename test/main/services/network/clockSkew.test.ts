/**
 * A clock 20 minutes off (#18): local-aws's skew fault (the servers ahead) and a client-side
 * clock offset (this computer behind). SigV4 refuses more than 15 minutes, the user pool refuses
 * an SRP timestamp as far off: sign-in, listing and a ranged download work all the same, the
 * skew is measured from the answers' Date headers, and a skew above the limit is told.
 */
import { composeCore } from '../../../../src/main/compose/core';
import type { KuraCore } from '../../../../src/main/services/kuraCore';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../../local-aws/server';
import { NOTICE_SKEW_MS, ServerClock } from '../../../../src/main/services/network/serverClock';
import { MemorySecretStore } from '../../../../src/main/services/secretStore';
import { downloadFile, tempDir } from '../../../helpers/kura';
import { adminCall, createConfirmedUser, startTestAws } from '../../../helpers/localAws';

const EMAIL = 'skew-user@example.com';
const PASSWORD = 'Skew-Pass-2026!';
const MINUTES_20 = 20 * 60 * 1000;
// Above the ranged threshold set below: read as several Range requests.
const BIG = Buffer.alloc(3 * 1024 * 1024 + 17, 7).map((_, i) => (i * 31) & 0xff);

function coreWith(clock?: ServerClock) {
  const secrets = new MemorySecretStore();
  return composeCore({
    dataDir: tempDir('kura-data-'),
    secrets,
    network: { env: {}, ...(clock ? { clock } : {}) },
  });
}

async function journey(core: KuraCore, aws: LocalAws) {
  core.profiles.add(aws.profile);
  const { session } = core.active();
  expect((await session.signIn(EMAIL, PASSWORD)).status).toBe('signedIn');
  const storage = core.active().storage;
  expect((await storage.listFolder(aws.bucket, 'skew/')).files.map((f) => f.name)).toEqual([
    'big.bin',
  ]);
  const stats = { received: 0, requests: 0 };
  const got = await downloadFile(storage, aws.bucket, 'skew/big.bin', tempDir(), {
    engine: { rangeThreshold: 1024 * 1024, partSize: 1024 * 1024, maxStreams: 2 },
    stats,
  });
  expect(stats.requests).toBeGreaterThanOrEqual(4);
  expect(createHash('sha256').update(readFileSync(got.path)).digest('hex')).toBe(
    createHash('sha256').update(BIG).digest('hex'),
  );
}

describe('a clock 20 minutes off', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startTestAws();
    createConfirmedUser(aws, EMAIL, PASSWORD);
    await aws.store.put(aws.bucket, 'skew/big.bin', Readable.from([BIG]));
  });
  afterEach(() => adminCall(aws, 'POST', 'clock', { skewMs: 0 }));
  afterAll(() => aws?.stop());

  it('the servers 20 minutes ahead (local-aws skew fault): sign-in, listing, a ranged download', async () => {
    await adminCall(aws, 'POST', 'clock', { skewMs: MINUTES_20 });
    const { core, network } = coreWith();
    await journey(core, aws);
    expect(Math.abs(network.clock.skewMs - MINUTES_20)).toBeLessThan(5_000);
    expect(Math.abs(network.clock.skewMs)).toBeGreaterThan(NOTICE_SKEW_MS);
  });

  it('this computer 20 minutes behind (a client-side offset): the same journey works', async () => {
    const behind = new ServerClock(() => Date.now() - MINUTES_20);
    const { core, network } = coreWith(behind);
    await journey(core, aws);
    // The servers are measured 20 minutes ahead of this (emulated) computer.
    expect(Math.abs(network.clock.skewMs - MINUTES_20)).toBeLessThan(5_000);
  });

  it('without the skew, nothing is measured or told', async () => {
    const { core, network } = coreWith();
    await journey(core, aws);
    expect(network.clock.skewMs).toBe(0);
  });
});

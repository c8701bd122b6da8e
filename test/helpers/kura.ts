/** Helpers for tests of Kura's main-process services against local-aws and the real keychain. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LocalAws } from '../../local-aws/server';
import { KuraCore } from '../../src/main/services/kuraCore';
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
  const core = new KuraCore({ dataDir, secrets });
  core.profiles.add(aws.profile);
  return { core, dataDir };
}

export function tempDir(prefix = 'kura-dest-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs the `kura` CLI as a whole process (one runner: test/helpers/cli.ts). */
export { kura as runKura } from './cli';

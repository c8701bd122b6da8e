/** Helpers for tests of Kura's main-process services against local-aws and the real keychain. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LocalAws } from '../../local-aws/server';
import { createKuraApp } from '../../src/main/app/kuraApp';
import { recordingDesktop } from '../../src/main/browserTransport/desktop';
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

/** Kura composed as the app composes it (createKuraApp), with a recording desktop and temp folders. */
export async function newApp(aws?: LocalAws, secrets: SecretStore = new MemorySecretStore()) {
  const dataDir = tempDir('kura-data-');
  const downloadsDir = tempDir();
  const desktop = recordingDesktop(downloadsDir);
  const app = await createKuraApp({ dataDir, downloadsDir, secrets, desktop });
  if (aws) app.core.profiles.add(aws.profile);
  return { app, desktop, dataDir, downloadsDir };
}

const root = new URL('../..', import.meta.url).pathname;

/** One `kura` CLI process (src/cli/kura.ts through tsx) over `dataDir`, English messages. */
export function runKura(
  dataDir: string,
  args: string[],
  input = '',
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/cli/kura.ts'), ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          KURA_DATA_DIR: dataDir,
          KURA_LANG: 'en',
          NODE_NO_WARNINGS: '1',
          ...env,
        },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}

/** What a call ended with: 'allowed', or the KuraError code (else the message) it was refused with. */
export const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (e: { code?: string; message?: string }) => e.code ?? e.message,
  );

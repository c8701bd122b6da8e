/**
 * `kura mfa setup|remove` as whole processes against local-aws and the real keychain: a user
 * signed in with a password adds an authenticator (the test types the printed secret into an
 * "app", as a person would, and answers with its code on stdin), the next sign-in asks for a code,
 * and `mfa remove` turns it off again (SetUserMFAPreference) where MFA is optional.
 */
import { spawn } from 'node:child_process';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { createConfirmedUser, startTestAws } from '../helpers/localAws';
import { kura, kuraArgs, root } from '../helpers/cli';
import { keychainSkipReason, tempDir } from '../helpers/kura';

const PASSWORD = 'Two-Steps-2026!';
const EMAIL = 'cli.mfa@example.com';
let aws: LocalAws;

beforeAll(async () => {
  aws = await startTestAws({ bucket: 'kura-demo' });
  createConfirmedUser(aws, EMAIL, PASSWORD);
});
afterAll(() => aws.stop());

/** The authenticator app: the code for a secret at a given moment. */
const codeAt = (secret: string, timestamp: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret.replace(/\s/g, '')) }).generate({
    timestamp,
  });

describe.skipIf(keychainSkipReason !== '')(`kura mfa ${keychainSkipReason}`, () => {
  const dataDir = tempDir('kura-cli-mfa-');

  it('sets up an authenticator from the printed secret, is asked for a code at the next login, and removes it', async () => {
    const login = await kura(
      dataDir,
      ['--profile', aws.profilePath, 'login', '--username', EMAIL, '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(login.code, login.stderr).toBe(0);
    expect((await kura(dataDir, ['mfa'])).stdout).toBe('Two-step verification: off\n');

    // `mfa setup` prints the secret, then reads a code from stdin (no prompt: stdin is a pipe).
    const child = spawn(process.execPath, kuraArgs(['mfa', 'setup']), {
      cwd: root,
      env: { ...process.env, KURA_DATA_DIR: dataDir, KURA_LANG: 'en', NODE_NO_WARNINGS: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<number>((resolve) =>
      child.once('exit', (code) => resolve(code ?? -1)),
    );
    let stderr = '';
    const secret = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /Secret:\s+([A-Z2-7 ]+)\n/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(`kura exited: ${stderr}`)));
    });
    expect(stderr).toContain(`Account: ${EMAIL} (Kura)`);
    const now = Date.now();
    child.stdin.end(`${codeAt(secret, now)}\n`);
    expect(await exited, stderr).toBe(0);
    expect(stderr).toContain('Two-step verification is on');
    expect(aws.userPool.findUser(EMAIL)!.totpEnabled).toBe(true);
    expect((await kura(dataDir, ['mfa', 'status'])).stdout).toBe(
      'Two-step verification: on (authenticator app)\n',
    );

    // A new sign-in: the password, then a code (the next time step's: a code is used once).
    expect((await kura(dataDir, ['logout'])).code).toBe(0);
    const passwordOnly = await kura(
      dataDir,
      ['--profile', aws.profilePath, 'login', '--username', EMAIL, '--password-stdin'],
      `${PASSWORD}\n`,
    );
    // The password alone is not enough: kura waits for the code the pool now asks for.
    expect(passwordOnly.code).toBe(2);
    expect(passwordOnly.stderr).toContain('standard input ended before all answers were given');
    expect(passwordOnly.stderr).not.toContain('Signed in');
    const again = await kura(
      dataDir,
      ['--profile', aws.profilePath, 'login', '--username', EMAIL, '--password-stdin'],
      `${PASSWORD}\n${codeAt(secret, now + 30_000)}\n`,
    );
    expect(again.stderr).toContain(`Signed in as ${EMAIL}.`);
    expect(again.code).toBe(0);

    const remove = await kura(dataDir, ['mfa', 'remove']);
    expect(remove.code, remove.stderr).toBe(0);
    expect(remove.stderr).toContain('the authenticator app is removed');
    expect(aws.userPool.findUser(EMAIL)!.totpEnabled).toBe(false);
    expect((await kura(dataDir, ['mfa'])).stdout).toBe('Two-step verification: off\n');
  });
});

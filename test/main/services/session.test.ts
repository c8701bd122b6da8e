import * as OTPAuth from 'otpauth';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../local-aws/server';
import { composeCore } from '../../../src/main/compose/core';
import { KuraError } from '../../../src/main/services/kuraError';
import { MemorySecretStore } from '../../../src/main/services/secretStore';
import { SessionService } from '../../../src/main/services/session';
import { Network } from '../../../src/main/services/network/network';
import { CognitoUserPoolAuth, RESEND_WINDOW_MS } from '../../../src/main/services/userPoolAuth';
import { adminCall, createConfirmedUser, signIn, startTestAws } from '../../helpers/localAws';
import { keychainSkipReason, newCore, testKeychain } from '../../helpers/kura';
import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';

const PASSWORD = 'Correct-Horse-9';
let aws: LocalAws;
beforeAll(async () => {
  aws = await startTestAws();
  createConfirmedUser(aws, 'alice@example.com', PASSWORD);
});
afterAll(() => aws.stop());

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return (err as KuraError).code;
  }
  throw new Error('expected a KuraError');
};

describe('sign-in through the session service', () => {
  it('maps a wrong password to WRONG_CREDENTIALS', async () => {
    const { core } = newCore(aws);
    expect(
      await codeOf(core.active().session.signIn('alice@example.com', 'Wrong-Password-1')),
    ).toBe('WRONG_CREDENTIALS');
    expect(
      await codeOf(core.active().session.signIn('nobody@example.com', 'Wrong-Password-1')),
    ).toBe('WRONG_CREDENTIALS');
  });

  it('walks a new user through NEW_PASSWORD_REQUIRED, refusing a weak password with the policy', async () => {
    aws.userPool.createUser('new@example.com', 'Temp-Pass-123!');
    const { session } = newCore(aws).core.active();
    expect(await session.signIn('new@example.com', 'Temp-Pass-123!')).toEqual({
      status: 'challenge',
      challenge: 'newPassword',
      requiredAttributes: [],
      email: 'new@example.com',
    });
    const weak = session.completeNewPassword('weakpassword', {});
    await expect(weak).rejects.toMatchObject({
      code: 'WEAK_PASSWORD',
      problems: [{ problem: 'uppercase' }],
    });
    expect(await session.completeNewPassword('Brand-New-Pass-7', {})).toMatchObject({
      status: 'signedIn',
      email: 'new@example.com',
    });
  });

  it('answers a TOTP challenge', async () => {
    createConfirmedUser(aws, 'totp@example.com', PASSWORD);
    const s = await signIn(aws, 'totp@example.com', PASSWORD);
    const idp = new CognitoIdentityProviderClient({
      region: aws.profile.region,
      endpoint: aws.url,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const AccessToken = s.getAccessToken().getJwtToken();
    const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(SecretCode!) });
    await idp.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp.generate() }));
    await idp.send(
      new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true } }),
    );
    const { session } = newCore(aws).core.active();
    expect(await session.signIn('totp@example.com', PASSWORD)).toMatchObject({
      status: 'challenge',
      challenge: 'mfa',
      method: 'TOTP',
    });
    expect(
      await codeOf(session.answerMfa('000000' === totp.generate() ? '111111' : '000000')),
    ).toBe('CODE_MISMATCH');
    expect(await session.answerMfa(totp.generate())).toMatchObject({ status: 'signedIn' });
  });

  it('resets a forgotten password with the emailed code', async () => {
    createConfirmedUser(aws, 'forgot@example.com', PASSWORD);
    const { session } = newCore(aws).core.active();
    expect((await session.forgotPassword('forgot@example.com')).destination).toBe('f***@e***');
    const outbox = (await adminCall(aws, 'GET', 'outbox?to=forgot@example.com')) as {
      code: string;
    }[];
    await session.confirmForgotPassword(
      'forgot@example.com',
      outbox.at(-1)!.code,
      'Another-Pass-8',
    );
    expect(await session.signIn('forgot@example.com', 'Another-Pass-8')).toMatchObject({
      status: 'signedIn',
    });
  });
});

describe.skipIf(keychainSkipReason !== '')(
  `the session in the OS keychain ${keychainSkipReason}`,
  () => {
    it('keeps the refresh token in the keychain only, and a new process restores without a password', async () => {
      const secrets = testKeychain();
      const { core, dataDir } = newCore(aws, secrets);
      const { profileId } = core.active();
      expect(await core.active().session.signIn('alice@example.com', PASSWORD)).toMatchObject({
        status: 'signedIn',
        remembered: true,
      });
      const stored = JSON.parse((await secrets.get(profileId))!) as { refreshToken: string };
      expect(stored.refreshToken.length).toBeGreaterThan(40);
      // Nothing secret on disk: the data folder holds no token.
      for (const f of readdirSync(dataDir)) {
        const path = join(dataDir, f);
        if (statSync(path).isFile())
          expect(readFileSync(path, 'utf8')).not.toContain(stored.refreshToken);
      }
      // "A fresh process": new services over the same data folder and keychain.
      const again = newCore(aws, secrets, dataDir).core.active();
      expect(await again.session.restore()).toMatchObject({
        status: 'signedIn',
        email: 'alice@example.com',
      });
      expect((await again.access.get()).accessKeyId).toMatch(/^ASIA/);
      await again.session.signOut();
      expect(await secrets.get(profileId)).toBeNull();
    });

    it('ends the session cleanly when the refresh token is revoked (once the kept tokens are due for renewal)', async () => {
      createConfirmedUser(aws, 'revoked@example.com', PASSWORD);
      const secrets = testKeychain();
      const { core, dataDir } = newCore(aws, secrets);
      await core.active().session.signIn('revoked@example.com', PASSWORD);
      await adminCall(aws, 'POST', 'sign-out', { username: 'revoked@example.com' });
      // A start 56 minutes on: the hour-long ID token is inside its five-minute renewal margin.
      const later = composeCore({ dataDir, secrets, now: () => Date.now() + 56 * 60_000 }).core;
      later.profiles.add(aws.profile);
      const next = later.active();
      expect(await next.session.restore()).toEqual({
        status: 'signedOut',
        reason: 'expired',
        email: 'revoked@example.com',
      });
      expect(await secrets.get(next.profileId)).toBeNull();
      expect(await secrets.get(`${next.profileId}:reuse`)).toBeNull();
    });

    it('a new process reuses the unexpired tokens and credentials from the keychain: no request to Cognito', async () => {
      createConfirmedUser(aws, 'reuse@example.com', PASSWORD);
      const secrets = testKeychain();
      const { core, dataDir } = newCore(aws, secrets);
      const first = core.active();
      await first.session.signIn('reuse@example.com', PASSWORD);
      const issued = await first.access.get();
      // Kept in the keychain (a secret), never in the data folder.
      const kept = (await secrets.get(`${first.profileId}:reuse`))!;
      expect(kept).toContain(issued.sessionToken);
      for (const f of readdirSync(dataDir)) {
        const path = join(dataDir, f);
        if (statSync(path).isFile())
          expect(readFileSync(path, 'utf8')).not.toContain(issued.sessionToken);
      }

      aws.faults.set([{ service: 'cognito-idp' }, { service: 'cognito-identity' }]);
      try {
        const again = newCore(aws, secrets, dataDir).core.active();
        expect(await again.session.restore()).toMatchObject({
          status: 'signedIn',
          email: 'reuse@example.com',
        });
        expect((await again.access.get()).sessionToken).toBe(issued.sessionToken);
        expect(aws.faults.matched).toBe(0);

        // Credentials within five minutes of their end are not reused: the pool is asked.
        const late = composeCore({
          dataDir,
          secrets,
          now: () => issued.expiration.getTime() - 4 * 60_000,
        }).core;
        late.profiles.add(aws.profile);
        await late.active().session.restore();
        expect((await late.active().access.get()).sessionToken).not.toBe(issued.sessionToken);
        expect(aws.faults.matched).toBeGreaterThan(0);
      } finally {
        aws.faults.clear();
      }

      // Signing out removes what was kept: the next process has nothing to reuse.
      await first.session.signOut();
      expect(await secrets.get(`${first.profileId}:reuse`)).toBeNull();
      expect(await newCore(aws, secrets, dataDir).core.active().session.restore()).toEqual({
        status: 'signedOut',
      });
    });

    it('deletes an entry it cannot read and asks for a sign-in', async () => {
      const secrets = testKeychain();
      const { core } = newCore(aws, secrets);
      await secrets.set(core.active().profileId, '{not json');
      expect(await core.active().session.restore()).toEqual({ status: 'signedOut' });
      expect(await secrets.get(core.active().profileId)).toBeNull();
    });

    it('stores the new refresh token when the pool rotates them', async () => {
      const rotating = await startTestAws({ refreshTokenRotation: true, idTokenTtlSeconds: 120 });
      try {
        createConfirmedUser(rotating, 'rot@example.com', PASSWORD);
        const secrets = testKeychain();
        const { core, dataDir } = newCore(rotating, secrets);
        const { session, profileId } = core.active();
        await session.signIn('rot@example.com', PASSWORD);
        const first = await secrets.get(profileId);
        // A later process whose clock is near the ID token's expiry: restoring refreshes (and the
        // pool rotates), and so does asking for a token past the renewal margin.
        const later = composeCore({
          dataDir,
          secrets,
          now: () => Date.now() + 110_000,
        }).core.active().session;
        await later.restore();
        const afterRestore = await secrets.get(profileId);
        expect(afterRestore).not.toBe(first);
        expect(await later.idToken()).toBeTruthy();
        expect(await secrets.get(profileId)).not.toBe(afterRestore);
        // The stored (latest) refresh token is the one that works.
        expect(
          await composeCore({ dataDir, secrets }).core.active().session.restore(),
        ).toMatchObject({
          status: 'signedIn',
        });
      } finally {
        await rotating.stop();
      }
    });
  },
);

describe('sign-out', () => {
  it('sign out everywhere ends the sessions on other devices too', async () => {
    createConfirmedUser(aws, 'everywhere@example.com', PASSWORD);
    const laptop = newCore(aws).core.active();
    const desktop = newCore(aws).core.active();
    await laptop.session.signIn('everywhere@example.com', PASSWORD);
    await desktop.session.signIn('everywhere@example.com', PASSWORD);
    await laptop.session.signOut(true);
    expect(laptop.session.view()).toEqual({
      status: 'signedOut',
      reason: 'signedOut',
      email: 'everywhere@example.com',
    });
    await expect(desktop.access.get()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
  });

  it('plain sign-out revokes only this device', async () => {
    createConfirmedUser(aws, 'here@example.com', PASSWORD);
    const laptop = newCore(aws).core.active();
    const desktop = newCore(aws).core.active();
    await laptop.session.signIn('here@example.com', PASSWORD);
    await desktop.session.signIn('here@example.com', PASSWORD);
    await laptop.session.signOut(false);
    expect((await desktop.access.get()).accessKeyId).toMatch(/^ASIA/);
  });
});

describe('without a keychain', () => {
  it('signs in for this run only, says so, and writes the token nowhere on disk', async () => {
    const secrets = new MemorySecretStore();
    const startedAt = Date.now();
    const { core, dataDir } = newCore(aws, secrets);
    const view = await core.active().session.signIn('alice@example.com', PASSWORD);
    expect(view).toMatchObject({ status: 'signedIn', remembered: false });
    await core.active().access.get();
    const token = (
      JSON.parse((await secrets.get(core.active().profileId))!) as { refreshToken: string }
    ).refreshToken;
    // Every file written since the sign-in started, in the data folder and the temp folders.
    const written = [...recentFiles(dataDir, startedAt), ...recentFiles(tmpdir(), startedAt)];
    expect(written.length).toBeGreaterThan(0);
    for (const f of written) {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch {
        continue; // removed meanwhile by a test running in parallel
      }
      expect(text.includes(token), f).toBe(false);
    }
  });
});

function recentFiles(dir: string, since: number, depth = 0): string[] {
  if (depth > 3) return [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const path = join(dir, e.name);
    try {
      if (e.isDirectory()) return recentFiles(path, since, depth + 1);
      const st = statSync(path);
      return e.isFile() && st.mtimeMs >= since - 1000 && st.size < 4 * 1024 * 1024 ? [path] : [];
    } catch {
      return [];
    }
  });
}

describe('challenges: back, resend, and who is signing in', () => {
  const smsUser = (email: string) => {
    createConfirmedUser(aws, email, PASSWORD);
    const u = aws.userPool.findUser(email)!;
    u.attributes.phone_number = '+819012345678';
    u.smsMfaEnabled = true;
  };
  const smsCodes = (email: string) =>
    aws.userPool
      .outbox()
      .filter((m) => m.kind === 'SMS_MFA' && m.sub === aws.userPool.findUser(email)!.sub)
      .map((m) => m.code);
  let clock = Date.now();
  const session = () =>
    new SessionService({
      auth: new CognitoUserPoolAuth(aws.profile, {
        now: () => clock,
        transport: new Network().transport(),
      }),
      secrets: new MemorySecretStore(),
      account: 'test',
    });

  it('Back from a challenge forgets it in main and keeps the email for the form', async () => {
    aws.userPool.createUser('back@example.com', 'Temp-Pass-123!');
    const s = session();
    expect(await s.signIn('back@example.com', 'Temp-Pass-123!')).toMatchObject({
      challenge: 'newPassword',
      email: 'back@example.com',
    });
    expect(s.cancelChallenge()).toEqual({ status: 'signedOut', email: 'back@example.com' });
    // The abandoned step cannot be finished any more.
    expect(await codeOf(s.completeNewPassword('Brand-New-Pass-7', {}))).toBe('CHALLENGE_EXPIRED');
    expect(s.view()).toEqual({ status: 'signedOut', email: 'back@example.com' });
  });

  it('sends a new SMS code on request; the new code signs in', async () => {
    smsUser('sms@example.com');
    const s = session();
    expect(await s.signIn('sms@example.com', PASSWORD)).toMatchObject({
      status: 'challenge',
      challenge: 'mfa',
      method: 'SMS',
      destination: '+*******5678',
      email: 'sms@example.com',
    });
    expect(smsCodes('sms@example.com')).toHaveLength(1);
    expect(await s.resendCode()).toMatchObject({ challenge: 'mfa', method: 'SMS' });
    const codes = smsCodes('sms@example.com');
    expect(codes).toHaveLength(2);
    expect(await s.answerMfa(codes[1]!)).toMatchObject({ status: 'signedIn' });
    // Signed in, there is nothing to resend (and no password kept for it).
    expect(await codeOf(s.resendCode())).toBe('NOTHING_TO_RESEND');
  });

  it('keeps the password for a resend only while the SMS challenge lasts', async () => {
    smsUser('sms-window@example.com');
    const s = session();
    await s.signIn('sms-window@example.com', PASSWORD);
    // Once the challenge's 3 minutes are up, main no longer holds the password: no new code is
    // sent, and the person is sent back to sign in.
    clock += RESEND_WINDOW_MS + 1;
    expect(await codeOf(s.resendCode())).toBe('CHALLENGE_EXPIRED');
    expect(smsCodes('sms-window@example.com')).toHaveLength(1);
    expect(await codeOf(s.answerMfa('123456'))).toBe('CHALLENGE_EXPIRED');
    expect(s.cancelChallenge()).toEqual({ status: 'signedOut', email: 'sms-window@example.com' });
  });

  it('a TOTP challenge has no code to resend', async () => {
    aws.userPool.createUser('fresh@example.com', 'Temp-Pass-123!');
    const s = session();
    await s.signIn('fresh@example.com', 'Temp-Pass-123!');
    expect(await codeOf(s.resendCode())).toBe('NOTHING_TO_RESEND');
  });
});

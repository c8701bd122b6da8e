/**
 * Authenticator enrolment in main, against local-aws: the MFA_SETUP step of a pool that requires
 * MFA (a wrong code can be typed again, the right one completes the sign-in, the next sign-in asks
 * for a code), a signed-in user adding and removing one where MFA is optional, removal refused
 * where it is required, none for a federated user — and the QR code main draws, read back by a
 * QR decoder as a phone would.
 */
import { Resvg } from '@resvg/resvg-js';
import jsQR from 'jsqr';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../local-aws/server';
import { enrolment, qrDataUrl } from '../../../src/main/services/authenticatorEnrolment';
import type { SessionService } from '../../../src/main/services/session';
import { newCore } from '../../helpers/kura';
import { createConfirmedUser, startTestAws } from '../../helpers/localAws';

const PASSWORD = 'Second-Factor-8!';
const totp = (secret: string) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret.replace(/ /g, '')) }).generate();
const wrongCode = (secret: string) => (totp(secret) === '000000' ? '111111' : '000000');
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (e: { code?: string }) => e.code,
  );

/** What a phone reads from the QR code main drew. */
function scan(dataUrl: string): string {
  const svg = Buffer.from(dataUrl.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64');
  const png = new Resvg(svg, {
    fitTo: { mode: 'width', value: 400 },
    background: 'white',
  }).render();
  const found = jsQR(new Uint8ClampedArray(png.pixels), png.width, png.height);
  if (!found) throw new Error('no QR code found');
  return found.data;
}

describe('where the organisation requires MFA (Mfa=ON)', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startTestAws({ mfa: 'ON' });
  });
  afterAll(() => aws.stop());

  it('leads a first sign-in through setting up an authenticator: QR code and secret, a wrong code typed again, then signed in; the next sign-in asks for a code', async () => {
    createConfirmedUser(aws, 'enrol@example.com', PASSWORD);
    const { session } = newCore(aws).core.active();
    expect(await session.signIn('enrol@example.com', PASSWORD)).toEqual({
      status: 'challenge',
      challenge: 'mfaSetup',
      email: 'enrol@example.com',
    });
    const { secret, account } = await session.authenticatorSecret();
    const e = enrolment(secret, account);
    expect(e.secret.replace(/ /g, '')).toBe(secret);
    const uri = scan(await qrDataUrl(e.uri));
    expect(uri).toBe(e.uri);
    const parsed = OTPAuth.URI.parse(uri) as OTPAuth.TOTP;
    expect(parsed.issuer).toBe('Kura');
    expect(parsed.label).toBe('enrol@example.com');
    expect(parsed.secret.base32).toBe(secret);

    expect(await codeOf(session.verifyAuthenticator(wrongCode(secret)))).toBe('CODE_MISMATCH');
    expect(session.view()).toMatchObject({ status: 'challenge', challenge: 'mfaSetup' });
    expect(await session.verifyAuthenticator(totp(secret))).toMatchObject({
      status: 'signedIn',
      email: 'enrol@example.com',
    });
    expect(await session.authenticator()).toEqual({ available: true, enabled: true });
    // Required here: removing it is refused in words, and it stays.
    expect(await codeOf(session.removeAuthenticator())).toBe('MFA_REQUIRED_BY_ORGANISATION');
    expect(await session.authenticator()).toEqual({ available: true, enabled: true });

    const next = newCore(aws).core.active().session;
    expect(await next.signIn('enrol@example.com', PASSWORD)).toMatchObject({
      status: 'challenge',
      challenge: 'mfa',
      method: 'TOTP',
    });
  });
});

describe('where MFA is optional', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startTestAws();
  });
  afterAll(() => aws.stop());

  const signedIn = async (email: string): Promise<SessionService> => {
    const { session } = newCore(aws).core.active();
    await session.signIn(email, PASSWORD);
    return session;
  };

  it('a signed-in user adds an authenticator (asked for at the next sign-in) and removes it again', async () => {
    createConfirmedUser(aws, 'optional@example.com', PASSWORD);
    const session = await signedIn('optional@example.com');
    expect(await session.authenticator()).toEqual({ available: true, enabled: false });
    const { secret } = await session.authenticatorSecret();
    expect(await codeOf(session.verifyAuthenticator(wrongCode(secret)))).toBe('CODE_MISMATCH');
    expect(await session.verifyAuthenticator(totp(secret))).toMatchObject({ status: 'signedIn' });
    expect(await session.authenticator()).toEqual({ available: true, enabled: true });
    const other = newCore(aws).core.active().session;
    expect(await other.signIn('optional@example.com', PASSWORD)).toMatchObject({
      challenge: 'mfa',
      method: 'TOTP',
    });
    other.cancelChallenge();

    expect(await session.removeAuthenticator()).toEqual({ available: true, enabled: false });
    expect(
      await newCore(aws).core.active().session.signIn('optional@example.com', PASSWORD),
    ).toMatchObject({
      status: 'signedIn',
    });
  });

  it('offers nothing to a user of a federated provider (their MFA is the provider’s)', async () => {
    const { core } = newCore(aws);
    const session = core.active().session;
    // A federated user's tokens, as the token endpoint hands them out.
    const user = aws.userPool.federatedUser(
      { name: 'TestIdP', type: 'OIDC', issuer: 'https://idp.example' },
      'someone',
      { email: 'fed@example.com' },
    );
    const t = await aws.userPool.oauthTokens(user, aws.profile.userPoolClientId, {
      scopes: ['openid', 'email', 'aws.cognito.signin.user.admin'],
    });
    // Enter the session the way a browser sign-in does.
    (session as unknown as { tokens: unknown }).tokens = {
      idToken: t.id_token,
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: Date.now() + 3600_000,
    };
    (session as unknown as { state: unknown }).state = {
      status: 'signedIn',
      email: 'fed@example.com',
    };
    expect(await session.authenticator()).toEqual({ available: false, enabled: false });
    expect(await codeOf(session.authenticatorSecret())).toBe('MFA_NOT_AVAILABLE');
  });
});

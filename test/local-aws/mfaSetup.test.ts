/**
 * Authenticator enrolment in local-aws, judged by amazon-cognito-identity-js and the AWS SDK: a
 * pool that requires MFA sends MFA_SETUP to a user without an authenticator; the library's
 * associateSoftwareToken / verifySoftwareToken (the session forms) finish the sign-in; the next
 * sign-in asks for a code. Where MFA is optional, the access-token forms add one and
 * SetUserMFAPreference removes it; where it is required, removing it changes nothing.
 */
import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, type CognitoUser } from 'amazon-cognito-identity-js';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import {
  authenticate,
  cognitoUser,
  createConfirmedUser,
  startTestAws,
  type SignInOutcome,
} from '../helpers/localAws';

const PASSWORD = 'Enrol-An-App-7!';
const totp = (secret: string, offsetSteps = 0) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });

const idpClient = (aws: LocalAws) =>
  new CognitoIdentityProviderClient({
    region: aws.profile.region,
    endpoint: aws.url,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });

/** The library's MFA_SETUP callbacks as promises. */
function associate(user: CognitoUser): Promise<string> {
  return new Promise((resolve, reject) =>
    user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }),
  );
}
function verify(user: CognitoUser, code: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    user.verifySoftwareToken(code, 'Kura test', { onSuccess: resolve, onFailure: reject }),
  );
}
function signInSeeingSetup(user: CognitoUser, password: string) {
  return new Promise<SignInOutcome | { kind: 'mfaSetup'; params: unknown }>((resolve, reject) =>
    user.authenticateUser(
      new AuthenticationDetails({ Username: user.getUsername(), Password: password }),
      {
        onSuccess: (session) => resolve({ kind: 'success', session }),
        onFailure: reject,
        totpRequired: () => resolve({ kind: 'totpRequired' }),
        mfaSetup: (_name: unknown, params: unknown) => resolve({ kind: 'mfaSetup', params }),
      },
    ),
  );
}

describe('a pool that requires MFA (Mfa=ON)', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startTestAws({ mfa: 'ON', managedLogin: false });
  });
  afterAll(() => aws.stop());

  it('leads a first sign-in through MFA_SETUP with the session forms; the next sign-in asks for a code; turning it off changes nothing', async () => {
    createConfirmedUser(aws, 'first@example.com', PASSWORD);
    const user = cognitoUser(aws, 'first@example.com');
    const first = await signInSeeingSetup(user, PASSWORD);
    expect(first).toMatchObject({
      kind: 'mfaSetup',
      params: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
    });

    const secret = await associate(user);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expect(
      verify(user, totp(secret) === '000000' ? '111111' : '000000'),
    ).rejects.toMatchObject({
      name: 'EnableSoftwareTokenMFAException',
    });
    const session = (await verify(user, totp(secret))) as {
      getIdToken(): { payload: { email: string } };
    };
    expect(session.getIdToken().payload.email).toBe('first@example.com');

    const again = await authenticate(cognitoUser(aws, 'first@example.com'), PASSWORD);
    expect(again.kind).toBe('totpRequired');

    // Signed in with the code, the user turns the authenticator off: the pool still requires it.
    const u2 = cognitoUser(aws, 'first@example.com');
    await authenticate(u2, PASSWORD);
    const signedIn = await new Promise<{ getAccessToken(): { getJwtToken(): string } }>(
      (resolve, reject) =>
        u2.sendMFACode(
          totp(secret),
          { onSuccess: resolve, onFailure: reject },
          'SOFTWARE_TOKEN_MFA',
        ),
    );
    const access = signedIn.getAccessToken().getJwtToken();
    await idpClient(aws).send(
      new SetUserMFAPreferenceCommand({
        AccessToken: access,
        SoftwareTokenMfaSettings: { Enabled: false },
      }),
    );
    const me = await idpClient(aws).send(new GetUserCommand({ AccessToken: access }));
    expect(me.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect((await authenticate(cognitoUser(aws, 'first@example.com'), PASSWORD)).kind).toBe(
      'totpRequired',
    );
  });

  it('refuses a setup session that was not the one AssociateSoftwareToken gave, and one used up by three wrong codes', async () => {
    createConfirmedUser(aws, 'second@example.com', PASSWORD);
    const user = cognitoUser(aws, 'second@example.com');
    await signInSeeingSetup(user, PASSWORD);
    const secret = await associate(user);
    for (let i = 0; i < 3; i++)
      await expect(
        verify(user, '123456' === totp(secret) ? '654321' : '123456'),
      ).rejects.toHaveProperty('name', 'EnableSoftwareTokenMFAException');
    await expect(verify(user, totp(secret))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    await expect(
      idpClient(aws).send(new AssociateSoftwareTokenCommand({ Session: 'not-a-session' })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });
});

describe('a pool where MFA is optional', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startTestAws({ managedLogin: false });
  });
  afterAll(() => aws.stop());

  it('adds an authenticator with the access-token forms and removes it with SetUserMFAPreference', async () => {
    createConfirmedUser(aws, 'optional@example.com', PASSWORD);
    const first = await authenticate(cognitoUser(aws, 'optional@example.com'), PASSWORD);
    if (first.kind !== 'success') throw new Error(first.kind);
    const AccessToken = first.session.getAccessToken().getJwtToken();
    const idp = idpClient(aws);
    const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    await idp.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(SecretCode!) }));
    await idp.send(
      new SetUserMFAPreferenceCommand({
        AccessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    expect((await authenticate(cognitoUser(aws, 'optional@example.com'), PASSWORD)).kind).toBe(
      'totpRequired',
    );
    await idp.send(
      new SetUserMFAPreferenceCommand({
        AccessToken,
        SoftwareTokenMfaSettings: { Enabled: false },
      }),
    );
    expect((await idp.send(new GetUserCommand({ AccessToken }))).UserMFASettingList).toEqual([]);
    expect((await authenticate(cognitoUser(aws, 'optional@example.com'), PASSWORD)).kind).toBe(
      'success',
    );
  });

  it('refuses AssociateSoftwareToken with both an access token and a session, or neither', async () => {
    await expect(idpClient(aws).send(new AssociateSoftwareTokenCommand({}))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});

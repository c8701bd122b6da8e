import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RevokeTokenCommand,
  AssociateSoftwareTokenCommand,
  VerifySoftwareTokenCommand,
  SetUserMFAPreferenceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoRefreshToken, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import {
  adminCall,
  adminIdp,
  authenticate,
  callbacks,
  cognitoUser,
  createConfirmedUser,
  roleCredentials,
  signIn,
  startTestAws,
  type SignInOutcome,
} from '../helpers/localAws';

const PASSWORD = 'Correct-Horse-9';

let aws: LocalAws;
let idp: CognitoIdentityProviderClient;

beforeAll(async () => {
  aws = await startTestAws();
  idp = new CognitoIdentityProviderClient({
    region: aws.profile.region,
    endpoint: aws.url,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  createConfirmedUser(aws, 'alice@example.com', PASSWORD);
});
afterAll(() => aws.stop());

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    const e = err as { name?: string; code?: string; message: string };
    return { name: e.code ?? e.name, message: e.message };
  }
  throw new Error('expected an error');
};

const refreshWithLibrary = (aws: LocalAws, email: string, token: string) =>
  new Promise<CognitoUserSession>((resolve, reject) =>
    cognitoUser(aws, email).refreshSession(
      new CognitoRefreshToken({ RefreshToken: token }),
      (err, s) => (err ? reject(err as Error) : resolve(s as CognitoUserSession)),
    ),
  );

/** REFRESH_TOKEN_AUTH through the SDK (the library retries failures with backoff: slow). */
const refreshWithSdk = (aws: LocalAws, token: string) =>
  new CognitoIdentityProviderClient({
    region: aws.profile.region,
    endpoint: aws.url,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  }).send(
    new InitiateAuthCommand({
      ClientId: aws.profile.userPoolClientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: token },
    }),
  );

describe('user pool sign-in (SRP)', () => {
  it('signs in with amazon-cognito-identity-js and issues RS256 tokens verifiable by the JWKS', async () => {
    const session = await signIn(aws, 'alice@example.com', PASSWORD);
    const p = aws.profile;
    const jwks = createRemoteJWKSet(new URL(`${aws.url}/${p.userPoolId}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(session.getIdToken().getJwtToken(), jwks, {
      issuer: `https://cognito-idp.${p.region}.amazonaws.com/${p.userPoolId}`,
      audience: p.userPoolClientId,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.email).toBe('alice@example.com');
    expect(payload.token_use).toBe('id');
    expect(payload.email_verified).toBe(true);
    expect(session.getAccessToken().decodePayload().token_use).toBe('access');
    expect(session.getRefreshToken().getToken().length).toBeGreaterThan(40);
  });

  it('answers a wrong password and an unknown user with the same error', async () => {
    const wrong = await errorOf(
      authenticate(cognitoUser(aws, 'alice@example.com'), 'Wrong-Password-1'),
    );
    const unknown = await errorOf(
      authenticate(cognitoUser(aws, 'nobody@example.com'), 'Wrong-Password-1'),
    );
    expect(wrong).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(unknown).toEqual(wrong);
  });

  it('refuses a password-verifier step replayed with the same secret block', async () => {
    const init = await idp.send(
      new InitiateAuthCommand({
        ClientId: aws.profile.userPoolClientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: 'alice@example.com', SRP_A: 'abcdef0123456789' },
      }),
    );
    expect(init.ChallengeName).toBe('PASSWORD_VERIFIER');
    const { RespondToAuthChallengeCommand } =
      await import('@aws-sdk/client-cognito-identity-provider');
    const respond = () =>
      idp.send(
        new RespondToAuthChallengeCommand({
          ClientId: aws.profile.userPoolClientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: {
            USERNAME: init.ChallengeParameters!.USER_ID_FOR_SRP!,
            PASSWORD_CLAIM_SECRET_BLOCK: init.ChallengeParameters!.SECRET_BLOCK!,
            PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32).toString('base64'),
            TIMESTAMP: new Date()
              .toUTCString()
              .replace(
                /^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/,
                (_, d, day, mon, y, t) => `${d} ${mon} ${Number(day)} ${t} UTC ${y}`,
              ),
          },
        }),
      );
    expect((await errorOf(respond())).name).toBe('NotAuthorizedException');
    expect(await errorOf(respond())).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
  });

  it('locks an account after repeated wrong passwords', async () => {
    createConfirmedUser(aws, 'lock@example.com', PASSWORD);
    for (let i = 0; i < 5; i++) {
      await errorOf(authenticate(cognitoUser(aws, 'lock@example.com'), 'Wrong-Password-1'));
    }
    expect(await errorOf(authenticate(cognitoUser(aws, 'lock@example.com'), PASSWORD))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Password attempts exceeded',
    });
  });
});

describe('first sign-in of an administrator-created user (NEW_PASSWORD_REQUIRED)', () => {
  it('checks the temporary password first, enforces the policy, then signs in', async () => {
    await adminIdp(aws).send(
      new AdminCreateUserCommand({
        UserPoolId: aws.profile.userPoolId,
        Username: 'bob@example.com',
        TemporaryPassword: 'Temp-Pass-123!',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    );
    expect(
      await errorOf(authenticate(cognitoUser(aws, 'bob@example.com'), 'Not-The-Temp-1')),
    ).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    const user = cognitoUser(aws, 'bob@example.com');
    const first = await authenticate(user, 'Temp-Pass-123!');
    expect(first.kind).toBe('newPasswordRequired');
    const complete = (password: string) =>
      new Promise<SignInOutcome>((resolve, reject) =>
        user.completeNewPasswordChallenge(password, {}, callbacks(resolve, reject)),
      );
    expect(await errorOf(complete('weakpassword'))).toEqual({
      name: 'InvalidPasswordException',
      message: 'Password does not conform to policy: Password must have uppercase characters',
    });
    const done = await complete('Brand-New-Pass-7');
    expect(done.kind).toBe('success');
    // The temporary password no longer works; the new one does.
    expect(
      (await errorOf(authenticate(cognitoUser(aws, 'bob@example.com'), 'Temp-Pass-123!'))).name,
    ).toBe('NotAuthorizedException');
    expect((await authenticate(cognitoUser(aws, 'bob@example.com'), 'Brand-New-Pass-7')).kind).toBe(
      'success',
    );
  });

  it('asks for required attributes the user does not have yet', async () => {
    const strict = await startTestAws({ requiredAttributes: ['email', 'name'] });
    try {
      strict.userPool.createUser('carol@example.com', 'Temp-Pass-123!');
      const user = cognitoUser(strict, 'carol@example.com');
      const first = await authenticate(user, 'Temp-Pass-123!');
      expect(first).toMatchObject({ kind: 'newPasswordRequired', requiredAttributes: ['name'] });
      const missing = await errorOf(
        new Promise((resolve, reject) =>
          user.completeNewPasswordChallenge('Brand-New-Pass-7', {}, callbacks(resolve, reject)),
        ),
      );
      expect(missing.name).toBe('InvalidParameterException');
      const done = await new Promise<SignInOutcome>((resolve, reject) =>
        user.completeNewPasswordChallenge(
          'Brand-New-Pass-7',
          { name: 'Carol' },
          callbacks(resolve, reject),
        ),
      );
      expect(done.kind).toBe('success');
      if (done.kind === 'success')
        expect(done.session.getIdToken().decodePayload().name).toBe('Carol');
    } finally {
      await strict.stop();
    }
  });
});

describe('refresh, revocation and sign-out', () => {
  it('refreshes with REFRESH_TOKEN_AUTH through the library', async () => {
    const session = await signIn(aws, 'alice@example.com', PASSWORD);
    const renewed = await refreshWithLibrary(
      aws,
      'alice@example.com',
      session.getRefreshToken().getToken(),
    );
    expect(renewed.getIdToken().decodePayload().sub).toBe(session.getIdToken().decodePayload().sub);
  });

  it('stops refreshing after RevokeToken', async () => {
    const session = await signIn(aws, 'alice@example.com', PASSWORD);
    const token = session.getRefreshToken().getToken();
    await idp.send(
      new RevokeTokenCommand({ ClientId: aws.profile.userPoolClientId, Token: token }),
    );
    const err = await errorOf(refreshWithSdk(aws, token));
    expect(err).toEqual({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    // Tokens from that session are revoked too.
    const getUser = await errorOf(
      idp.send(new GetUserCommand({ AccessToken: session.getAccessToken().getJwtToken() })),
    );
    expect(getUser.name).toBe('NotAuthorizedException');
  });

  it('GlobalSignOut ends every session of the user and their ID tokens for the identity pool', async () => {
    createConfirmedUser(aws, 'dave@example.com', PASSWORD);
    const a = await signIn(aws, 'dave@example.com', PASSWORD);
    const b = await signIn(aws, 'dave@example.com', PASSWORD);
    const me = await idp.send(
      new GetUserCommand({ AccessToken: a.getAccessToken().getJwtToken() }),
    );
    expect(me.UserAttributes?.find((x) => x.Name === 'email')?.Value).toBe('dave@example.com');
    await idp.send(new GlobalSignOutCommand({ AccessToken: a.getAccessToken().getJwtToken() }));
    for (const s of [a, b]) {
      expect((await errorOf(refreshWithSdk(aws, s.getRefreshToken().getToken()))).name).toBe(
        'NotAuthorizedException',
      );
    }
    expect((await errorOf(roleCredentials(aws, b.getIdToken().getJwtToken()))).name).toBe(
      'NotAuthorizedException',
    );
    // Signing in again afterwards works.
    const c = await signIn(aws, 'dave@example.com', PASSWORD);
    await expect(roleCredentials(aws, c.getIdToken().getJwtToken())).resolves.toBeTruthy();
  });

  it('AdminUserGlobalSignOut revokes the refresh token', async () => {
    createConfirmedUser(aws, 'erin@example.com', PASSWORD);
    const s = await signIn(aws, 'erin@example.com', PASSWORD);
    await adminIdp(aws).send(
      new AdminUserGlobalSignOutCommand({
        UserPoolId: aws.profile.userPoolId,
        Username: 'erin@example.com',
      }),
    );
    expect((await errorOf(refreshWithSdk(aws, s.getRefreshToken().getToken()))).message).toBe(
      'Refresh Token has been revoked',
    );
  });

  it('rotates refresh tokens with GetTokensFromRefreshToken when rotation is on', async () => {
    const rotating = await startTestAws({ refreshTokenRotation: true });
    try {
      createConfirmedUser(rotating, 'rot@example.com', PASSWORD);
      const s = await signIn(rotating, 'rot@example.com', PASSWORD);
      const client = new CognitoIdentityProviderClient({
        region: rotating.profile.region,
        endpoint: rotating.url,
        credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      });
      const first = s.getRefreshToken().getToken();
      const r1 = await client.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: rotating.profile.userPoolClientId,
          RefreshToken: first,
        }),
      );
      const second = r1.AuthenticationResult!.RefreshToken!;
      expect(second).toBeTruthy();
      expect(second).not.toBe(first);
      expect(r1.AuthenticationResult!.IdToken).toBeTruthy();
      // The replaced token is refused (grace period 0); the new one works.
      expect(
        (
          await errorOf(
            client.send(
              new GetTokensFromRefreshTokenCommand({
                ClientId: rotating.profile.userPoolClientId,
                RefreshToken: first,
              }),
            ),
          )
        ).name,
      ).toBe('NotAuthorizedException');
      const r2 = await client.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: rotating.profile.userPoolClientId,
          RefreshToken: second,
        }),
      );
      expect(r2.AuthenticationResult!.RefreshToken).toBeTruthy();
      // REFRESH_TOKEN_AUTH is not the way when rotation is on.
      expect(
        (await errorOf(refreshWithSdk(rotating, r2.AuthenticationResult!.RefreshToken!))).name,
      ).toBe('InvalidParameterException');
    } finally {
      await rotating.stop();
    }
  });

  it('GetTokensFromRefreshToken without rotation returns no new refresh token', async () => {
    const s = await signIn(aws, 'alice@example.com', PASSWORD);
    const r = await idp.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: aws.profile.userPoolClientId,
        RefreshToken: s.getRefreshToken().getToken(),
      }),
    );
    expect(r.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(r.AuthenticationResult?.RefreshToken).toBeUndefined();
  });
});

describe('forgot password', () => {
  it('sends a code (readable by tests) and sets the new password with it', async () => {
    createConfirmedUser(aws, 'frank@example.com', PASSWORD);
    const clientId = aws.profile.userPoolClientId;
    const sent = await idp.send(
      new ForgotPasswordCommand({ ClientId: clientId, Username: 'frank@example.com' }),
    );
    expect(sent.CodeDeliveryDetails).toMatchObject({
      DeliveryMedium: 'EMAIL',
      Destination: 'f***@e***',
    });
    const outbox = (await adminCall(aws, 'GET', 'outbox?to=frank@example.com')) as {
      code: string;
      kind: string;
    }[];
    const code = outbox.filter((m) => m.kind === 'FORGOT_PASSWORD').at(-1)!.code;
    const wrong = await errorOf(
      idp.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: 'frank@example.com',
          ConfirmationCode: '000000' === code ? '111111' : '000000',
          Password: 'Another-Pass-8',
        }),
      ),
    );
    expect(wrong.name).toBe('CodeMismatchException');
    const weak = await errorOf(
      idp.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: 'frank@example.com',
          ConfirmationCode: code,
          Password: 'short',
        }),
      ),
    );
    expect(weak.name).toBe('InvalidPasswordException');
    await idp.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: 'frank@example.com',
        ConfirmationCode: code,
        Password: 'Another-Pass-8',
      }),
    );
    expect((await authenticate(cognitoUser(aws, 'frank@example.com'), 'Another-Pass-8')).kind).toBe(
      'success',
    );
  });

  it('answers an unknown user like a known one', async () => {
    const r = await idp.send(
      new ForgotPasswordCommand({
        ClientId: aws.profile.userPoolClientId,
        Username: 'ghost@example.com',
      }),
    );
    expect(r.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
  });
});

describe('MFA', () => {
  it('TOTP: associate, verify, then SOFTWARE_TOKEN_MFA at sign-in', async () => {
    createConfirmedUser(aws, 'grace@example.com', PASSWORD);
    const s = await signIn(aws, 'grace@example.com', PASSWORD);
    const AccessToken = s.getAccessToken().getJwtToken();
    const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    const totp = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(SecretCode!),
      digits: 6,
      period: 30,
    });
    const bad = await errorOf(
      idp.send(
        new VerifySoftwareTokenCommand({
          AccessToken,
          UserCode: totp.generate() === '000000' ? '111111' : '000000',
        }),
      ),
    );
    expect(bad.name).toBe('EnableSoftwareTokenMFAException');
    const ok = await idp.send(
      new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp.generate() }),
    );
    expect(ok.Status).toBe('SUCCESS');
    await idp.send(
      new SetUserMFAPreferenceCommand({
        AccessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const user = cognitoUser(aws, 'grace@example.com');
    expect((await authenticate(user, PASSWORD)).kind).toBe('totpRequired');
    const send = (code: string) =>
      new Promise<SignInOutcome>((resolve, reject) =>
        user.sendMFACode(code, callbacks(resolve, reject), 'SOFTWARE_TOKEN_MFA'),
      );
    expect((await errorOf(send(totp.generate() === '000000' ? '111111' : '000000'))).name).toBe(
      'CodeMismatchException',
    );
    expect((await send(totp.generate())).kind).toBe('success');
  });

  it('SMS: a code is "sent" to the phone and answers SMS_MFA', async () => {
    aws.userPool.createUser('heidi@example.com', PASSWORD, { phone_number: '+81901234567' });
    aws.userPool.setUserPassword('heidi@example.com', PASSWORD, true);
    await adminIdp(aws).send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: aws.profile.userPoolId,
        Username: 'heidi@example.com',
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const user = cognitoUser(aws, 'heidi@example.com');
    const step = await authenticate(user, PASSWORD);
    expect(step.kind).toBe('mfaRequired');
    const outbox = (await adminCall(aws, 'GET', 'outbox?to=%2B81901234567')) as { code: string }[];
    const done = await new Promise<SignInOutcome>((resolve, reject) =>
      user.sendMFACode(outbox.at(-1)!.code, callbacks(resolve, reject)),
    );
    expect(done.kind).toBe('success');
  });
});

describe('administrator operations', () => {
  it('need IAM credentials: unsigned and role-signed calls are refused', async () => {
    const unsigned = await errorOf(
      idp.send(new ListUsersCommand({ UserPoolId: aws.profile.userPoolId })),
    );
    expect(unsigned.name).toBe('UnrecognizedClientException');
    const s = await signIn(aws, 'alice@example.com', PASSWORD);
    const creds = await roleCredentials(aws, s.getIdToken().getJwtToken());
    const asRole = new CognitoIdentityProviderClient({
      region: aws.profile.region,
      endpoint: aws.url,
      credentials: creds,
    });
    const denied = await errorOf(
      asRole.send(new ListUsersCommand({ UserPoolId: aws.profile.userPoolId })),
    );
    expect(denied.name).toBe('AccessDeniedException');
  });

  it('create, list, get, disable, enable and delete a user', async () => {
    const admin = adminIdp(aws);
    const UserPoolId = aws.profile.userPoolId;
    const created = await admin.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username: 'ivan@example.com',
        MessageAction: 'SUPPRESS',
        TemporaryPassword: 'Temp-Pass-123!',
      }),
    );
    expect(created.User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const dup = await errorOf(
      admin.send(new AdminCreateUserCommand({ UserPoolId, Username: 'ivan@example.com' })),
    );
    expect(dup.name).toBe('UsernameExistsException');
    const listed = await admin.send(
      new ListUsersCommand({ UserPoolId, Filter: 'email = "ivan@example.com"' }),
    );
    expect(listed.Users).toHaveLength(1);
    aws.userPool.setUserPassword('ivan@example.com', PASSWORD, true);
    await admin.send(new AdminDisableUserCommand({ UserPoolId, Username: 'ivan@example.com' }));
    expect(await errorOf(authenticate(cognitoUser(aws, 'ivan@example.com'), PASSWORD))).toEqual({
      name: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
    await admin.send(new AdminEnableUserCommand({ UserPoolId, Username: 'ivan@example.com' }));
    expect((await authenticate(cognitoUser(aws, 'ivan@example.com'), PASSWORD)).kind).toBe(
      'success',
    );
    const got = await admin.send(
      new AdminGetUserCommand({ UserPoolId, Username: 'ivan@example.com' }),
    );
    expect(got.UserStatus).toBe('CONFIRMED');
    await admin.send(new AdminDeleteUserCommand({ UserPoolId, Username: 'ivan@example.com' }));
    expect(
      (
        await errorOf(
          admin.send(new AdminGetUserCommand({ UserPoolId, Username: 'ivan@example.com' })),
        )
      ).name,
    ).toBe('UserNotFoundException');
  });

  it('an invitation without a temporary password gets a generated one in the outbox', async () => {
    await adminIdp(aws).send(
      new AdminCreateUserCommand({
        UserPoolId: aws.profile.userPoolId,
        Username: 'judy@example.com',
      }),
    );
    const outbox = (await adminCall(aws, 'GET', 'outbox?to=judy@example.com')) as {
      code: string;
      kind: string;
    }[];
    const invitation = outbox.find((m) => m.kind === 'INVITATION')!;
    expect((await authenticate(cognitoUser(aws, 'judy@example.com'), invitation.code)).kind).toBe(
      'newPasswordRequired',
    );
  });
});

describe('persistence', () => {
  it('keeps users and refresh tokens across a restart', async () => {
    const first = await startTestAws();
    createConfirmedUser(first, 'kate@example.com', PASSWORD);
    const s = await signIn(first, 'kate@example.com', PASSWORD);
    const dataDir = first.dataDir;
    const poolId = first.profile.userPoolId;
    await first.stop();
    const second = await startTestAws({ dataDir });
    try {
      expect(second.profile.userPoolId).toBe(poolId);
      expect((await authenticate(cognitoUser(second, 'kate@example.com'), PASSWORD)).kind).toBe(
        'success',
      );
      const renewed = await refreshWithLibrary(
        second,
        'kate@example.com',
        s.getRefreshToken().getToken(),
      );
      expect(renewed.isValid()).toBe(true);
    } finally {
      await second.stop();
    }
  });
});

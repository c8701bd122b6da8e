/**
 * local-aws is what `npm run demo` runs for people: it answers loopback names only, takes a
 * signature only when it covers Host and names this server's region, spends a reset code
 * after a few wrong guesses, and checks its admin token like a secret.
 */
import { request } from 'node:http';
import {
  ConfirmForgotPasswordCommand,
  CognitoIdentityProviderClient,
  ForgotPasswordCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CODE_ATTEMPTS } from '../../local-aws/cognito/userPool';
import type { LocalAws } from '../../local-aws/server';
import {
  adminCredentials,
  adminS3,
  authenticate,
  cognitoUser,
  createConfirmedUser,
  signedS3,
  startTestAws,
} from '../helpers/localAws';
import { newCore } from '../helpers/kura';

let aws: LocalAws;
const bucket = 'kura-loopback';
beforeAll(async () => {
  aws = await startTestAws({ bucket });
});
afterAll(() => aws.stop());

/** A raw HTTP request with a Host header of our choosing (fetch will not let us set one). */
function withHost(host: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: aws.port, path, method: 'GET', headers: { host, ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('Host: loopback names only (no DNS rebinding)', () => {
  it.each([
    ['S3', () => `/${bucket}`],
    ['the JWKS', () => `/${aws.ids.userPoolId}/.well-known/jwks.json`],
    ['the admin endpoint', () => '/_local-aws/health'],
  ])('refuses another site’s name for %s', async (_what, path) => {
    const auth = { authorization: `Bearer ${aws.admin.adminToken}` };
    const r = await withHost(`rebound.example:${aws.port}`, path(), auth);
    expect(r.status).toBe(421);
    expect(r.body).toContain('loopback');
  });

  it('answers 127.0.0.1, localhost and <bucket>.localhost', async () => {
    const auth = { authorization: `Bearer ${aws.admin.adminToken}` };
    for (const host of [`127.0.0.1:${aws.port}`, `localhost:${aws.port}`, `LOCALHOST`]) {
      expect((await withHost(host, '/_local-aws/health', auth)).status).toBe(200);
    }
    // Virtual-host style reaches S3 (and is refused there only for want of a signature).
    expect((await withHost(`${bucket}.localhost:${aws.port}`, '/')).status).toBe(403);
  });
});

describe('SigV4 must cover Host and name this region', () => {
  it('refuses a signature that leaves Host out', async () => {
    const r = await signedS3(aws, 'GET', `/${bucket}`, {
      query: { 'list-type': '2' },
      unsignedHost: true,
    });
    expect(r.status).toBe(403);
    expect(r.text).toContain('<Code>AccessDenied</Code>');
    expect(r.text).toContain('<HeadersNotSigned>host</HeadersNotSigned>');
    // The same request with Host signed is served.
    const ok = await signedS3(aws, 'GET', `/${bucket}`, { query: { 'list-type': '2' } });
    expect(ok.status).toBe(200);
  });

  it('refuses S3 requests signed for another region, naming the right one', async () => {
    const wrong = adminS3(aws, { region: 'us-east-1', maxAttempts: 1 });
    const e = await wrong
      .send(new ListObjectsV2Command({ Bucket: bucket }))
      .catch((x: unknown) => x);
    expect(e).toMatchObject({
      name: 'AuthorizationHeaderMalformed',
      Region: aws.profile.region,
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses administrator calls signed for another region', async () => {
    const idp = new CognitoIdentityProviderClient({
      region: 'eu-west-1',
      endpoint: aws.url,
      credentials: adminCredentials(aws),
      maxAttempts: 1,
    });
    const e = await idp
      .send(new ListUsersCommand({ UserPoolId: aws.ids.userPoolId }))
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'InvalidSignatureException' });
  });
});

describe('ConfirmForgotPassword spends a code after a few wrong guesses', () => {
  it(`answers LimitExceededException after ${MAX_CODE_ATTEMPTS} wrong codes, even to the right one; a new code works`, async () => {
    createConfirmedUser(aws, 'guess@example.com', 'Correct-Horse-9');
    const idp = new CognitoIdentityProviderClient({
      region: aws.profile.region,
      endpoint: aws.url,
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    });
    const ClientId = aws.profile.userPoolClientId;
    const latestCode = () =>
      aws.userPool
        .outbox()
        .filter((m) => m.to === 'guess@example.com' && m.kind === 'FORGOT_PASSWORD')
        .at(-1)!.code;
    await idp.send(new ForgotPasswordCommand({ ClientId, Username: 'guess@example.com' }));
    const code = latestCode();
    const confirm = (ConfirmationCode: string) =>
      idp
        .send(
          new ConfirmForgotPasswordCommand({
            ClientId,
            Username: 'guess@example.com',
            ConfirmationCode,
            Password: 'Brand-New-Pass-1',
          }),
        )
        .then(
          () => 'ok',
          (e: Error) => e.name,
        );
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) {
      const guess = String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
      expect(await confirm(guess)).toBe('CodeMismatchException');
    }
    expect(await confirm(code)).toBe('LimitExceededException');
    expect(
      (await authenticate(cognitoUser(aws, 'guess@example.com'), 'Correct-Horse-9')).kind,
    ).toBe('success');

    // Kura tells the user what to do, in both languages.
    const { core } = newCore(aws);
    const refused = await core
      .active()
      .session.confirmForgotPassword('guess@example.com', code, 'Brand-New-Pass-1')
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });

    await idp.send(new ForgotPasswordCommand({ ClientId, Username: 'guess@example.com' }));
    expect(await confirm(latestCode())).toBe('ok');
  });
});

describe('the admin endpoint', () => {
  it('takes only its own token', async () => {
    const call = (authorization: string) =>
      fetch(`${aws.url}/_local-aws/health`, { headers: { authorization } }).then((r) => r.status);
    const token = aws.admin.adminToken;
    expect(await call(`Bearer ${token}`)).toBe(200);
    for (const wrong of [
      '',
      'Bearer ',
      `Bearer ${token.slice(0, -1)}`,
      `Bearer ${token}x`,
      `bearer ${token}`,
    ])
      expect(await call(wrong)).toBe(401);
  });
});

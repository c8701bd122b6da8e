import {
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
} from '@aws-sdk/client-cognito-identity';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import {
  adminCall,
  createConfirmedUser,
  identityClient,
  loginsFor,
  roleCredentials,
  s3Client,
  signIn,
  startTestAws,
} from '../helpers/localAws';

const PASSWORD = 'Correct-Horse-9';
let aws: LocalAws;
let idToken: string;

beforeAll(async () => {
  aws = await startTestAws();
  createConfirmedUser(aws, 'alice@example.com', PASSWORD);
  idToken = (await signIn(aws, 'alice@example.com', PASSWORD)).getIdToken().getJwtToken();
});
afterAll(() => aws.stop());

const errorName = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return (err as Error).name;
  }
  throw new Error('expected an error');
};

/** Signs a token with the pool's own key (read from its state), with the claims given. */
async function tokenWithPoolKey(claims: Record<string, unknown>, expiresIn = 3600) {
  const state = JSON.parse(readFileSync(join(aws.dataDir, 'state.json'), 'utf8')) as {
    signingKey: { kid: string; privateJwk: JWK };
  };
  const key = await importJWK(state.signingKey.privateJwk, 'RS256');
  const p = aws.profile;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ token_use: 'id', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: state.signingKey.kid })
    .setIssuer(`https://cognito-idp.${p.region}.amazonaws.com/${p.userPoolId}`)
    .setIssuedAt(now)
    .setExpirationTime(now + expiresIn)
    .sign(key);
}

describe('identity pool (enhanced flow)', () => {
  it('gives a stable identity id per user and role credentials that read S3', async () => {
    const a = await roleCredentials(aws, idToken);
    const b = await roleCredentials(aws, idToken);
    expect(a.identityId).toMatch(new RegExp(`^${aws.profile.region}:[0-9a-f-]{36}$`));
    expect(b.identityId).toBe(a.identityId);
    expect(a.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(a.accessKeyId).not.toBe(b.accessKeyId);
    expect(a.expiration.getTime() - Date.now()).toBeGreaterThan(59 * 60 * 1000);
    const list = await s3Client(aws, a).send(new ListObjectsV2Command({ Bucket: aws.bucket }));
    expect(list.KeyCount).toBe(0);
  });

  it('refuses unauthenticated access', async () => {
    expect(
      await errorName(
        identityClient(aws).send(new GetIdCommand({ IdentityPoolId: aws.profile.identityPoolId })),
      ),
    ).toBe('NotAuthorizedException');
  });

  it('refuses a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const p = aws.profile;
    const forged = await new SignJWT({ token_use: 'id', sub: 'x', aud: p.userPoolClientId })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(`https://cognito-idp.${p.region}.amazonaws.com/${p.userPoolId}`)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const send = identityClient(aws).send(
      new GetIdCommand({ IdentityPoolId: p.identityPoolId, Logins: loginsFor(aws, forged) }),
    );
    expect(await errorName(send)).toBe('NotAuthorizedException');
  });

  it('refuses a token for another app client (audience)', async () => {
    const sub = aws.userPool.findUser('alice@example.com')!.sub;
    const foreign = await tokenWithPoolKey({ sub, aud: 'someotherclientid0000000000' });
    const send = identityClient(aws).send(
      new GetIdCommand({
        IdentityPoolId: aws.profile.identityPoolId,
        Logins: loginsFor(aws, foreign),
      }),
    );
    expect(await errorName(send)).toBe('NotAuthorizedException');
  });

  it('refuses an expired ID token', async () => {
    const sub = aws.userPool.findUser('alice@example.com')!.sub;
    const expired = await tokenWithPoolKey({ sub, aud: aws.profile.userPoolClientId }, -10);
    const send = identityClient(aws).send(
      new GetIdCommand({
        IdentityPoolId: aws.profile.identityPoolId,
        Logins: loginsFor(aws, expired),
      }),
    );
    expect(await errorName(send)).toBe('NotAuthorizedException');
  });

  it('refuses an access token in place of an ID token', async () => {
    const s = await signIn(aws, 'alice@example.com', PASSWORD);
    const send = identityClient(aws).send(
      new GetIdCommand({
        IdentityPoolId: aws.profile.identityPoolId,
        Logins: loginsFor(aws, s.getAccessToken().getJwtToken()),
      }),
    );
    expect(await errorName(send)).toBe('NotAuthorizedException');
  });

  it("refuses credentials for another user's identity", async () => {
    createConfirmedUser(aws, 'bob@example.com', PASSWORD);
    const bobToken = (await signIn(aws, 'bob@example.com', PASSWORD)).getIdToken().getJwtToken();
    const alice = await roleCredentials(aws, idToken);
    const send = identityClient(aws).send(
      new GetCredentialsForIdentityCommand({
        IdentityId: alice.identityId,
        Logins: loginsFor(aws, bobToken),
      }),
    );
    expect(await errorName(send)).toBe('NotAuthorizedException');
  });

  it('refuses an unknown identity pool', async () => {
    const send = identityClient(aws).send(
      new GetIdCommand({
        IdentityPoolId: `${aws.profile.region}:00000000-0000-4000-a000-000000000000`,
        Logins: loginsFor(aws, idToken),
      }),
    );
    expect(await errorName(send)).toBe('ResourceNotFoundException');
  });

  it('has the classic (basic) flow turned off', async () => {
    const { identityId } = await roleCredentials(aws, idToken);
    const send = identityClient(aws).send(
      new GetOpenIdTokenCommand({ IdentityId: identityId, Logins: loginsFor(aws, idToken) }),
    );
    expect(await errorName(send)).toBe('InvalidParameterException');
  });

  it('issues credentials with the configured lifetime, and they stop working when they expire', async () => {
    await adminCall(aws, 'PUT', 'settings', { credentialTtlSeconds: 900 });
    try {
      const c = await roleCredentials(aws, idToken);
      expect(Math.round((c.expiration.getTime() - Date.now()) / 60000)).toBe(15);
      await adminCall(aws, 'POST', 'credentials/expire');
      const list = s3Client(aws, c).send(new ListObjectsV2Command({ Bucket: aws.bucket }));
      expect(await errorName(list)).toBe('ExpiredToken');
    } finally {
      await adminCall(aws, 'PUT', 'settings', { credentialTtlSeconds: 3600 });
    }
  });
});

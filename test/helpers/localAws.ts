/** Test helpers: start local-aws in-process and talk to it only through the real clients. */
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { S3Client } from '@aws-sdk/client-s3';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { startLocalAws, type LocalAws, type LocalAwsOptions } from '../../local-aws/server';

export { MemoryCognitoStorage as MemoryStorage } from '../../src/main/services/userPoolAuth';
import { MemoryCognitoStorage as MemoryStorage } from '../../src/main/services/userPoolAuth';

export async function startTestAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  return startLocalAws({ seed: 'none', ...options });
}

export function userPool(aws: LocalAws): CognitoUserPool {
  const p = aws.profile;
  return new CognitoUserPool({
    UserPoolId: p.userPoolId,
    ClientId: p.userPoolClientId,
    endpoint: aws.url,
    Storage: new MemoryStorage(),
  });
}

export function cognitoUser(aws: LocalAws, email: string, pool = userPool(aws)): CognitoUser {
  return new CognitoUser({ Username: email, Pool: pool, Storage: new MemoryStorage() });
}

export type SignInOutcome =
  | { kind: 'success'; session: CognitoUserSession }
  | {
      kind: 'newPasswordRequired';
      userAttributes: Record<string, string>;
      requiredAttributes: string[];
    }
  | { kind: 'totpRequired' }
  | { kind: 'mfaRequired'; details: unknown };

/** One sign-in step with amazon-cognito-identity-js, as a promise. */
export function authenticate(user: CognitoUser, password: string): Promise<SignInOutcome> {
  return new Promise((resolve, reject) => {
    user.authenticateUser(
      new AuthenticationDetails({ Username: user.getUsername(), Password: password }),
      callbacks(resolve, reject),
    );
  });
}

export function callbacks(resolve: (o: SignInOutcome) => void, reject: (e: unknown) => void) {
  return {
    onSuccess: (session: CognitoUserSession) => resolve({ kind: 'success', session }),
    onFailure: (err: unknown) => reject(err),
    newPasswordRequired: (userAttributes: Record<string, string>, requiredAttributes: string[]) =>
      resolve({ kind: 'newPasswordRequired', userAttributes, requiredAttributes }),
    totpRequired: () => resolve({ kind: 'totpRequired' }),
    mfaRequired: (_name: unknown, details: unknown) => resolve({ kind: 'mfaRequired', details }),
  };
}

export async function signIn(
  aws: LocalAws,
  email: string,
  password: string,
): Promise<CognitoUserSession> {
  const outcome = await authenticate(cognitoUser(aws, email), password);
  if (outcome.kind !== 'success') throw new Error(`expected a session, got ${outcome.kind}`);
  return outcome.session;
}

/** Creates a confirmed user (as an administrator would, then the password made permanent). */
export function createConfirmedUser(aws: LocalAws, email: string, password: string) {
  aws.userPool.createUser(email, password, { email_verified: 'true' });
  aws.userPool.setUserPassword(email, password, true);
}

/** Deletes a user as AdminDeleteUser does (tests clean up what they add to a shared instance). */
export async function deleteUser(aws: LocalAws, email: string) {
  await aws.userPool.handle('AdminDeleteUser', {
    UserPoolId: aws.profile.userPoolId,
    Username: email,
  });
}

/** Deletes a user pool group as DeleteGroup does. */
export async function deleteGroup(aws: LocalAws, name: string) {
  await aws.userPool.handle('DeleteGroup', { UserPoolId: aws.profile.userPoolId, GroupName: name });
}

export function loginsFor(aws: LocalAws, idToken: string) {
  const p = aws.profile;
  return { [`cognito-idp.${p.region}.amazonaws.com/${p.userPoolId}`]: idToken };
}

export function identityClient(aws: LocalAws) {
  return new CognitoIdentityClient({ region: aws.profile.region, endpoint: aws.url });
}

/** GetId + GetCredentialsForIdentity (for `customRoleArn` when given) with the real SDK client. */
export async function roleCredentials(aws: LocalAws, idToken: string, customRoleArn?: string) {
  const client = identityClient(aws);
  const Logins = loginsFor(aws, idToken);
  const { IdentityId } = await client.send(
    new GetIdCommand({ IdentityPoolId: aws.profile.identityPoolId, Logins }),
  );
  const { Credentials } = await client.send(
    new GetCredentialsForIdentityCommand({ IdentityId, Logins, CustomRoleArn: customRoleArn }),
  );
  return {
    identityId: IdentityId!,
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretKey!,
    sessionToken: Credentials!.SessionToken!,
    expiration: Credentials!.Expiration!,
  };
}

export function s3Client(
  aws: LocalAws,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  extra: Partial<ConstructorParameters<typeof S3Client>[0]> = {},
) {
  return new S3Client({
    region: aws.profile.region,
    endpoint: aws.url,
    forcePathStyle: true,
    credentials,
    ...extra,
  });
}

export function adminCredentials(aws: LocalAws) {
  return { accessKeyId: aws.admin.accessKeyId, secretAccessKey: aws.admin.secretAccessKey };
}

export const adminS3 = (aws: LocalAws, extra = {}) => s3Client(aws, adminCredentials(aws), extra);

export const adminIdp = (aws: LocalAws) =>
  new CognitoIdentityProviderClient({
    region: aws.profile.region,
    endpoint: aws.url,
    credentials: adminCredentials(aws),
  });

/** Calls the admin endpoint (faults, outbox, clock, settings). */
export async function adminCall(aws: LocalAws, method: string, path: string, body?: unknown) {
  const res = await fetch(`${aws.url}/_local-aws/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${aws.admin.adminToken}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** An environment for spawning peers (aws CLI, rclone) with no inherited AWS_* settings. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return { ...env, ...extra };
}

/**
 * A raw S3 request signed with the administrator's key by the SDK's own signer — for requests
 * no SDK command makes (an odd sub-resource, a header left unsigned, another region).
 */
export async function signedS3(
  aws: LocalAws,
  method: string,
  path: string,
  o: {
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: string;
    region?: string;
    /** Leave Host out of the signed headers (fetch still sends it). */
    unsignedHost?: boolean;
  } = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const url = new URL(`${aws.url}${path}`);
  const signer = new SignatureV4({
    service: 's3',
    region: o.region ?? aws.profile.region,
    credentials: adminCredentials(aws),
    sha256: Sha256,
    uriEscapePath: false,
  });
  const body = o.body ?? '';
  const signed = await signer.sign(
    new HttpRequest({
      method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: o.query ?? {},
      headers: {
        ...(o.unsignedHost ? {} : { host: url.host }),
        'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
        ...o.headers,
      },
      body,
    }),
  );
  const qs = new URLSearchParams(o.query ?? {}).toString().replace(/=(&|$)/g, '$1');
  const res = await fetch(`${aws.url}${path}${qs ? `?${qs}` : ''}`, {
    method,
    headers: Object.fromEntries(
      Object.entries(signed.headers).filter(([k]) => k.toLowerCase() !== 'host'),
    ),
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/**
 * Security review #1: a re-imported profile with the same pools but another endpoint must not
 * inherit the stored session — at the next start the refresh token would go to that endpoint.
 */
import { composeCore } from '../../../src/main/compose/core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalAws } from '../../../local-aws/server';
import { parseProfile } from '../../../src/main/services/profile';
import { MemorySecretStore } from '../../../src/main/services/secretStore';
import { createConfirmedUser, startTestAws } from '../../helpers/localAws';
import { tempDir } from '../../helpers/kura';

let aws: LocalAws;
let capture: Server;
let captureUrl = '';
const received: string[] = [];

beforeAll(async () => {
  aws = await startTestAws();
  createConfirmedUser(aws, 'alice@example.com', 'Correct-Horse-9');
  // Stands in for an attacker's endpoint (on loopback, the only place http is accepted).
  capture = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push(body);
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'NotAuthorizedException', message: 'no' }));
    });
  });
  await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
  captureUrl = `http://127.0.0.1:${(capture.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await aws.stop();
  await new Promise((r) => capture.close(r));
});

it('a profile re-imported with another endpoint starts signed out: the stored refresh token goes nowhere', async () => {
  const dataDir = tempDir('kura-identity-');
  const secrets = new MemorySecretStore();
  const { core: first } = composeCore({ dataDir, secrets });
  const original = first.profiles.add(aws.profile);
  await first.active().session.signIn('alice@example.com', 'Correct-Horse-9');
  const stored = await secrets.get(original);
  expect(stored).toContain('refreshToken');
  const refreshToken = (JSON.parse(stored!) as { refreshToken: string }).refreshToken;

  // The same pools and client, pointed elsewhere.
  const redirected = parseProfile(
    JSON.stringify({
      ...aws.profile,
      endpoints: { cognitoIdp: captureUrl, cognitoIdentity: captureUrl, s3: captureUrl },
    }),
  );
  const imported = first.profiles.add(redirected);
  expect(imported).not.toBe(original);

  // The next start: the active profile is the new one.
  const { core: next } = composeCore({ dataDir, secrets });
  expect(await next.active().session.restore()).toEqual({ status: 'signedOut' });
  expect(received.join('\n')).not.toContain(refreshToken);
  expect(received).toEqual([]);

  // The original keeps its session, reached at its own endpoint.
  next.profiles.activate(original);
  expect(await next.active().session.restore()).toMatchObject({
    status: 'signedIn',
    email: 'alice@example.com',
  });
  expect(received).toEqual([]);
});

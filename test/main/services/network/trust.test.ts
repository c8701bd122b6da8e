/**
 * Trust (#18): local-aws --tls plays the organisation's TLS-inspecting CA. Without trusting its
 * CA, the error names the certificate (subject, issuer, why) in English and Japanese; with the
 * CA in the profile's caBundle everything works. (The OS store — SSL_CERT_DIR — is proven with
 * the CLI in test/cli/network.test.ts: the store is read once per process.)
 */
import { composeCore } from '../../../../src/main/compose/core';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../../local-aws/server';
import { errorMessage } from '../../../../src/shared/errors';
import { KuraError } from '../../../../src/main/services/kuraError';
import { Network } from '../../../../src/main/services/network/network';
import { parseProfile } from '../../../../src/main/services/profile';
import { MemorySecretStore } from '../../../../src/main/services/secretStore';
import { downloadFile, tempDir } from '../../../helpers/kura';
import { createConfirmedUser, startTestAws } from '../../../helpers/localAws';

const EMAIL = 'tls-user@example.com';
const PASSWORD = 'Tls-Pass-2026!';
const BODY = Buffer.from('inspected and trusted\n'.repeat(500));

function coreFor(profile: object) {
  const secrets = new MemorySecretStore();
  const { core } = composeCore({
    dataDir: tempDir('kura-data-'),
    secrets,
    network: { env: {} },
  });
  core.profiles.add(parseProfile(JSON.stringify(profile)));
  return core;
}

describe('TLS: an organisation CA Kura does not know, then one it trusts', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startTestAws({ tls: true });
    createConfirmedUser(aws, EMAIL, PASSWORD);
    await aws.store.put(aws.bucket, 'tls/file.txt', Readable.from([BODY]));
  });
  afterAll(() => aws?.stop());

  it('reads the trust store at the first TLS connection, never for a plain-http endpoint', async () => {
    const plain = await startTestAws();
    try {
      const network = new Network({ env: {} });
      const direct = network.transport();
      (await direct.request(new URL(`${plain.url}/`), { method: 'HEAD' })).body.resume();
      expect(direct.trustStoreRead).toBe(false);
      const tls = network.transport(aws.ca!.pem);
      (await tls.request(new URL(`${aws.url}/`), { method: 'HEAD' })).body.resume();
      expect(tls.trustStoreRead).toBe(true);
      network.destroy();
    } finally {
      await plain.stop();
    }
  });

  it('writes its CA beside profile.json and serves https', () => {
    expect(aws.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(readFileSync(aws.ca!.path, 'utf8')).toBe(aws.ca!.pem);
    expect(aws.ca!.path).toBe(aws.profilePath.replace(/profile\.json$/, 'ca.pem'));
  });

  it('refuses the certificate and names it: subject, issuer and why, in both languages', async () => {
    const core = coreFor(aws.profile);
    const err = await core
      .active()
      .session.signIn(EMAIL, PASSWORD)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(KuraError);
    const view = (err as KuraError).toView();
    expect(view.code).toBe('TLS_UNTRUSTED');
    expect(view.certificate).toMatchObject({
      host: '127.0.0.1',
      subject: '127.0.0.1',
      issuer: 'local-aws test CA',
      reason: 'untrustedIssuer',
    });
    expect(view.certificate!.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(errorMessage(view, 'en')).toContain(
      'Kura refused the certificate of 127.0.0.1 (“127.0.0.1”, issued by “local-aws test CA”): its issuer is not a certificate authority this computer trusts.',
    );
    expect(errorMessage(view, 'ja')).toContain(
      '127.0.0.1（「127.0.0.1」、発行者「local-aws test CA」）: 発行者がこのコンピューターで信頼されている認証局ではありません',
    );
    expect(errorMessage(view, 'en')).not.toMatch(/Something unexpected/);
  });

  it('works with the CA in the profile: sign-in, listing and a download', async () => {
    const core = coreFor({ ...aws.profile, caBundle: aws.ca!.pem });
    expect((await core.active().session.signIn(EMAIL, PASSWORD)).status).toBe('signedIn');
    const storage = core.active().storage;
    expect((await storage.listFolder(aws.bucket, 'tls/')).files.map((f) => f.name)).toEqual([
      'file.txt',
    ]);
    const got = await downloadFile(storage, aws.bucket, 'tls/file.txt', tempDir());
    expect(readFileSync(got.path)).toEqual(BODY);
  });

  it('a caBundle must be PEM certificates, and a bounded size', () => {
    const code = (p: object) => {
      try {
        parseProfile(JSON.stringify(p));
        return 'ok';
      } catch (e) {
        return (e as KuraError).problems?.map((x) => `${x.field} ${x.problem}`).join('; ');
      }
    };
    expect(code({ ...aws.profile, caBundle: 'not a certificate' })).toBe('caBundle format');
    expect(
      code({
        ...aws.profile,
        caBundle: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      }),
    ).toBe('caBundle format');
    expect(code({ ...aws.profile, caBundle: aws.ca!.pem.repeat(300) })).toBe('caBundle tooLong');
    expect(code({ ...aws.profile, caBundle: aws.ca!.pem })).toBe('ok');
  });

  it('another caBundle is another profile: it never inherits the stored session', () => {
    const core = coreFor(aws.profile);
    const plain = core.profiles.add(parseProfile(JSON.stringify(aws.profile)));
    const withCa = core.profiles.add(
      parseProfile(JSON.stringify({ ...aws.profile, caBundle: aws.ca!.pem })),
    );
    expect(withCa).not.toBe(plain);
  });
});

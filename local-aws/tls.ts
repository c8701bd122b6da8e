/**
 * local-aws `--tls`: a certificate authority of its own (generated once per data folder, kept
 * there: `ca.pem` beside profile.json, its key readable by this user only) and a server
 * certificate it signs for the loopback names (127.0.0.1, ::1, localhost, *.localhost). Tests
 * play an organisation's TLS-inspecting proxy with it: a client that does not trust `ca.pem`
 * must refuse the server; one that does (the OS store, or a profile's caBundle) must work.
 * node-forge builds the certificates (Node's crypto parses X.509 but cannot issue it); the keys
 * come from node:crypto.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface TlsMaterial {
  /** The CA's certificate (PEM): what a client must trust. */
  caPem: string;
  caPath: string;
  key: string;
  cert: string;
}

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    forgePrivate: forge.pki.privateKeyFromPem(
      privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    ),
    forgePublic: forge.pki.publicKeyFromPem(
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ),
  };
}

function newCertificate(publicKey: forge.pki.PublicKey, days: number) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial (the top bit clear).
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + days * 24 * 3600 * 1000);
  return cert;
}

/** The CA of `dataDir` (made on first use) and a fresh server certificate signed by it. */
export function tlsMaterial(dataDir: string): TlsMaterial {
  const caPath = join(dataDir, 'ca.pem');
  const caKeyPath = join(dataDir, 'ca-key.pem');
  let caCert: forge.pki.Certificate;
  let caKey: forge.pki.PrivateKey;
  if (existsSync(caPath) && existsSync(caKeyPath)) {
    caCert = forge.pki.certificateFromPem(readFileSync(caPath, 'utf8'));
    caKey = forge.pki.privateKeyFromPem(readFileSync(caKeyPath, 'utf8'));
  } else {
    const k = keyPair();
    caCert = newCertificate(k.forgePublic, 3650);
    const name = [
      { name: 'commonName', value: 'local-aws test CA' },
      { name: 'organizationName', value: 'Kura local-aws' },
    ];
    caCert.setSubject(name);
    caCert.setIssuer(name);
    caCert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    caCert.sign(k.forgePrivate, forge.md.sha256.create());
    caKey = k.forgePrivate;
    writeFileSync(caKeyPath, k.privatePem, { mode: 0o600 });
    writeFileSync(caPath, forge.pki.certificateToPem(caCert));
  }
  const s = keyPair();
  const cert = newCertificate(s.forgePublic, 30);
  cert.setSubject([{ name: 'commonName', value: '127.0.0.1' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
        { type: 2, value: 'localhost' },
        { type: 2, value: '*.localhost' },
      ],
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return {
    caPem: readFileSync(caPath, 'utf8'),
    caPath,
    key: s.privatePem,
    cert: forge.pki.certificateToPem(cert),
  };
}

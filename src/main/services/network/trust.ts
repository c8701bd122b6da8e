/**
 * Which certificate authorities Kura trusts: Node's bundled roots (and NODE_EXTRA_CA_CERTS), the
 * operating system's trust store — where an organisation installs the root of its
 * TLS-inspecting proxy — and a profile's own extra bundle for private endpoints. Node 22 reads the
 * OS store itself (`tls.getCACertificates('system')`: the Keychain, the Windows store, OpenSSL's
 * directory on Linux, which SSL_CERT_DIR / SSL_CERT_FILE move). When a server's certificate is
 * refused, the error names it: subject, issuer, and why, in the user's language.
 */
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { CertificateView } from '../../../shared/errors';
import { KuraError } from '../kuraError';

type CaKind = 'default' | 'system' | 'bundled' | 'extra';
const getCa = (tls as unknown as { getCACertificates?: (k: CaKind) => string[] }).getCACertificates;

let osAndBundled: string[] | undefined;

/** Node's own roots and the OS's, read once per process (the OS store can be slow to read). */
export function baseCertificates(): string[] {
  if (osAndBundled) return osAndBundled;
  const set = new Set<string>();
  if (getCa) {
    for (const kind of ['default', 'system'] as const) {
      try {
        for (const pem of getCa(kind)) set.add(pem);
      } catch {
        // A store that cannot be read adds nothing; Node's own roots stay.
      }
    }
  } else for (const pem of tls.rootCertificates) set.add(pem);
  osAndBundled = [...set];
  return osAndBundled;
}

/** Forgets the OS store read earlier (tests that change SSL_CERT_DIR in-process). */
export function forgetBaseCertificates(): void {
  osAndBundled = undefined;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle; throws when one of them is not a certificate. */
export function pemCertificates(bundle: string): string[] {
  const blocks = bundle.match(PEM_BLOCK) ?? [];
  for (const b of blocks) new X509Certificate(b);
  return blocks;
}

/** The CA list for a connection: the base, plus a profile's extra PEM bundle. */
export function trustedCertificates(extraPem?: string): string[] {
  const base = baseCertificates();
  return extraPem ? [...base, ...pemCertificates(extraPem)] : base;
}

/** The OpenSSL and Node codes of a certificate Kura refuses, by what the user is told. */
const REASONS: Record<string, CertificateView['reason']> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrustedIssuer',
  UNABLE_TO_GET_ISSUER_CERT: 'untrustedIssuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrustedIssuer',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrustedIssuer',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'selfSigned',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'notYetValid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrongHost',
  HOSTNAME_MISMATCH: 'wrongHost',
  CERT_REVOKED: 'revoked',
  CERT_SIGNATURE_FAILURE: 'invalid',
  CERT_UNTRUSTED: 'untrustedIssuer',
  CERT_REJECTED: 'untrustedIssuer',
  INVALID_CA: 'untrustedIssuer',
};

/** The TLS code of an error (or of one it wraps), when it is a certificate refusal. */
export function certificateErrorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code in REASONS) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** One name of a certificate's subject or issuer, for people: its CN, else its O, else all. */
function nameOf(dn: string | undefined): string {
  if (!dn) return '';
  const parts = dn.split('\n');
  const get = (k: string) => parts.find((p) => p.startsWith(`${k}=`))?.slice(k.length + 1);
  return get('CN') ?? get('O') ?? parts.join(', ');
}

/** What a refused certificate was: who it names, who issued it, until when, and why refused. */
export function certificateView(
  host: string,
  code: string,
  cert?: { subject?: string; issuer?: string; validTo?: string; fingerprint256?: string },
): CertificateView {
  return {
    host,
    reason: REASONS[code] ?? 'invalid',
    subject: nameOf(cert?.subject),
    issuer: nameOf(cert?.issuer),
    ...(cert?.validTo ? { validTo: new Date(cert.validTo).toISOString() } : {}),
    ...(cert?.fingerprint256 ? { fingerprint: cert.fingerprint256 } : {}),
  };
}

/**
 * Reads the certificate a server presents, without trusting it and without sending it anything:
 * a TLS handshake over `socket` (already connected to the server, directly or through a proxy's
 * tunnel), the chain's leaf read, the connection closed.
 */
export function peekCertificate(
  socket: import('node:net').Socket,
  servername: string,
): Promise<X509Certificate | undefined> {
  return new Promise((resolve) => {
    const t = tls.connect({
      socket,
      servername: /^[\d.]+$|:/.test(servername) ? undefined : servername,
      rejectUnauthorized: false,
    });
    const done = (c?: X509Certificate) => {
      t.destroy();
      resolve(c);
    };
    t.once('secureConnect', () => done(t.getPeerX509Certificate()));
    t.once('error', () => done(undefined));
    t.setTimeout(10_000, () => done(undefined));
  });
}

/** The KuraError of a refused certificate. */
export function untrusted(view: CertificateView, cause: unknown): KuraError {
  return new KuraError('TLS_UNTRUSTED', view.host, { cause, certificate: view });
}

/**
 * What a person needs to add Kura's account to an authenticator app: the `otpauth://` URI (the
 * de-facto Key Uri Format every authenticator app reads), as a QR code — an SVG data URL the
 * renderer shows under its CSP (img-src data:), or text for a terminal — and the secret as text
 * for typing in. The secret is shown during enrolment only; Kura keeps it nowhere.
 */
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';

export interface Enrolment {
  /** The base32 secret, grouped by four for reading and typing. */
  secret: string;
  uri: string;
  account: string;
}

export const AUTHENTICATOR_ISSUER = 'Kura';

export function enrolment(secret: string, account: string): Enrolment {
  const totp = new OTPAuth.TOTP({
    issuer: AUTHENTICATOR_ISSUER,
    label: account,
    secret: OTPAuth.Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
  return { secret: secret.replace(/(.{4})(?=.)/g, '$1 '), uri: totp.toString(), account };
}

/** The URI as an SVG QR code in a data URL (error correction M, a quiet zone of 4 modules). */
export async function qrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The URI as a QR code drawn with block characters, for a terminal. */
export function qrText(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'utf8', errorCorrectionLevel: 'M', margin: 2 });
}

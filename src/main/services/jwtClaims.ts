/**
 * The claims of a JWT, unverified — the one decoder main uses (jose's). The servers verify the
 * tokens; main reads the claims only to show who is signed in, to tell users apart and to pick
 * the role to ask for. A token that cannot be decoded has no claims.
 */
import { decodeJwt, type JWTPayload } from 'jose';

export function jwtClaims(jwt: string): JWTPayload {
  try {
    return decodeJwt(jwt);
  } catch {
    return {};
  }
}

/** A string claim, or undefined when absent or not a string. */
export function stringClaim(claims: JWTPayload, name: string): string | undefined {
  const v = claims[name];
  return typeof v === 'string' ? v : undefined;
}

/** A claim holding a list of strings (`cognito:roles`, `cognito:groups`); [] when absent. */
export function stringsClaim(claims: JWTPayload, name: string): string[] {
  const v = claims[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

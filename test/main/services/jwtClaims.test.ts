import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwtClaims, stringClaim, stringsClaim } from '../../../src/main/services/jwtClaims';

describe('jwtClaims', () => {
  it('reads the claims of a signed token without verifying it', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const jwt = await new SignJWT({ sub: 'sub-1', 'cognito:roles': ['arn:r1', 7, 'arn:r2'] })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuedAt(1_700_000_000)
      .sign(privateKey);
    const c = jwtClaims(jwt);
    expect(c.sub).toBe('sub-1');
    expect(c.iat).toBe(1_700_000_000);
    expect(stringsClaim(c, 'cognito:roles')).toEqual(['arn:r1', 'arn:r2']);
    expect(stringClaim(c, 'sub')).toBe('sub-1');
    expect(stringClaim(c, 'iat')).toBeUndefined();
    expect(stringsClaim(c, 'cognito:groups')).toEqual([]);
  });

  it('has no claims for what is not a JWT', () => {
    for (const bad of ['', 'abc', 'a.b.c', 'x.eyJzdWIiOiJ4In0']) expect(jwtClaims(bad)).toEqual({});
    expect(jwtClaims(new UnsecuredJWT({ sub: 'u' }).encode()).sub).toBe('u');
  });
});

/**
 * A profile's managed login (#15): optional and additive — a profile without it parses as before
 * — and validated before main ever opens a browser at its domain or sends a refresh token there.
 */
import { describe, expect, it } from 'vitest';
import { KuraError } from '../../../../src/main/services/kuraError';
import { parseProfile, profileIdentity } from '../../../../src/main/services/profile';

const good = {
  version: 1,
  name: 'Acme files',
  region: 'ap-northeast-1',
  userPoolId: 'ap-northeast-1_AbCdEf123',
  userPoolClientId: 'abcdefghijklmnopqrstuvwxyz',
  identityPoolId: 'ap-northeast-1:12345678-1234-4234-a234-123456789012',
  buckets: ['acme-files'],
};
const withLogin = (managedLogin: object) => JSON.stringify({ ...good, managedLogin });
const refused = (managedLogin: object) => {
  try {
    parseProfile(withLogin(managedLogin));
  } catch (err) {
    expect(err).toBeInstanceOf(KuraError);
    expect((err as KuraError).code).toBe('PROFILE_INVALID');
    return;
  }
  throw new Error(`accepted ${JSON.stringify(managedLogin)}`);
};
const DOMAIN = 'https://acme.auth.ap-northeast-1.amazoncognito.com';

describe('a profile’s managed login', () => {
  it('is optional: a profile without it has none; one with it keeps domain, buttons, scopes and ports', () => {
    expect(parseProfile(JSON.stringify(good)).managedLogin).toBeUndefined();
    const login = {
      domain: DOMAIN,
      providers: [
        { identityProvider: 'EntraID', label: 'Acme (Entra ID)' },
        { idpIdentifier: 'acme.example', label: 'Acme email' },
        { label: 'Password or another account' },
      ],
      scopes: ['openid', 'email'],
      redirectPorts: [53682],
    };
    expect(parseProfile(withLogin(login)).managedLogin).toEqual(login);
  });

  it('refuses a domain that is not an https origin (plain http only on loopback, for local-aws)', () => {
    refused({ domain: 'http://acme.auth.ap-northeast-1.amazoncognito.com' });
    refused({ domain: `${DOMAIN}/oauth2/authorize` });
    refused({ domain: `${DOMAIN}/?x=1` });
    refused({ domain: 'https://user:pw@acme.example' });
    refused({ domain: 'javascript:alert(1)' });
    expect(parseProfile(withLogin({ domain: 'http://127.0.0.1:4566' })).managedLogin?.domain).toBe(
      'http://127.0.0.1:4566',
    );
  });

  it('refuses a button naming a provider twice, a label with bidi controls, scopes without openid, and privileged ports', () => {
    refused({
      domain: DOMAIN,
      providers: [{ identityProvider: 'A', idpIdentifier: 'a', label: 'A' }],
    });
    refused({ domain: DOMAIN, providers: [{ label: 'Acme\u202egnp.exe' }] });
    refused({ domain: DOMAIN, providers: [] });
    refused({ domain: DOMAIN, scopes: ['email'] });
    refused({ domain: DOMAIN, redirectPorts: [80] });
    refused({ domain: DOMAIN, extra: true });
  });

  it('is part of the profile’s identity: another domain is another profile (its refresh token goes nowhere else)', () => {
    const a = parseProfile(withLogin({ domain: DOMAIN }));
    const b = parseProfile(withLogin({ domain: 'https://evil.example' }));
    expect(profileIdentity(a)).not.toBe(profileIdentity(b));
    expect(profileIdentity(a)).not.toBe(profileIdentity(parseProfile(JSON.stringify(good))));
  });
});

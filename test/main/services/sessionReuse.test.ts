/**
 * What a start may reuse of the last one's session answers only for the session, the profile,
 * the user and the role it was kept for (issue #14). The whole flow against local-aws and the
 * real keychain is in session.test.ts and test/cli/startup.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../src/main/services/secretStore';
import { SessionReuse } from '../../../src/main/services/sessionReuse';

const TOKENS = { idToken: 'id.token.a', accessToken: 'access.token.a', expiresAt: 2_000_000 };
const CREDS = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'secret',
  sessionToken: 'session-token',
  expiration: new Date(1_900_000),
};

async function kept(secrets = new MemorySecretStore()) {
  const first = new SessionReuse(secrets, 'profile-1', '{"profile":1}');
  await first.saveTokens('refresh-1', TOKENS, 'sub-a');
  await first.saveCredentials('sub-a', '', CREDS);
  return secrets;
}

describe('what a start may reuse', () => {
  it('is offered to the same session of the same profile, for its user and role only', async () => {
    const secrets = await kept();
    const next = new SessionReuse(secrets, 'profile-1', '{"profile":1}');
    expect(next.adopt('refresh-1', await next.read())).toEqual(TOKENS);
    expect(next.credentials('sub-a', '')).toEqual(CREDS);
    expect(next.credentials('sub-b', '')).toBeUndefined();
    expect(next.credentials('sub-a', 'arn:aws:iam::1:role/Other')).toBeUndefined();
  });

  it('answers nothing for another session, a changed profile or an entry it did not write', async () => {
    const secrets = await kept();
    const other = new SessionReuse(secrets, 'profile-1', '{"profile":1}');
    expect(other.adopt('refresh-2', await other.read())).toBeUndefined();
    expect(other.credentials('sub-a', '')).toBeUndefined();

    const changed = new SessionReuse(secrets, 'profile-1', '{"profile":2}');
    expect(changed.adopt('refresh-1', await changed.read())).toBeUndefined();

    await secrets.set('profile-1:reuse', '{"v":1,"session":"x"}');
    const garbled = new SessionReuse(secrets, 'profile-1', '{"profile":1}');
    expect(garbled.adopt('refresh-1', await garbled.read())).toBeUndefined();
  });

  it("drops the credentials when another session's tokens are kept, and everything at the end", async () => {
    const secrets = await kept();
    const r = new SessionReuse(secrets, 'profile-1', '{"profile":1}');
    r.adopt('refresh-1', await r.read());
    await r.saveTokens('refresh-2', TOKENS, 'sub-a');
    expect(r.credentials('sub-a', '')).toBeUndefined();

    await r.saveCredentials('sub-a', '', CREDS);
    await r.forgetCredentials('');
    expect(r.credentials('sub-a', '')).toBeUndefined();

    await r.clear();
    expect(await secrets.get('profile-1:reuse')).toBeNull();
  });
});

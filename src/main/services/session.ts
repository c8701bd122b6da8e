/**
 * The signed-in session. The refresh token (with the username) is kept in the secret store under
 * the profile's id and nowhere else; ID and access tokens live only in this object. Tokens are
 * renewed before they expire (one refresh in flight however many callers); a refused refresh
 * ends the session cleanly: keychain entry removed, state "signed out: session expired".
 */
import type { SessionView } from '../../shared/ipc';
import type { ManagedLoginProvider } from '../../shared/profile';
import { jwtClaims, stringClaim } from './jwtClaims';
import { KuraError } from './kuraError';
import type { ManagedLoginAuth } from './managedLogin/browserSignIn';
import type { SecretStore } from './secretStore';
import type { SessionReuse } from './sessionReuse';
import { expiryOf, type SignInStep, type Tokens, type UserPoolAuth } from './userPoolAuth';

const RENEW_BEFORE_MS = 5 * 60 * 1000;

interface StoredSession {
  v: 1;
  username: string;
  refreshToken: string;
  /**
   * How the session began. Managed login (the browser) refreshes at the token endpoint and
   * revokes at /oauth2/revoke; absent: a password sign-in (the user-pool API).
   */
  via?: 'managedLogin';
}

/** A new authenticator's secret, and whose account it is (for the app's entry). */
export interface AuthenticatorSecret {
  secret: string;
  account: string;
}

export interface SessionDeps {
  auth: UserPoolAuth;
  /** Sign-in through the organisation's identity provider, when the profile offers it. */
  managedLogin?: ManagedLoginAuth;
  secrets: SecretStore;
  /** The keychain account: the profile's id. */
  account: string;
  now?: () => number;
  /** Why the keychain is not used, when it is not. */
  keychainProblem?: string;
  /**
   * What a start may reuse of the last one's session (sessionReuse.ts): unexpired tokens instead
   * of a renewal. Absent: every restore renews.
   */
  reuse?: SessionReuse;
}

/** Whether tokens are still good to use: outside their renewal margin (five minutes, or half their life). */
function fresh(t: { idToken: string; expiresAt: number }, now: number): boolean {
  const issued = Number(jwtClaims(t.idToken).iat ?? 0) * 1000;
  const margin = Math.min(RENEW_BEFORE_MS, (t.expiresAt - issued) / 2);
  return t.expiresAt - now > margin;
}

export class SessionService {
  private state: SessionView = { status: 'signedOut' };
  private tokens: Tokens | null = null;
  private username = '';
  /** The username of the sign-in under way (it becomes the session's when it succeeds). */
  private signingInAs = '';
  /** Counts the sessions this object has held: an answer for an earlier one is nobody's. */
  private generation = 0;
  private refreshing: { refreshToken: string; tokens: Promise<Tokens> } | null = null;
  /** How the session (or the one being restored) began. */
  private via: 'password' | 'managedLogin' = 'password';
  /** A sign-in waiting in the browser: cancelling it closes its listener. */
  private browser: { controller: AbortController; label: string } | null = null;
  private readonly listeners = new Set<(v: SessionView) => void>();
  private readonly now: () => number;

  constructor(private readonly deps: SessionDeps) {
    this.now = deps.now ?? Date.now;
  }

  view(): SessionView {
    return this.state;
  }

  onChange(listener: (v: SessionView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(view: SessionView): SessionView {
    this.state = view;
    for (const l of this.listeners) l(view);
    return view;
  }

  /** The user's identity from the ID token (not a secret; shown in the UI). */
  get user(): { sub: string; email: string; name?: string } | null {
    if (!this.tokens) return null;
    const c = jwtClaims(this.tokens.idToken);
    return {
      sub: c.sub ?? '',
      email: stringClaim(c, 'email') ?? this.username,
      name: stringClaim(c, 'name'),
    };
  }

  private signedInView(): SessionView {
    const u = this.user!;
    return {
      status: 'signedIn',
      email: u.email,
      ...(u.name ? { name: u.name } : {}),
      ...(this.via === 'managedLogin' ? { managedLogin: true } : {}),
      remembered: this.deps.secrets.persistent,
      ...(this.deps.keychainProblem ? { notRememberedReason: this.deps.keychainProblem } : {}),
    };
  }

  private async accept(
    step: SignInStep,
    via: 'password' | 'managedLogin' = 'password',
  ): Promise<SessionView> {
    switch (step.kind) {
      case 'signedIn': {
        // Another user's session is replaced: it is left (and everything built for that user
        // dropped) before the tokens change hands, so nothing still working for the previous
        // user can be given the new user's tokens while the keychain is written.
        const previous = this.user?.sub;
        if (this.state.status === 'signedIn' && previous !== jwtClaims(step.tokens.idToken).sub)
          this.set({ status: 'signedOut' });
        this.generation++;
        this.tokens = step.tokens;
        this.username = this.signingInAs;
        this.via = via;
        await this.persist();
        await this.keepForReuse(this.tokens);
        return this.set(this.signedInView());
      }
      case 'mfaSetup':
        return this.set({ status: 'challenge', challenge: 'mfaSetup', ...this.who() });
      case 'newPasswordRequired':
        return this.set({
          status: 'challenge',
          challenge: 'newPassword',
          requiredAttributes: step.requiredAttributes,
          ...this.who(this.signingInAs),
        });
      case 'mfaRequired':
        return this.set({
          status: 'challenge',
          challenge: 'mfa',
          method: step.method,
          ...(step.destination ? { destination: step.destination } : {}),
          ...this.who(this.signingInAs),
        });
    }
  }

  /** Who is (or was) signing in, so the form can be filled again; not a secret. */
  private who(username?: string): { email?: string } {
    // The one signing in now (a challenge, or one abandoned), else who was signed in.
    const email = username || this.signingInAs || this.username;
    return email ? { email } : {};
  }

  private async persist() {
    if (!this.tokens) return;
    const stored: StoredSession = {
      v: 1,
      username: this.username,
      refreshToken: this.tokens.refreshToken,
      ...(this.via === 'managedLogin' ? { via: 'managedLogin' as const } : {}),
    };
    try {
      await this.deps.secrets.set(this.deps.account, JSON.stringify(stored));
    } catch {
      // The keychain failed after it had worked: stay signed in for this run.
    }
  }

  /** Keeps the tokens for the next start (sessionReuse.ts), when it may. */
  private async keepForReuse(t: Tokens) {
    const sub = jwtClaims(t.idToken).sub;
    if (sub) await this.deps.reuse?.saveTokens(t.refreshToken, t, sub);
  }

  async signIn(username: string, password: string): Promise<SessionView> {
    this.cancelBrowserSignIn();
    this.signingInAs = username.trim();
    return this.accept(await this.deps.auth.signIn(this.signingInAs, password));
  }

  async completeNewPassword(
    newPassword: string,
    attributes?: Record<string, string>,
  ): Promise<SessionView> {
    return this.accept(await this.deps.auth.completeNewPassword(newPassword, attributes));
  }

  async answerMfa(code: string): Promise<SessionView> {
    return this.accept(await this.deps.auth.answerMfa(code.trim()));
  }

  /**
   * Signs in through the organisation's identity provider in the system browser (the profile's
   * button `index`). The view says so while the browser is open; a cancel, a timeout or a new
   * sign-in ends the wait and keeps nothing. Tokens that arrive for a sign-in no longer wanted are
   * revoked, never used.
   */
  async signInWithBrowser(index: number): Promise<SessionView> {
    const ml = this.deps.managedLogin;
    if (!ml) throw new KuraError('NO_MANAGED_LOGIN');
    const provider = ml.providers[index];
    if (!provider) throw new KuraError('INVALID_ARGUMENT', 'no such sign-in button');
    this.cancelBrowserSignIn();
    this.deps.auth.abandon();
    const attempt = { controller: new AbortController(), label: provider.label };
    this.browser = attempt;
    if (this.state.status !== 'signedIn')
      this.set({ status: 'signedOut', browserSignIn: { label: provider.label }, ...this.who() });
    try {
      const tokens = await ml.signIn(provider, attempt.controller.signal);
      if (this.browser !== attempt) {
        void ml.revoke(tokens.refreshToken).catch(() => undefined);
        throw new KuraError('CANCELLED');
      }
      this.browser = null;
      const c = jwtClaims(tokens.idToken);
      this.signingInAs = stringClaim(c, 'email') ?? stringClaim(c, 'cognito:username') ?? '';
      return await this.accept({ kind: 'signedIn', tokens }, 'managedLogin');
    } catch (err) {
      if (this.browser === attempt) {
        this.browser = null;
        if (this.state.status === 'signedOut') this.set({ status: 'signedOut', ...this.who() });
      }
      throw err;
    }
  }

  /** Stops waiting for the browser: its listener closes, nothing is kept. */
  cancelBrowserSignIn(): SessionView {
    const b = this.browser;
    this.browser = null;
    if (!b) return this.state;
    b.controller.abort();
    if (this.state.status === 'signedOut') return this.set({ status: 'signedOut', ...this.who() });
    return this.state;
  }

  /** The buttons of the organisation's sign-in, in the profile's order (none without managed login). */
  get browserSignInProviders(): ManagedLoginProvider[] {
    return this.deps.managedLogin?.providers ?? [];
  }

  /** Back from a challenge: main forgets it (and the password kept for it); signed out. */
  cancelChallenge(): SessionView {
    this.deps.auth.abandon();
    if (this.state.status !== 'challenge') return this.state;
    return this.set({ status: 'signedOut', ...this.who(this.signingInAs) });
  }

  /**
   * A new SMS code: the sign-in runs again (see CognitoUserPoolAuth.resendCode). Once the
   * challenge is over this fails with CHALLENGE_EXPIRED, and the screen offers Back.
   */
  async resendCode(): Promise<SessionView> {
    return this.accept(await this.deps.auth.resendCode());
  }

  forgotPassword(username: string) {
    return this.deps.auth.forgotPassword(username.trim());
  }

  confirmForgotPassword(username: string, code: string, newPassword: string) {
    return this.deps.auth.confirmForgotPassword(username.trim(), code.trim(), newPassword);
  }

  /**
   * On start: a stored session signs in silently; an unreadable or refused one is deleted. Tokens
   * the last start kept for reuse, still fresh, are taken without asking the servers.
   */
  async restore(): Promise<SessionView> {
    const reusable = this.deps.reuse?.read();
    let text: string | null;
    try {
      text = await this.deps.secrets.get(this.deps.account);
    } catch {
      await this.deps.secrets.delete(this.deps.account).catch(() => undefined);
      return this.set({ status: 'signedOut' });
    }
    if (!text) return this.set({ status: 'signedOut' });
    let stored: StoredSession;
    try {
      stored = JSON.parse(text) as StoredSession;
      if (stored.v !== 1 || typeof stored.refreshToken !== 'string' || !stored.refreshToken)
        throw new Error('bad entry');
    } catch {
      await this.deps.secrets.delete(this.deps.account).catch(() => undefined);
      return this.set({ status: 'signedOut' });
    }
    this.username = stored.username;
    this.via = stored.via === 'managedLogin' ? 'managedLogin' : 'password';
    const generation = this.generation;
    this.set({ status: 'restoring' });
    const reused = this.deps.reuse?.adopt(stored.refreshToken, (await reusable) ?? null);
    if (generation !== this.generation) return this.view(); // someone signed in meanwhile
    if (reused && fresh(reused, this.now())) {
      this.tokens = { ...reused, refreshToken: stored.refreshToken };
      return this.set(this.signedInView());
    }
    try {
      await this.renew(stored.refreshToken);
      return this.set(this.signedInView());
    } catch (err) {
      // Someone signed in meanwhile, or the refresh was refused (and the session ended).
      if (generation !== this.generation) return this.view();
      if (err instanceof KuraError && err.code === 'SESSION_EXPIRED') return this.view();
      // Offline or throttled: keep the stored session for the next try.
      this.set({ status: 'signedOut', ...this.who() });
      throw err;
    }
  }

  /**
   * Renews the tokens of this session (one refresh in flight per refresh token). An answer that
   * arrives after the session ended or changed hands is nobody's: it neither replaces the new
   * session's tokens nor ends it.
   */
  private renew(refreshToken: string): Promise<Tokens> {
    if (this.refreshing?.refreshToken === refreshToken) return this.refreshing.tokens;
    const generation = this.generation;
    const refresh = async (): Promise<Tokens> => {
      try {
        const r =
          this.via === 'managedLogin'
            ? await this.managedLogin().refresh(refreshToken)
            : await this.deps.auth.refresh(refreshToken);
        if (generation !== this.generation) throw new KuraError('NOT_SIGNED_IN');
        this.tokens = { ...r, refreshToken: r.refreshToken ?? refreshToken };
        if (r.refreshToken && r.refreshToken !== refreshToken) await this.persist();
        await this.keepForReuse(this.tokens);
        return this.tokens;
      } catch (err) {
        if (generation !== this.generation) throw new KuraError('NOT_SIGNED_IN');
        if (err instanceof KuraError && err.code === 'SESSION_EXPIRED') await this.end('expired');
        throw err;
      }
    };
    const entry = { refreshToken, tokens: refresh() };
    this.refreshing = entry;
    void entry.tokens
      .finally(() => {
        if (this.refreshing === entry) this.refreshing = null;
      })
      .catch(() => undefined);
    return entry.tokens;
  }

  /** The managed login of a session that began there (a profile without it cannot renew one). */
  private managedLogin(): ManagedLoginAuth {
    if (!this.deps.managedLogin)
      throw new KuraError('SESSION_EXPIRED', 'the profile no longer offers managed login');
    return this.deps.managedLogin;
  }

  /** This session's tokens, renewed first when they are close to expiry. */
  private async fresh(): Promise<Tokens> {
    const t = this.tokens;
    if (!t || this.state.status !== 'signedIn') throw new KuraError('NOT_SIGNED_IN');
    if (fresh(t, this.now())) return t;
    return this.renew(t.refreshToken);
  }

  /** A valid ID token, renewed first when it is close to expiry. */
  async idToken(): Promise<string> {
    return (await this.fresh()).idToken;
  }

  /** Whether the signed-in user came from a federated identity provider (their MFA is its business). */
  private get federated(): boolean {
    return this.tokens !== null && jwtClaims(this.tokens.idToken).identities !== undefined;
  }

  /**
   * A new authenticator's secret: during sign-in (MFA_SETUP, with the challenge's session) or for
   * a signed-in user (with their access token). Shown to the user once; kept nowhere.
   */
  async authenticatorSecret(): Promise<AuthenticatorSecret> {
    if (this.state.status === 'challenge' && this.state.challenge === 'mfaSetup')
      return { secret: await this.deps.auth.beginMfaSetup(), account: this.who().email ?? '' };
    const t = await this.fresh();
    if (this.federated) throw new KuraError('MFA_NOT_AVAILABLE');
    return {
      secret: await this.deps.auth.associateSoftwareToken(t.accessToken),
      account: this.user?.email ?? this.username,
    };
  }

  /**
   * The new authenticator's first code: it completes the sign-in (MFA_SETUP), or — signed in —
   * turns the authenticator on as the user's MFA.
   */
  async verifyAuthenticator(code: string): Promise<SessionView> {
    if (this.state.status === 'challenge' && this.state.challenge === 'mfaSetup')
      return this.accept(await this.deps.auth.finishMfaSetup(code.trim()));
    const t = await this.fresh();
    if (this.federated) throw new KuraError('MFA_NOT_AVAILABLE');
    await this.deps.auth.enableSoftwareToken(t.accessToken, code.trim());
    return this.state;
  }

  /** Whether the signed-in user can manage an authenticator here, and whether one is on. */
  async authenticator(): Promise<{ available: boolean; enabled: boolean }> {
    const t = await this.fresh();
    if (this.federated) return { available: false, enabled: false };
    return { available: true, enabled: await this.deps.auth.softwareTokenEnabled(t.accessToken) };
  }

  /** Turns the authenticator off; where the organisation requires MFA it stays (and says so). */
  async removeAuthenticator(): Promise<{ available: boolean; enabled: boolean }> {
    const t = await this.fresh();
    if (this.federated) throw new KuraError('MFA_NOT_AVAILABLE');
    if (await this.deps.auth.disableSoftwareToken(t.accessToken))
      throw new KuraError('MFA_REQUIRED_BY_ORGANISATION');
    return { available: true, enabled: false };
  }

  /** Drops everything of this session; `expired` when the server refused it. */
  private async end(reason: 'expired' | 'signedOut') {
    this.generation++;
    this.tokens = null;
    await this.deps.reuse?.clear();
    await this.deps.secrets.delete(this.deps.account).catch(() => undefined);
    // The email stays on the form (a forced sign-out must not make people type it again).
    this.set({ status: 'signedOut', reason, ...this.who() });
  }

  /**
   * Called when AWS says the session is gone (e.g. a revoked identity token). With `sub`: only
   * if that user is still the one signed in (a late refusal must not end someone else's session).
   */
  async expire(sub?: string): Promise<void> {
    if (sub !== undefined && (this.state.status !== 'signedIn' || this.user?.sub !== sub)) return;
    await this.end('expired');
  }

  /**
   * Ends the session: the refresh token revoked (RevokeToken, or /oauth2/revoke for a managed
   * login session; GlobalSignOut "everywhere"), the keychain entry deleted. With
   * `endBrowserSession`, a managed login session also signs the browser out of the organisation
   * (/logout) — after everything here is already gone.
   */
  async signOut(everywhere = false, endBrowserSession = false): Promise<void> {
    const t = this.tokens;
    const via = this.via;
    this.cancelBrowserSignIn();
    const revoke = (refreshToken: string) =>
      via === 'managedLogin' && this.deps.managedLogin
        ? this.deps.managedLogin.revoke(refreshToken)
        : this.deps.auth.revoke(refreshToken);
    try {
      if (t && everywhere)
        await this.deps.auth.globalSignOut(t.accessToken).catch(() => revoke(t.refreshToken));
      else if (t) await revoke(t.refreshToken);
    } catch {
      // Offline or already revoked: the local session is ended all the same.
    } finally {
      await this.end('signedOut');
    }
    if (endBrowserSession && via === 'managedLogin' && this.deps.managedLogin)
      await this.deps.managedLogin.endBrowserSession();
  }

  /** The access token's expiry, for tests and diagnostics. */
  get accessTokenExpiresAt(): number {
    return this.tokens ? expiryOf(this.tokens.accessToken) : 0;
  }
}

/**
 * The signed-in session. The refresh token (with the username) is kept in the secret store under
 * the profile's id and nowhere else; ID and access tokens live only in this object. Tokens are
 * renewed before they expire (one refresh in flight however many callers); a refused refresh
 * ends the session cleanly: keychain entry removed, state "signed out: session expired".
 */
import type { SessionView } from '../../shared/ipc';
import { jwtClaims, stringClaim } from './jwtClaims';
import { KuraError } from './kuraError';
import type { SecretStore } from './secretStore';
import { expiryOf, type SignInStep, type Tokens, type UserPoolAuth } from './userPoolAuth';

const RENEW_BEFORE_MS = 5 * 60 * 1000;

interface StoredSession {
  v: 1;
  username: string;
  refreshToken: string;
}

export interface SessionDeps {
  auth: UserPoolAuth;
  secrets: SecretStore;
  /** The keychain account: the profile's id. */
  account: string;
  now?: () => number;
  /** Why the keychain is not used, when it is not. */
  keychainProblem?: string;
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
      remembered: this.deps.secrets.persistent,
      ...(this.deps.keychainProblem ? { notRememberedReason: this.deps.keychainProblem } : {}),
    };
  }

  private async accept(step: SignInStep): Promise<SessionView> {
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
        await this.persist();
        return this.set(this.signedInView());
      }
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

  /**
   * Who is (or was) signing in, so the form can be filled again; not a secret. The session's
   * own user by default; during a challenge the user signing in, who becomes the session's user
   * only once the sign-in succeeds (so a step abandoned never touches the signed-in user).
   */
  private who(username = this.username): { email?: string } {
    return username ? { email: username } : {};
  }

  private async persist() {
    if (!this.tokens) return;
    const stored: StoredSession = {
      v: 1,
      username: this.username,
      refreshToken: this.tokens.refreshToken,
    };
    try {
      await this.deps.secrets.set(this.deps.account, JSON.stringify(stored));
    } catch {
      // The keychain failed after it had worked: stay signed in for this run.
    }
  }

  async signIn(username: string, password: string): Promise<SessionView> {
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

  /** On start: a stored session signs in silently; an unreadable or refused one is deleted. */
  async restore(): Promise<SessionView> {
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
    const generation = this.generation;
    this.set({ status: 'restoring' });
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
        const r = await this.deps.auth.refresh(refreshToken);
        if (generation !== this.generation) throw new KuraError('NOT_SIGNED_IN');
        this.tokens = { ...r, refreshToken: r.refreshToken ?? refreshToken };
        if (r.refreshToken && r.refreshToken !== refreshToken) await this.persist();
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

  /** A valid ID token, renewed first when it is close to expiry. */
  async idToken(): Promise<string> {
    const t = this.tokens;
    if (!t || this.state.status !== 'signedIn') throw new KuraError('NOT_SIGNED_IN');
    const issued = Number(jwtClaims(t.idToken).iat ?? 0) * 1000;
    const margin = Math.min(RENEW_BEFORE_MS, (t.expiresAt - issued) / 2);
    if (t.expiresAt - this.now() > margin) return t.idToken;
    return (await this.renew(t.refreshToken)).idToken;
  }

  /** Drops everything of this session; `expired` when the server refused it. */
  private async end(reason: 'expired' | 'signedOut') {
    this.generation++;
    this.tokens = null;
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

  async signOut(everywhere = false): Promise<void> {
    const t = this.tokens;
    try {
      if (t && everywhere) await this.deps.auth.globalSignOut(t.accessToken);
      else if (t) await this.deps.auth.revoke(t.refreshToken);
    } catch {
      // Offline or already revoked: the local session is ended all the same.
    } finally {
      await this.end('signedOut');
    }
  }

  /** The access token's expiry, for tests and diagnostics. */
  get accessTokenExpiresAt(): number {
    return this.tokens ? expiryOf(this.tokens.accessToken) : 0;
  }
}

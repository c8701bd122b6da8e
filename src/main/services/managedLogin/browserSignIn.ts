/**
 * Sign-in through the organisation's identity provider, as RFC 8252 says a native app must:
 * in the system browser (never a web view the app could read passwords from), with the
 * authorization code grant and PKCE, the redirect received on a loopback port.
 *
 *   fresh state, nonce and verifier → listen on 127.0.0.1 → open /oauth2/authorize in the browser
 *   → the redirect (its state checked) → exchange the code with the verifier → verify the ID token
 *   (signature, issuer, audience, expiry, nonce) → the window to the front
 *
 * A cancel or a timeout closes the listener and keeps nothing: the verifier, state and nonce
 * lived only in this call. Sign-out revokes the refresh token at /oauth2/revoke; ending the
 * browser's own managed-login session (/logout) is a separate step the user asks for.
 */
import type { ConnectionProfile, ManagedLoginProvider } from '../../../shared/profile';
import { KuraError } from '../kuraError';
import { WORDS } from '../../i18n';
import type { Tokens } from '../userPoolAuth';
import { listenForRedirect } from './loopbackRedirect';
import type { OAuthTransport } from './oauthHttp';
import { CALLBACK_PATH, ManagedLoginClient, SIGNED_OUT_PATH } from './managedLoginClient';
import { newSignInSecrets } from './pkce';

/** What the app (or the CLI) does with the system browser. */
export interface BrowserHooks {
  /** Opens the system browser at a URL main built from the profile (its managed login domain). */
  open(url: string): Promise<void>;
  /** Brings the app's window to the front once the browser has sent the user back. */
  focus?(): void;
}

export interface ManagedLoginAuth {
  /** The profile's buttons (one for the managed login page when it lists none). */
  readonly providers: ManagedLoginProvider[];
  signIn(provider: ManagedLoginProvider, signal: AbortSignal): Promise<Tokens>;
  refresh(refreshToken: string): Promise<Omit<Tokens, 'refreshToken'> & { refreshToken?: string }>;
  revoke(refreshToken: string): Promise<void>;
  /** Signs the browser out of managed login (/logout), back to a page Kura serves once. */
  endBrowserSession(): Promise<void>;
}

/** How long a sign-in in the browser may take (a password, an authenticator, a provider's pages). */
export const BROWSER_SIGN_IN_TIMEOUT_MS = 5 * 60 * 1000;

const page = (title: string, lines: string[]) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;max-width:34em;margin:15vh auto;line-height:1.5">` +
  lines.map((l) => `<p>${l}</p>`).join('') +
  `</body></html>`;

/** A page in both languages (the browser's language is not Kura's to know). */
const bilingual = (key: keyof typeof WORDS.en.browserPage) =>
  page('Kura', [WORDS.en.browserPage[key], WORDS.ja.browserPage[key]]);

const SIGNED_IN_PAGE = bilingual('signedIn');
const FAILED_PAGE = bilingual('failed');
const SIGNED_OUT_PAGE = bilingual('signedOut');

export class BrowserManagedLogin implements ManagedLoginAuth {
  private readonly client: ManagedLoginClient;

  constructor(
    profile: ConnectionProfile,
    private readonly browser: BrowserHooks,
    private readonly o: { timeoutMs?: number; now?: () => number; transport?: OAuthTransport } = {},
  ) {
    this.client = new ManagedLoginClient(profile, o.now, o.transport);
    const listed = profile.managedLogin?.providers;
    this.providers = listed?.length ? listed : [{ label: profile.name }];
  }

  readonly providers: ManagedLoginProvider[];

  async signIn(provider: ManagedLoginProvider, signal: AbortSignal): Promise<Tokens> {
    const secrets = newSignInSecrets();
    const redirect = await listenForRedirect({
      path: CALLBACK_PATH,
      ports: this.client.redirectPorts,
      timeoutMs: this.o.timeoutMs ?? BROWSER_SIGN_IN_TIMEOUT_MS,
      state: secrets.state,
      signal,
      page: (q) => (q.get('code') ? SIGNED_IN_PAGE : FAILED_PAGE),
    });
    try {
      const url = this.client.authorizeUrl({
        redirectUri: redirect.uri,
        state: secrets.state,
        nonce: secrets.nonce,
        challenge: secrets.challenge,
        provider,
      });
      try {
        await this.browser.open(url);
      } catch (err) {
        throw err instanceof KuraError
          ? err
          : new KuraError('BROWSER_UNAVAILABLE', undefined, { cause: err });
      }
      const q = await redirect.result;
      this.browser.focus?.();
      const code = q.get('code');
      if (!code) {
        // The authorization server's own answer (RFC 6749 §4.1.2.1), kept for logs, not words.
        const error = q.get('error') ?? 'no code';
        throw new KuraError(
          error === 'unauthorized_client' ? 'MANAGED_LOGIN_NOT_ALLOWED' : 'BROWSER_SIGN_IN_FAILED',
          `${error}${q.get('error_description') ? `: ${q.get('error_description')}` : ''}`,
        );
      }
      if (signal.aborted) throw new KuraError('CANCELLED');
      return await this.client.exchangeCode({
        code,
        verifier: secrets.verifier,
        redirectUri: redirect.uri,
        nonce: secrets.nonce,
      });
    } finally {
      redirect.close();
    }
  }

  refresh(refreshToken: string) {
    return this.client.refresh(refreshToken);
  }

  revoke(refreshToken: string) {
    return this.client.revoke(refreshToken);
  }

  async endBrowserSession(): Promise<void> {
    // The browser comes back to a page Kura serves once (a registered sign-out URL); nobody
    // waits for it: the sign-out in Kura is already complete.
    const back = await listenForRedirect({
      path: SIGNED_OUT_PATH,
      ports: this.client.redirectPorts,
      timeoutMs: 2 * 60 * 1000,
      page: () => SIGNED_OUT_PAGE,
    });
    try {
      await this.browser.open(this.client.logoutUrl(back.uri));
    } catch (err) {
      back.close();
      throw err instanceof KuraError
        ? err
        : new KuraError('BROWSER_UNAVAILABLE', undefined, { cause: err });
    }
  }
}

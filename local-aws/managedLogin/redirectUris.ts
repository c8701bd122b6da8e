/**
 * Whether a redirect URI (or a sign-out URI) is one the app client registered. Exactly one of
 * them, character for character — except that a registered loopback IP literal without a port
 * (`http://127.0.0.1/callback`, `http://[::1]/callback`) matches that same URI with any port, as
 * RFC 8252 §7.3 requires of an authorization server: a native app listens on whatever port the
 * OS gives it. `localhost` gets no such leeway (RFC 8252 §8.3 advises against it: the name may
 * resolve elsewhere). A URI with a fragment is never a redirect URI (RFC 6749 §3.1.2).
 */
const LOOPBACK_WITH_PORT = /^http:\/\/(127\.0\.0\.1|\[::1\]):(\d{1,5})(\/[^#]*)?$/;

export function redirectUriAllowed(requested: string, registered: readonly string[]): boolean {
  if (requested.includes('#')) return false;
  if (registered.includes(requested)) return true;
  const m = LOOPBACK_WITH_PORT.exec(requested);
  if (!m) return false;
  const port = Number(m[2]);
  if (port < 1 || port > 65535 || m[2]!.startsWith('0')) return false;
  const withoutPort = `http://${m[1]}${m[3] ?? ''}`;
  return registered.includes(withoutPort);
}

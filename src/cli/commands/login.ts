/**
 * `kura login`: with a password (and every challenge: a new password, an MFA code, setting up an
 * authenticator app), or `--sso` in the system browser.
 */
import type { SessionView } from '../../shared/ipc';
import { KuraError } from '../../main/services/kuraError';
import type { KeychainProblem } from '../../main/services/secretStore';
import type { CliContext, Command } from '../context';
import { printable } from '../printable';
import { ask, askNewPassword, readStdinLine } from '../prompt';
import { interactive, Interrupted, say, UsageError, words } from '../terminal';
import { enrolAuthenticator } from './mfa';

export const login: Command = async (c) => {
  const o = c.options;
  if (o.sso) {
    if (o.username || o['password-stdin']) throw new UsageError(say.usageErrors.ssoWithPassword);
    await loginWithBrowser(c, o.provider);
    return 0;
  }
  if (o.provider || o['no-browser']) throw new UsageError(say.usageErrors.ssoOptionsAlone);
  await loginWithPassword(c, o.username, o['password-stdin']);
  return 0;
};

async function loginWithPassword(
  c: CliContext,
  givenUsername: string | undefined,
  passwordStdin: boolean | undefined,
) {
  if (passwordStdin && interactive) throw new UsageError(say.usageErrors.passwordStdinTerminal);
  const { session } = c.core.active();
  const username = givenUsername ?? (await ask(say.prompt.email));
  const password = passwordStdin ? await readStdinLine() : await ask(say.prompt.password, true);
  let view: SessionView = await session.signIn(username, password);
  for (let steps = 0; view.status === 'challenge' && steps < 5; steps++) {
    if (view.challenge === 'newPassword') {
      process.stderr.write(say.login.newPasswordRequired + '\n');
      const next = await askNewPassword(say.prompt.newPassword, say.prompt.repeatNewPassword);
      const attributes: Record<string, string> = {};
      for (const a of view.requiredAttributes)
        attributes[a.replace(/^userAttributes\./, '')] = await ask(
          `${a.replace(/^userAttributes\./, '')}: `,
        );
      view = await session.completeNewPassword(next, attributes);
    } else if (view.challenge === 'mfaSetup') {
      process.stderr.write(say.login.mfaSetupRequired + '\n');
      view = await enrolAuthenticator(session);
    } else {
      const question =
        view.method !== 'SMS'
          ? say.prompt.totpCode
          : view.destination
            ? say.prompt.smsCode(view.destination)
            : say.prompt.smsCodeNoDestination;
      view = await session.answerMfa(await ask(question));
    }
  }
  signedInMessage(view, c.keychainProblem);
}

async function loginWithBrowser(c: CliContext, provider: string | undefined) {
  const { session } = c.core.active();
  const providers = session.browserSignInProviders;
  if (providers.length === 0) throw new KuraError('NO_MANAGED_LOGIN');
  const wanted = provider?.toLowerCase();
  const index = wanted
    ? providers.findIndex((p) =>
        [p.identityProvider, p.idpIdentifier, p.label].some((n) => n?.toLowerCase() === wanted),
      )
    : 0;
  if (index < 0)
    throw new UsageError(
      say.usageErrors.noSuchProvider(
        provider ?? '',
        providers.map((p) => p.identityProvider ?? p.idpIdentifier ?? p.label).join(', '),
      ),
    );
  // Ctrl-C stops waiting: the listener closes and nothing is kept.
  const cancel = () => session.cancelBrowserSignIn();
  process.once('SIGINT', cancel);
  let view: SessionView;
  try {
    view = await session.signInWithBrowser(index);
  } catch (err) {
    if (err instanceof KuraError && err.code === 'CANCELLED') {
      process.stderr.write(say.login.cancelled + '\n');
      throw new Interrupted();
    }
    throw err;
  } finally {
    process.off('SIGINT', cancel);
  }
  signedInMessage(view, c.keychainProblem);
}

function signedInMessage(view: SessionView, keychainProblem?: KeychainProblem) {
  if (view.status !== 'signedIn') throw new KuraError('CHALLENGE_EXPIRED');
  process.stderr.write(say.login.signedIn(printable(view.email)) + '\n');
  if (!view.remembered) {
    const why = words.keychain[keychainProblem ?? 'failed'];
    process.stderr.write(say.login.noKeychain(why) + '\n');
  }
}

/**
 * `kura login`: with a password (and every challenge: a new password, an MFA code, setting up an
 * authenticator app), or `--sso` in the system browser.
 */
import type { SessionView } from '../../shared/ipc';
import { KuraError } from '../../main/services/kuraError';
import { KEYCHAIN_PROBLEM_TEXT, type KeychainProblem } from '../../main/services/secretStore';
import type { CliContext, Command } from '../context';
import { printable } from '../printable';
import { ask, askNewPassword, readStdinLine } from '../prompt';
import { interactive, Interrupted, lang, UsageError } from '../terminal';
import { enrolAuthenticator } from './mfa';

export const login: Command = async (c) => {
  const o = c.options;
  if (o.sso) {
    if (o.username || o['password-stdin'])
      throw new UsageError('login --sso signs in in the browser: no --username or password');
    await loginWithBrowser(c, o.provider);
    return 0;
  }
  if (o.provider || o['no-browser'])
    throw new UsageError('--provider and --no-browser go with login --sso');
  await loginWithPassword(c, o.username, o['password-stdin']);
  return 0;
};

async function loginWithPassword(
  c: CliContext,
  givenUsername: string | undefined,
  passwordStdin: boolean | undefined,
) {
  if (passwordStdin && interactive)
    throw new UsageError(
      '--password-stdin reads a pipe, and a terminal would show the password: leave it out and kura asks without showing it',
    );
  const { session } = c.core.active();
  const username = givenUsername ?? (await ask('Email: '));
  const password = passwordStdin ? await readStdinLine() : await ask('Password: ', true);
  let view: SessionView = await session.signIn(username, password);
  for (let steps = 0; view.status === 'challenge' && steps < 5; steps++) {
    if (view.challenge === 'newPassword') {
      process.stderr.write(
        'A new password is required (at least 8 characters with upper and lower case, a digit and a symbol).\n',
      );
      const next = await askNewPassword('New password: ', 'Repeat new password: ');
      const attributes: Record<string, string> = {};
      for (const a of view.requiredAttributes)
        attributes[a.replace(/^userAttributes\./, '')] = await ask(
          `${a.replace(/^userAttributes\./, '')}: `,
        );
      view = await session.completeNewPassword(next, attributes);
    } else if (view.challenge === 'mfaSetup') {
      process.stderr.write(
        'Your organisation requires two-step verification: set up an authenticator app now.\n',
      );
      view = await enrolAuthenticator(session);
    } else {
      const where =
        view.method === 'SMS'
          ? ` sent to ${view.destination ?? 'your phone'}`
          : ' from your authenticator app';
      view = await session.answerMfa(await ask(`Code${where}: `));
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
      `no sign-in named ${provider}; this profile offers: ${providers
        .map((p) => p.identityProvider ?? p.idpIdentifier ?? p.label)
        .join(', ')}`,
    );
  // Ctrl-C stops waiting: the listener closes and nothing is kept.
  const cancel = () => session.cancelBrowserSignIn();
  process.once('SIGINT', cancel);
  let view: SessionView;
  try {
    view = await session.signInWithBrowser(index);
  } catch (err) {
    if (err instanceof KuraError && err.code === 'CANCELLED') {
      process.stderr.write('kura: sign-in cancelled\n');
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
  process.stderr.write(`Signed in as ${printable(view.email)}.\n`);
  if (!view.remembered) {
    const why = KEYCHAIN_PROBLEM_TEXT[keychainProblem ?? 'failed'][lang];
    process.stderr.write(
      lang === 'ja'
        ? `キーチェーンを使えません（${why}）。このコマンドが終わるとサインインは保持されません。\n`
        : `No keychain (${why}): you will not stay signed in after this command.\n`,
    );
  }
}

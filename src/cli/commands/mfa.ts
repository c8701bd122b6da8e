/** `kura mfa [status | setup | remove]`: the signed-in user's authenticator app. */
import { errorMessage } from '../../shared/errors';
import type { SessionView } from '../../shared/ipc';
import { KuraError } from '../../main/services/kuraError';
import type { SessionService } from '../../main/services/session';
import { signedIn, type Command } from '../context';
import { printable } from '../printable';
import { ask } from '../prompt';
import { lang, say, stderrTty, UsageError } from '../terminal';

export const mfa: Command = async (c, [action]) => {
  const { session } = await signedIn(c);
  switch (action ?? 'status') {
    case 'status': {
      const a = await session.authenticator();
      process.stdout.write(
        !a.available
          ? `${errorMessage({ code: 'MFA_NOT_AVAILABLE' }, lang)}\n`
          : `${a.enabled ? say.mfa.on : say.mfa.off}\n`,
      );
      return 0;
    }
    case 'setup':
      await enrolAuthenticator(session);
      process.stderr.write(say.mfa.turnedOn + '\n');
      return 0;
    case 'remove':
      await session.removeAuthenticator();
      process.stderr.write(say.mfa.turnedOff + '\n');
      return 0;
    default:
      throw new UsageError(say.usageErrors.unknownMfaCommand(action ?? ''));
  }
};

/**
 * Adds an authenticator app: its QR code on the terminal (and the secret as text), then its first
 * code — at sign-in (MFA_SETUP) or for the signed-in user. A mistyped code can be typed again.
 */
export async function enrolAuthenticator(session: SessionService): Promise<SessionView> {
  const { enrolment, qrText } = await import('../../main/services/authenticatorEnrolment');
  const { secret, account } = await session.authenticatorSecret();
  const e = enrolment(secret, account);
  process.stderr.write(say.mfa.addToApp + '\n');
  if (stderrTty) process.stderr.write((await qrText(e.uri)) + '\n');
  process.stderr.write(
    `${say.mfa.account}: ${printable(e.account)} (Kura)\n${say.mfa.secret}:  ${e.secret}\n`,
  );
  for (let tries = 1; ; tries++) {
    try {
      return await session.verifyAuthenticator(await ask(say.prompt.totpCode));
    } catch (err) {
      if (!(err instanceof KuraError) || err.code !== 'CODE_MISMATCH' || tries >= 3) throw err;
      process.stderr.write(`kura: ${errorMessage(err.toView(), lang)}\n`);
    }
  }
}

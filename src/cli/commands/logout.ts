/** `kura logout [--everywhere]`: signs out (everywhere: every device's session ends). */
import type { Command } from '../context';
import { say } from '../terminal';

export const logout: Command = async (c) => {
  const { session } = c.core.active();
  await session.restore().catch(() => undefined);
  await session.signOut(c.options.everywhere ?? false);
  process.stderr.write(say.login.signedOut + '\n');
  return 0;
};

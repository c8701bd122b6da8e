/** `kura whoami [--json]`: who is signed in, with which profile. */
import { KuraError } from '../../main/services/kuraError';
import { signedIn, type CliContext, type Command } from '../context';
import { withNetworkWait } from '../network';
import { printable } from '../printable';

export const whoami: Command = async (c) => {
  await withNetworkWait(c.network, () => printWhoami(c));
  return 0;
};

async function printWhoami(c: CliContext) {
  const { session, profile } = await signedIn(c);
  const v = session.view();
  if (v.status !== 'signedIn') throw new KuraError('NOT_SIGNED_IN');
  if (c.json)
    process.stdout.write(
      JSON.stringify({
        email: v.email,
        name: v.name ?? null,
        profile: profile.name,
        remembered: v.remembered,
      }) + '\n',
    );
  else
    process.stdout.write(
      printable(`${v.email}${v.name ? ` (${v.name})` : ''} — ${profile.name}`) + '\n',
    );
}

/** `kura locations [--json]` (and `kura ls` without a URI): the places the user can open. */
import { errorMessage } from '../../shared/errors';
import { signedIn, type CliContext, type Command } from '../context';
import { withNetworkWait } from '../network';
import { lang } from '../terminal';

export const locations: Command = async (c) => {
  await withNetworkWait(c.network, () => printLocations(c));
  return 0;
};

/** The places the signed-in user can open: `s3://bucket/prefix/<TAB>label`, or JSON. */
export async function printLocations(c: CliContext) {
  const { access } = await signedIn(c);
  const list = (await access.current().locations()).map((l) => ({
    uri: `s3://${l.bucket}/${l.prefix}`,
    label: l.label,
    bucket: l.bucket,
    prefix: l.prefix,
  }));
  if (c.json) process.stdout.write(JSON.stringify(list) + '\n');
  else process.stdout.write(list.map((l) => `${l.uri}\t${l.label}\n`).join(''));
  if (list.length === 0 && !c.json)
    process.stderr.write(`kura: ${errorMessage({ code: 'NO_LOCATIONS' }, lang)}\n`);
}

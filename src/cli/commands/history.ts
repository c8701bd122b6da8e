/** `kura history [--json | --csv] [--limit N]`: the signed-in user's verified downloads. */
import { receiptLog, signedIn, type Command } from '../context';
import { printable } from '../printable';
import { say, UsageError } from '../terminal';

export const history: Command = async (c) => {
  const limit = c.options.limit === undefined ? undefined : Number(c.options.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw new UsageError(say.usageErrors.limit);
  const services = await signedIn(c);
  const { receiptsToCsv } = await import('../../main/services/download/receipts');
  const list = await (
    await receiptLog(c)
  ).list({
    profileId: services.profileId,
    sub: services.session.user?.sub ?? '',
    limit,
  });
  if (c.csv) process.stdout.write(receiptsToCsv(list));
  else if (c.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
  else
    for (const r of list) {
      const sum = r.checksum ? `${r.checksum.algorithm}:${r.checksum.value}` : 'size-only';
      process.stdout.write(
        `${r.time}\t${r.size}\t${printable(`s3://${r.bucket}/${r.key}`)}\t${sum}\t${printable(r.destination)}\n`,
      );
    }
  return 0;
};

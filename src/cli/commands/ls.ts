/** `kura ls [s3://bucket/prefix/] [--recursive] [--json]`: a folder, all below it, or the locations. */
import { parseS3Uri, signedIn, type CliContext, type Command } from '../context';
import { withNetworkWait } from '../network';
import { printable } from '../printable';
import { printLocations } from './locations';

export const ls: Command = async (c, [uri]) => {
  await withNetworkWait(c.network, () => list(c, uri, c.options.recursive ?? false));
  return 0;
};

/** `2024-05-01 12:00:00         1234 name`: the time (UTC), the size, the name. */
const line = (lastModified: number, size: number, name: string) =>
  `${new Date(lastModified).toISOString().slice(0, 19).replace('T', ' ')} ${String(size).padStart(12)} ${printable(name)}`;

async function list(c: CliContext, uri: string | undefined, recursive: boolean) {
  if (!uri) return printLocations(c);
  const { json } = c;
  const { storage } = await signedIn(c);
  const out = (text: string) => process.stdout.write(text + '\n');
  const { bucket, key: prefix } = parseS3Uri(uri);
  if (recursive) {
    const all: { key: string; size: number; lastModified: number }[] = [];
    let batch = '';
    for await (const o of storage.listRecursive(bucket, prefix)) {
      if (json) all.push({ key: o.key, size: o.size, lastModified: o.lastModified });
      else {
        batch += line(o.lastModified, o.size, o.key) + '\n';
        if (batch.length > 64 * 1024) {
          process.stdout.write(batch);
          batch = '';
        }
      }
    }
    if (json) out(JSON.stringify(all));
    else process.stdout.write(batch);
    return;
  }
  let token: string | undefined;
  const folders: string[] = [];
  const files: { key: string; size: number; lastModified: number }[] = [];
  do {
    const page = await storage.listFolder(bucket, prefix, token);
    for (const f of page.folders) {
      if (json) folders.push(f.prefix);
      else out(`${''.padStart(19)} ${'DIR'.padStart(12)} ${printable(f.name)}/`);
    }
    for (const f of page.files) {
      if (json) files.push({ key: f.key, size: f.size, lastModified: f.lastModified });
      else out(line(f.lastModified, f.size, f.name));
    }
    token = page.continuationToken;
  } while (token);
  if (json) out(JSON.stringify({ folders, files }));
}

/**
 * The engine's job for one file (objectDownload.ts's `FileJob`), built in one place for the
 * transfer queue and the drag cache: the file is saved under the key's last segment — or the
 * name asked for, which may hold folders — mapped by safeNames, so a key that cannot be saved
 * safely is refused (UNSAFE_NAME) rather than written elsewhere, in folders made under
 * `destDir` (ensureFolder refuses a link planted on the way).
 */
import { keyName } from '../../../shared/keyName';
import { KuraError } from '../kuraError';
import { ensureFolder } from '../localFiles';
import { safeRelativePath } from '../safeNames';
import type { FileJob } from './objectDownload';

export interface FileJobOptions {
  /** Save under this name (mapped like any key, folders allowed) instead of the key's own. */
  saveAs?: string;
  /** Makes the partial file's name stable across runs (see FileJob.seed). */
  seed?: string;
}

export async function newFileJob(
  bucket: string,
  key: string,
  destDir: string,
  o: FileJobOptions = {},
): Promise<FileJob> {
  const mapped = safeRelativePath(o.saveAs ?? (keyName(key) || key));
  if (!mapped.ok) throw new KuraError('UNSAFE_NAME', `${key}: ${mapped.reason}`);
  return {
    bucket,
    key,
    dir: await ensureFolder(destDir, mapped.segments.slice(0, -1)),
    name: mapped.segments[mapped.segments.length - 1]!,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  };
}

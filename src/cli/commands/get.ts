/**
 * `kura get [--discard] [--recursive] s3://bucket/key [DEST]`: one file or a folder, through the
 * app's download engine and transfer queue (loaded here only: `kura ls` does not load them).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { errorMessage, skippedWords } from '../../shared/errors';
import { formatBytes } from '../../shared/format';
import type { EngineOptions } from '../../main/services/download/objectDownload';
import { KuraError } from '../../main/services/kuraError';
import { transferPaths } from '../../main/services/transfers/paths';
import { parseS3Uri, receiptLog, signedIn, type CliContext, type Command } from '../context';
import { withNetworkWait } from '../network';
import { printable } from '../printable';
import { endProgress, progressPrinter } from '../progress';
import {
  EXIT_ERROR,
  EXIT_INTERRUPTED,
  EXIT_SKIPPED,
  lang,
  say,
  stderrTty,
  UsageError,
} from '../terminal';

/**
 * Downloads through the same persisted transfer queue as the app (a queue file of the CLI's
 * own): run the same command again after Ctrl-C, a crash or a kill, and it goes on from the
 * bytes already on disk; with `--discard` it deletes what the interrupted one kept instead.
 */
export const get: Command = async (c, [uri, dest]) => {
  if (!uri) throw new UsageError(say.usageErrors.getNeedsUri);
  // Signing in again (a refresh) waits too; the download itself waits in the engine.
  await withNetworkWait(c.network, () => signedIn(c));
  return download(c, uri, dest, {
    recursive: c.options.recursive ?? false,
    discard: c.options.discard ?? false,
  });
};

async function download(
  c: CliContext,
  uri: string,
  dest: string | undefined,
  o: { recursive: boolean; discard: boolean },
): Promise<number> {
  const services = await signedIn(c);
  const { bucket, key } = parseS3Uri(uri);
  let kind: 'file' | 'folder' = 'file';
  let target: string;
  let saveAs: string | undefined;
  let ref = key;
  const isFolder = (p: string) => existsSync(p) && statSync(p).isDirectory();
  if (o.recursive) {
    if (!dest) throw new UsageError(say.usageErrors.getNeedsFolder);
    target = resolve(dest);
    if (existsSync(target) && !isFolder(target))
      throw new UsageError(say.usageErrors.notAFolder(dest));
    // Created when missing, as `aws s3 cp --recursive` and rclone do.
    if (!o.discard) mkdirSync(target, { recursive: true });
    kind = 'folder';
    ref = key === '' || key.endsWith('/') ? key : `${key}/`;
  } else {
    if (!key || key.endsWith('/')) throw new UsageError(say.usageErrors.isAFolder);
    target = resolve(dest ?? '.');
    if (dest?.endsWith('/') && !existsSync(target) && !o.discard)
      mkdirSync(target, { recursive: true });
    if (!isFolder(target)) {
      saveAs = basename(target);
      target = dirname(target);
      if (!existsSync(target)) throw new UsageError(say.usageErrors.noSuchFolder(target));
    }
  }
  const { TransferQueue } = await import('../../main/services/transfers/queue');
  const { sweepRecordedPartials } = await import('../../main/services/transfers/persistence');
  const queue = new TransferQueue({
    storage: () => services.storage,
    downloadsDir: () => target,
    receipts: await receiptLog(c),
    who: () => ({
      profileId: services.profileId,
      user: services.session.user?.email ?? '',
      sub: services.session.user?.sub ?? '',
    }),
    autoStart: false,
    engine: engineFromEnv(),
    network: c.network,
    // Partial files a crash left (recorded ones only) go before anything new starts.
    partials: await sweepRecordedPartials(c.dataDir),
  });
  await queue.attach(
    `${services.profileId}/${services.session.user?.sub ?? ''}`,
    transferPaths(c.dataDir).queueFile(services.profileId, 'cli'),
  );
  const earlier = queue
    .unfinished()
    .find(
      (u) =>
        u.kind === kind &&
        u.bucket === bucket &&
        u.key === ref &&
        u.destDir === target &&
        u.saveAs === saveAs,
    );
  if (o.discard) {
    if (earlier) {
      await removeFiles(queue.partialsOf(earlier.id));
      queue.cancel(earlier.id);
    }
    await queue.detach(false);
    process.stderr.write(
      printable(earlier ? say.get.discarded(uri) : say.get.nothingToDiscard(uri)) + '\n',
    );
    return 0;
  }
  let id: string;
  if (earlier) {
    id = earlier.id;
    if (earlier.state === 'failed') queue.retry(id);
    if (earlier.state === 'paused') queue.resume(id);
    const kept = keptBytes(queue.partialsOf(id));
    process.stderr.write(
      printable(kept > 0 ? say.get.resuming(uri, formatBytes(kept)) : say.get.restarting(uri)) +
        '\n',
    );
  } else {
    id =
      kind === 'folder'
        ? queue.downloadFolder(bucket, ref, target).id
        : queue.downloadFile(bucket, ref, target, saveAs).id;
  }
  const onProgress = progressPrinter();
  queue.onChange((v) => {
    if (v.id === id && v.state === 'running') onProgress?.(v);
  });
  process.once('SIGINT', () => queue.pause(id));
  const v = await queue.runNow(id);
  const path = queue.pathOf(id) ?? target;
  endProgress();
  // A failure nothing can go on from (not found, access denied, a bad name…) leaves no record:
  // the same command later starts afresh instead of "resuming". A network failure keeps its
  // bytes for the next try.
  const resumable =
    v.state !== 'failed' ||
    ['NETWORK', 'NETWORK_WAIT_TIMEOUT', 'PROXY_UNREACHABLE'].includes(v.error?.code ?? '');
  if (!resumable) {
    await removeFiles(queue.partialsOf(id));
    queue.cancel(id);
  }
  const partials = resumable ? queue.partialsOf(id) : [];
  await queue.detach(false);
  const keptNote = () => {
    const bytes = keptBytes(partials);
    return partials.length === 1
      ? say.get.keptIn(formatBytes(bytes), partials[0]!)
      : say.get.keptInFolder(
          formatBytes(bytes),
          say.get.partialFiles(partials.length),
          kind === 'folder' ? path : target,
        );
  };
  if (v.state === 'paused') {
    process.stderr.write(
      printable(partials.length ? say.get.stoppedKept(keptNote()) : say.get.stopped) + '\n',
    );
    return EXIT_INTERRUPTED;
  }
  if (v.state !== 'done') {
    const e = v.error ? new KuraError(v.error.code, v.error.detail) : new KuraError('UNKNOWN');
    if (partials.length === 0) throw e;
    // Still one line: the error, then what was kept and what to do with it.
    process.stderr.write(
      printable(`kura: ${errorMessage(e.toView(), lang)} — ${keptNote()}`) + '\n',
    );
    return EXIT_ERROR;
  }
  for (const s of v.skipped)
    process.stderr.write(printable(say.get.skipped(s.key, skippedWords(s.reason, lang))) + '\n');
  if (kind === 'folder') {
    process.stderr.write(
      say.get.folderDone(v.filesDone ?? 0, formatBytes(v.bytesDone), printable(path)) + '\n',
    );
    return v.skipped.length > 0 ? EXIT_SKIPPED : 0;
  }
  if (stderrTty) process.stderr.write(`${formatBytes(v.bytesDone)} → ${printable(path)}\n`);
  else process.stdout.write(printable(path) + '\n');
  return 0;
}

/** Deletes files by name (a link at a name goes, never what it points to). */
async function removeFiles(paths: string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(p, { force: true })));
}

/** Bytes in these (partial) files, those still there. */
function keptBytes(paths: string[]): number {
  return paths.reduce((n, p) => n + (existsSync(p) ? statSync(p).size : 0), 0);
}

/** Test and benchmark knobs for the download engine, as JSON in KURA_ENGINE. */
function engineFromEnv(): Partial<EngineOptions> | undefined {
  const raw = process.env.KURA_ENGINE;
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Partial<EngineOptions>;
  } catch {
    throw new UsageError(say.usageErrors.engineNotJson);
  }
}

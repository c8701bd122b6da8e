/**
 * Where the data folder keeps what transfers persist — the app's queues, the CLI's own, the
 * receipts, the partial-file ledger — named in one place for the app, the CLI and the start-up
 * sweep (persistence.ts). Plain paths, nothing loaded: `kura history` needs the receipts' file
 * without the download engine.
 */
import { join } from 'node:path';

/** The transfer files of a data folder (`KURA_DATA_DIR`, the app's user data). */
export function transferPaths(dataDir: string) {
  const queues = join(dataDir, 'transfers');
  return {
    /** The persisted queues, one file per profile (and the CLI's, one per profile too). */
    queues,
    /** A profile's persisted queue: the app's, or the CLI's own (`kura get`). */
    queueFile: (profileId: string, front: 'app' | 'cli' = 'app') =>
      join(queues, `${front === 'cli' ? 'cli-' : ''}${profileId}.json`),
    /** The verified downloads' log (the history). */
    receipts: join(dataDir, 'receipts.jsonl'),
    /** The ledger of the partial files Kura made (what the start-up sweep may delete). */
    partials: join(dataDir, 'partials.jsonl'),
  };
}

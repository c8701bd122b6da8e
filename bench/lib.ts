/** Shared pieces for benchmarks: processes, peak RSS, timing, and results files. */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

/** Peak resident set size (VmHWM) of a live process, in MB; Linux only. */
export function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export { startLocalAwsProcess, stopProcess as stop } from '../local-aws/spawn';

export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, value };
}

export function machine() {
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

export function writeResults(name: string, command: string, data: unknown, markdown: string) {
  const at = new Date().toISOString();
  writeFileSync(
    join(root, 'bench', 'results', `${name}.json`),
    JSON.stringify({ command, at, machine: machine(), ...(data as object) }, null, 2) + '\n',
  );
  writeFileSync(
    join(root, 'bench', 'results', `${name}.md`),
    `<!-- written by \`${command}\` on ${at} -->\n\n${markdown.trim()}\n\nMachine: ${JSON.stringify(machine())}. Command: \`${command}\`.\n`,
  );
}

/** Seeds a data folder directly through the store: one large object and/or many small ones. */
export async function seedBucket(
  dataDir: string,
  bucket: string,
  o: { bigMiB?: number; smallObjects?: number; smallBytes?: number; smallPrefix?: string },
) {
  const { ObjectStore } = await import('../local-aws/s3/objectStore');
  const { randomStream } = await import('../local-aws/seed');
  const { Readable } = await import('node:stream');
  const store = new ObjectStore(dataDir);
  store.createBucket(bucket);
  if (o.bigMiB) await store.put(bucket, 'big.bin', randomStream(o.bigMiB * 1024 * 1024));
  const { randomBytes } = await import('node:crypto');
  for (let i = 0; i < (o.smallObjects ?? 0); i++) {
    await store.put(
      bucket,
      `${o.smallPrefix ?? 'many'}/${String(i).padStart(6, '0')}.txt`,
      Readable.from([o.smallBytes ? randomBytes(o.smallBytes) : Buffer.from('x')]),
    );
  }
}

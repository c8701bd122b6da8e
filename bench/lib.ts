/** Shared pieces for benchmarks: processes, peak RSS, timing, and results files. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

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

/** Starts local-aws as its own Node process (so its memory is its own). */
export async function startLocalAwsProcess(
  args: string[],
): Promise<{ child: ChildProcess; profilePath: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'local-aws', 'cli.ts'), ...args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const profilePath = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (l) =>
      resolve(l.replace(/^local-aws ready /, '')),
    );
    child.once('exit', (code) => reject(new Error(`local-aws exited with ${code}`)));
  });
  return { child, profilePath };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

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

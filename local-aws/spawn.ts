/** Starts local-aws as its own process (demo, benchmarks) and waits for its ready line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

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

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

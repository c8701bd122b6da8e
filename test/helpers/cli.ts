/** Runs the `kura` CLI as a whole process (its TypeScript source through tsx), as a user would. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command line that starts the CLI (after the Node executable). */
export const kuraArgs = (args: string[]) => [
  '--import',
  'tsx',
  join(root, 'src/cli/kura.ts'),
  ...args,
];

export function kura(
  dataDir: string,
  args: string[],
  input?: string,
  env: NodeJS.ProcessEnv = {},
  node = process.execPath,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      node,
      kuraArgs(args),
      {
        cwd: root,
        env: {
          ...process.env,
          KURA_DATA_DIR: dataDir,
          KURA_LANG: 'en',
          NODE_NO_WARNINGS: '1',
          ...env,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input ?? '');
  });
}

/** Runs the `kura` CLI as a whole process (its TypeScript source through tsx), as a user would. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { LocalAws } from '../../local-aws/server';

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

/**
 * `kura --profile <local-aws's profile> admin …` as an administrator: local-aws's admin key in
 * the environment, as the SDK's credential chain reads it, and no other AWS setting of this
 * machine (its AWS_* variables, config and credentials files) in the way.
 */
export function kuraAdmin(
  aws: LocalAws,
  dataDir: string,
  args: string[],
  input = '',
  env: NodeJS.ProcessEnv = {},
): Promise<Run> {
  const machines = Object.keys(process.env).filter((k) => k.startsWith('AWS_'));
  return kura(dataDir, ['--profile', aws.profilePath, 'admin', ...args], input, {
    ...Object.fromEntries(machines.map((k) => [k, undefined])),
    AWS_ACCESS_KEY_ID: aws.admin.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.admin.secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...env,
  });
}

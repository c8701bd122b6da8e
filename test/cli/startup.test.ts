/**
 * How `kura` starts (issue #14): the installed command runs the bundle in its own process with
 * V8's compile cache, and a command loads only what it needs — `ls` with a stored session loads
 * neither the SRP library (sign-in only), nor the administrators' CloudFormation client, nor the
 * download queue, nor the native checksums; with the tokens and credentials the last start kept
 * (sessionReuse.ts) it asks Cognito nothing and loads neither Cognito client. (What that saves is
 * measured by `npm run bench` and bench/startup.ts, not asserted here.)
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { createConfirmedUser, startTestAws } from '../helpers/localAws';
import { keychainSkipReason, tempDir } from '../helpers/kura';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const PASSWORD = 'Correct-Horse-9';

describe('the installed command', () => {
  it('runs the bundle in one process and keeps its compiled code for the next start', async () => {
    await run('npm', ['run', '--silent', 'build:cli'], { cwd: root });
    const cache = tempDir('kura-compile-cache-');
    const env = { ...process.env, NODE_COMPILE_CACHE: cache, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' };
    const first = await run(process.execPath, [join(root, 'bin/kura.mjs'), '--help'], { env });
    expect(first.stdout).toContain('usage: kura');
    expect(readdirSync(cache).length).toBeGreaterThan(0);
    const second = await run(process.execPath, [join(root, 'bin/kura.mjs'), '--help'], { env });
    expect(second.stdout).toContain('usage: kura');
    expect(second.stderr).toMatch(/cache for \S*out\/cli\/kura\.cjs was accepted/);
  });
});

describe.skipIf(keychainSkipReason !== '')(`what a command loads ${keychainSkipReason}`, () => {
  let aws: LocalAws;
  const dataDir = tempDir('kura-cli-');
  beforeAll(async () => {
    aws = await startTestAws({ bucket: 'kura-demo' });
    createConfirmedUser(aws, 'start@example.com', PASSWORD);
    await aws.store.put('kura-demo', 'a.txt', Readable.from([Buffer.from('a')]));
  });
  afterAll(() => aws.stop());

  /** Runs the CLI from source and answers which module files it loaded. */
  async function loads(args: string[], input = '') {
    const trace = join(tempDir('kura-trace-'), 'modules.txt');
    await new Promise<void>((resolve, reject) => {
      const child = execFile(
        process.execPath,
        [
          '--import',
          join(root, 'test/helpers/moduleTrace.mjs'),
          '--import',
          'tsx',
          join(root, 'src/cli/kura.ts'),
          ...args,
        ],
        {
          cwd: root,
          env: { ...process.env, KURA_DATA_DIR: dataDir, KURA_MODULE_TRACE: trace },
        },
        (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve()),
      );
      child.stdin!.end(input);
    });
    expect(existsSync(trace)).toBe(true);
    return readFileSync(trace, 'utf8');
  }
  const SRP = 'node_modules/amazon-cognito-identity-js/';
  const CLOUDFORMATION = 'node_modules/@aws-sdk/client-cloudformation/';

  it('loads the SRP library to sign in, and for `ls` nothing that only other commands need', async () => {
    const login = await loads(
      [
        '--profile',
        aws.profilePath,
        'login',
        '--username',
        'start@example.com',
        '--password-stdin',
      ],
      `${PASSWORD}\n`,
    );
    expect(login).toContain(SRP); // the trace sees it when it is loaded

    const ls = await loads(['ls', 's3://kura-demo/']);
    expect(ls).toContain('src/main/services/storage.ts');
    expect(ls).not.toContain(SRP);
    expect(ls).not.toContain(CLOUDFORMATION);
    expect(ls).not.toContain('src/main/services/transfers/queue.ts');
    expect(ls).not.toContain('src/main/services/download/receipts.ts');
    expect(ls).not.toContain('node_modules/aws-crt/');
  });

  it('a second `ls` with a valid session makes one request: the listing (no Cognito round trip)', async () => {
    createConfirmedUser(aws, 'again@example.com', PASSWORD);
    const login = ['--profile', aws.profilePath, 'login', '--username', 'again@example.com'];
    await loads([...login, '--password-stdin'], `${PASSWORD}\n`);
    await loads(['ls', 's3://kura-demo/']); // the credentials fetched, and kept for the next start
    const counted = async (service: 's3' | 'cognito-idp' | 'cognito-identity') => {
      aws.faults.set([{ service }]);
      try {
        await loads(['ls', 's3://kura-demo/']);
        return aws.faults.matched;
      } finally {
        aws.faults.clear();
      }
    };
    expect(await counted('cognito-idp')).toBe(0);
    expect(await counted('cognito-identity')).toBe(0);
    expect(await counted('s3')).toBe(1);

    // Nor does it load the Cognito clients it does not call, or the release feed's code.
    const ls = await loads(['ls', 's3://kura-demo/']);
    expect(ls).toContain('node_modules/@aws-sdk/client-s3/');
    expect(ls).not.toContain('node_modules/@aws-sdk/client-cognito-identity-provider/');
    expect(ls).not.toContain('node_modules/@aws-sdk/client-cognito-identity/');
    expect(ls).not.toContain('node_modules/electron-updater/');
  });
});

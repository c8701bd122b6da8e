/**
 * The CLI's edge cases from the newcomer's walkthrough and the security review: a closed pipe,
 * a destination folder that does not exist yet, a failure that cannot be resumed, an interrupted
 * download's partial file (where it is, how to discard it), hostile keys on a terminal, a password
 * on a terminal, no keychain, and an older Node.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { kura, kuraArgs, root } from '../helpers/cli';
import { adminCall, createConfirmedUser, startTestAws } from '../helpers/localAws';
import { keychainSkipReason, tempDir } from '../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
const MiB = 1024 * 1024;
let aws: LocalAws;

const HOSTILE = 'odd/\u001b[31mred\u001b[0m \u202Efdp.exe';
/** An ESC or a right-to-left override, raw. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u001b\u202e]/;

beforeAll(async () => {
  aws = await startTestAws({ bucket: 'kura-demo' });
  createConfirmedUser(aws, 'edge@example.com', PASSWORD);
  const put = (k: string, v: Buffer | string) =>
    aws.store.put('kura-demo', k, Readable.from([Buffer.from(v)]));
  await put('tree/a.txt', 'a');
  await put('tree/sub/b.txt', 'b');
  await put(HOSTILE, 'hostile');
  for (let i = 0; i < 3000; i++) await put(`lots/${String(i).padStart(5, '0')}.txt`, 'x');
});
afterAll(() => aws.stop());

describe.skipIf(keychainSkipReason !== '')(`kura CLI edge cases ${keychainSkipReason}`, () => {
  const dataDir = tempDir('kura-cli-edge-');
  beforeAll(async () => {
    const login = await kura(
      dataDir,
      ['--profile', aws.profilePath, 'login', '--username', 'edge@example.com', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(login.code).toBe(0);
  });

  it('ends quietly when the reader of its output goes away (kura ls … | head)', async () => {
    const child = spawn(process.execPath, kuraArgs(['ls', '--recursive', 's3://kura-demo/lots/']), {
      cwd: root,
      env: { ...process.env, KURA_DATA_DIR: dataDir, KURA_LANG: 'en' },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Read the first line, then close the pipe as `head -n 1` does.
    await new Promise<void>((resolve) => {
      child.stdout.once('data', () => {
        child.stdout.destroy();
        resolve();
      });
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('creates the destination folder of get --recursive when it does not exist', async () => {
    const dest = join(tempDir(), 'new', 'nested');
    const r = await kura(dataDir, ['get', '--recursive', 's3://kura-demo/tree/', dest]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dest, 'tree', 'sub', 'b.txt'), 'utf8')).toBe('b');
    // A single file into DIR/ (a trailing slash: a folder meant) creates it too.
    const into = join(tempDir(), 'made');
    const one = await kura(dataDir, ['get', 's3://kura-demo/tree/a.txt', `${into}/`]);
    expect(one.code).toBe(0);
    expect(readFileSync(join(into, 'a.txt'), 'utf8')).toBe('a');
  });

  it('does not claim to resume a download that failed with "not found"', async () => {
    const dest = tempDir();
    for (let i = 0; i < 2; i++) {
      const r = await kura(dataDir, ['get', 's3://kura-demo/missing.txt', dest]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('kura: This file or folder no longer exists.\n');
    }
    expect(readdirSync(dest)).toEqual([]);
  });

  it('says where an interrupted download left its partial file and how to discard it', async () => {
    const body = randomBytes(16 * MiB);
    await aws.store.put('kura-demo', 'slow/big.bin', Readable.from([body]));
    await adminCall(aws, 'PUT', 'faults', [
      { operation: 'GetObject', keyPrefix: 'slow/', bytesPerSecond: 2 * MiB },
    ]);
    const dest = tempDir();
    const engine = { KURA_ENGINE: JSON.stringify({ partSize: MiB }) };
    const child = spawn(process.execPath, kuraArgs(['get', 's3://kura-demo/slow/big.bin', dest]), {
      cwd: root,
      env: { ...process.env, KURA_DATA_DIR: dataDir, KURA_LANG: 'en', ...engine },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const partial = () => readdirSync(dest).find((f) => f.endsWith('.partial'));
    await expect
      .poll(() => (partial() ? statSync(join(dest, partial()!)).size : 0), { timeout: 20_000 })
      .toBeGreaterThan(MiB);
    child.kill('SIGINT');
    expect(await new Promise((r) => child.once('exit', r))).toBe(130);
    const path = join(dest, partial()!);
    expect(stderr.trim().split('\n').at(-1)).toMatch(
      new RegExp(
        `^kura: stopped; [\\d.]+ MB kept in ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; run the same command again to resume, or add --discard to delete it$`,
      ),
    );

    const discarded = await kura(dataDir, [
      'get',
      '--discard',
      's3://kura-demo/slow/big.bin',
      dest,
    ]);
    expect(discarded.code).toBe(0);
    expect(discarded.stderr).toBe(
      'kura: discarded the interrupted download of s3://kura-demo/slow/big.bin and what it kept\n',
    );
    expect(readdirSync(dest)).toEqual([]);

    await adminCall(aws, 'DELETE', 'faults');
    const fresh = await kura(dataDir, ['get', 's3://kura-demo/slow/big.bin', dest]);
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).not.toContain('resuming');
    expect(readFileSync(join(dest, 'big.bin')).equals(body)).toBe(true);
  });

  it('a folder download killed as its first bytes land resumes into the same folder', async () => {
    const bodies = Array.from({ length: 4 }, () => randomBytes(MiB));
    for (const [i, b] of bodies.entries())
      await aws.store.put('kura-demo', `killdir/f${i}.bin`, Readable.from([b]));
    await adminCall(aws, 'PUT', 'faults', [
      { operation: 'GetObject', keyPrefix: 'killdir/', bytesPerSecond: MiB },
    ]);
    const dest = tempDir();
    const args = ['get', '--recursive', 's3://kura-demo/killdir/', dest];
    const child = spawn(process.execPath, kuraArgs(args), {
      cwd: root,
      env: { ...process.env, KURA_DATA_DIR: dataDir, KURA_LANG: 'en' },
      stdio: 'ignore',
    });
    const started = () =>
      existsSync(join(dest, 'killdir')) &&
      readdirSync(join(dest, 'killdir')).some((f) => f.endsWith('.partial'));
    await expect.poll(started, { timeout: 20_000, interval: 5 }).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await adminCall(aws, 'DELETE', 'faults');
    const again = await kura(dataDir, args);
    expect(again.code).toBe(0);
    expect(readdirSync(dest)).toEqual(['killdir']);
    for (const [i, b] of bodies.entries())
      expect(readFileSync(join(dest, 'killdir', `f${i}.bin`)).equals(b)).toBe(true);
  });

  it('escapes control and bidi characters of keys on a terminal, and keeps them exact in --json', async () => {
    const ls = await kura(dataDir, ['ls', 's3://kura-demo/odd/']);
    expect(ls.stdout).not.toMatch(RAW_CONTROL);
    expect(ls.stdout).toContain('\\x1b[31mred\\x1b[0m \\u202efdp.exe');
    const json = await kura(dataDir, ['ls', 's3://kura-demo/odd/', '--json']);
    expect((JSON.parse(json.stdout) as { files: { key: string }[] }).files[0]!.key).toBe(HOSTILE);
    // The file itself gets a safe name.
    const dest = tempDir();
    const get = await kura(dataDir, ['get', `s3://kura-demo/${HOSTILE}`, dest]);
    expect(get.code).toBe(0);
    expect(get.stdout).not.toMatch(RAW_CONTROL);
    expect(readdirSync(dest)).toEqual(['_[31mred_[0m _fdp.exe']);
    const history = await kura(dataDir, ['history', '--limit', '1']);
    expect(history.stdout).not.toMatch(RAW_CONTROL);
  });
});

describe('kura CLI without a keychain, on a terminal, on an older Node', () => {
  it('says plainly, once, that no keychain is there (no raw D-Bus error)', async () => {
    const r = await kura(
      tempDir('kura-cli-nokeychain-'),
      ['--profile', aws.profilePath, 'login', '--username', 'edge@example.com', '--password-stdin'],
      `${PASSWORD}\n`,
      { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'Signed in as edge@example.com.\n' +
        'No keychain (no keychain service is running on this computer): you will not stay signed in after this command.\n',
    );
  });

  const haveScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!haveScript)(
    'refuses --password-stdin on a terminal (it would show the password)',
    () => {
      // util-linux `script` gives the command a terminal for stdin and stdout.
      const command = [process.execPath, ...kuraArgs(['login', '--password-stdin'])]
        .map((a) => `'${a}'`)
        .join(' ');
      const r = spawnSync('script', ['-qec', command, '/dev/null'], {
        cwd: root,
        env: { ...process.env, KURA_DATA_DIR: tempDir(), KURA_LANG: 'en', NODE_NO_WARNINGS: '1' },
        input: '',
        encoding: 'utf8',
      });
      const out = r.stdout;
      expect(r.status).toBe(2);
      expect(out).toContain('kura: --password-stdin reads a pipe');
    },
  );

  // Debian's own node (20) where the machine has one beside the project's Node 22.
  const olderNode = ['/usr/bin/node', '/usr/bin/nodejs'].find(
    (n) =>
      existsSync(n) &&
      Number(spawnSync(n, ['-p', 'process.versions.node.split(".")[0]']).stdout.toString()) < 22,
  );
  it.skipIf(!olderNode)(
    `keeps errors one line on an older Node (${olderNode ?? 'none here'}): no AWS SDK notice`,
    async () => {
      const dir = tempDir('kura-cli-node20-');
      // Without NODE_NO_WARNINGS: whatever Node or the SDK would print, the user sees.
      const r = await kura(
        dir,
        ['--profile', aws.profilePath, 'whoami'],
        '',
        { NODE_NO_WARNINGS: '' },
        olderNode,
      );
      expect(r.stderr).toBe('kura: You are not signed in. Sign in first.\n');
      expect(r.code).toBe(1);
    },
  );
});

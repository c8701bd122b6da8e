/**
 * The `kura` CLI as whole processes against local-aws and the real keychain: a login in one
 * process is used by the next without a password, errors are one line with a non-zero exit.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { adminCall, createConfirmedUser, startTestAws } from '../helpers/localAws';
import { kura, root } from '../helpers/cli';
import { crc64Nvme } from '../../src/main/services/download/checksums';
import { keychainSkipReason, tempDir } from '../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
let aws: LocalAws;
let profilePath: string;

beforeAll(async () => {
  aws = await startTestAws({ bucket: 'kura-demo' });
  profilePath = aws.profilePath;
  createConfirmedUser(aws, 'cli@example.com', PASSWORD);
  aws.userPool.createUser('first@example.com', 'Temp-Pass-123!');
  for (const [k, v] of [
    ['README.txt', 'hello'],
    ['docs/a.txt', 'aaa'],
    ['docs/sub/b.txt', 'bbb'],
    ['docs/../evil.txt', 'nope'],
  ] as const) {
    await aws.store.put('kura-demo', k, Readable.from([Buffer.from(v)]));
  }
});
afterAll(() => aws.stop());

describe.skipIf(keychainSkipReason !== '')(
  `kura CLI with the keychain ${keychainSkipReason}`,
  () => {
    const dataDir = tempDir('kura-cli-');

    it('logs in once; later processes list and download with no password', async () => {
      const login = await kura(
        dataDir,
        ['--profile', profilePath, 'login', '--username', 'cli@example.com', '--password-stdin'],
        `${PASSWORD}\n`,
      );
      expect(login.stderr).toContain('Signed in as cli@example.com.');
      expect(login.code).toBe(0);

      const who = await kura(dataDir, ['whoami', '--json']);
      expect(JSON.parse(who.stdout)).toMatchObject({ email: 'cli@example.com', remembered: true });

      const ls = await kura(dataDir, ['ls', 's3://kura-demo/', '--json']);
      expect(JSON.parse(ls.stdout)).toMatchObject({
        folders: ['docs/'],
        files: [{ key: 'README.txt', size: 5 }],
      });

      const rec = await kura(dataDir, ['ls', 's3://kura-demo/docs/', '--recursive']);
      expect(
        rec.stdout
          .trim()
          .split('\n')
          .map((l) => l.split(/\s+/).pop()),
      ).toEqual(['docs/../evil.txt', 'docs/a.txt', 'docs/sub/b.txt']);

      // No URI: the locations (this profile's: the whole bucket).
      const buckets = await kura(dataDir, ['ls']);
      expect(buckets.stdout).toBe('s3://kura-demo/\tkura-demo\n');

      const dest = tempDir();
      const get = await kura(dataDir, ['get', 's3://kura-demo/README.txt', dest]);
      expect(get.code).toBe(0);
      expect(readFileSync(join(dest, 'README.txt'), 'utf8')).toBe('hello');
      const again = await kura(dataDir, [
        'get',
        's3://kura-demo/README.txt',
        join(dest, 'renamed.txt'),
      ]);
      expect(again.stdout.trim()).toBe(join(dest, 'renamed.txt'));

      const folder = await kura(dataDir, ['get', '--recursive', 's3://kura-demo/docs/', dest]);
      expect(folder.code).toBe(3); // completed, with a skipped item
      expect(folder.stderr).toContain('kura: skipped docs/../evil.txt');
      expect(readdirSync(join(dest, 'docs')).sort()).toEqual(['a.txt', 'sub']);
      expect(readdirSync(dest).sort()).toEqual(['README.txt', 'docs', 'renamed.txt']);
    });

    it('speaks Japanese where LANG says so: usage, summaries and why a file was skipped', async () => {
      const dir = dataDir;
      const ja = { KURA_LANG: undefined, LC_ALL: undefined, LANG: 'ja_JP.UTF-8' };
      const usage = await kura(dir, [], undefined, ja);
      expect(usage.code).toBe(2);
      expect(usage.stdout).toMatch(/^使い方: kura \[--profile ファイル\] <コマンド>\n/);
      const mistake = await kura(dir, ['get'], undefined, ja);
      expect(mistake.code).toBe(2);
      expect(mistake.stderr).toMatch(/^kura: get には s3:\/\/ の URI を指定してください\n使い方: /);

      const login = await kura(
        dir,
        ['--profile', profilePath, 'login', '--username', 'cli@example.com', '--password-stdin'],
        `${PASSWORD}\n`,
        ja,
      );
      expect(login.code).toBe(0);
      expect(login.stderr).toContain('cli@example.com としてサインインしました。');
      const dest = tempDir();
      const folder = await kura(dir, ['get', '--recursive', 's3://kura-demo/docs/', dest], '', ja);
      expect(folder.code).toBe(3);
      expect(folder.stderr).toContain(
        'kura: docs/../evil.txt をスキップしました: 名前に「..」があり、保存先フォルダーの外を指します\n',
      );
      expect(folder.stderr).toMatch(/2 個のファイル、6 B → .*docs\n/);
      // KURA_LANG overrides the terminal's language.
      const en = await kura(dir, ['get'], '', { ...ja, KURA_LANG: 'en' });
      expect(en.stderr).toMatch(/^kura: get needs an s3:\/\/ URI\nusage: kura /);
    });

    it('killed with SIGKILL mid-download, the same command resumes and finishes with the right bytes', async () => {
      const body = randomBytes(24 * 1024 * 1024);
      await aws.store.put('kura-demo', 'kill/big.bin', Readable.from([body]));
      // 4 MiB/s per connection: about a second per 2 MiB range, so the kill lands mid-way.
      await adminCall(aws, 'PUT', 'faults', [
        { operation: 'GetObject', keyPrefix: 'kill/', bytesPerSecond: 4 * 1024 * 1024 },
      ]);
      const dest = tempDir();
      const engine = { KURA_ENGINE: JSON.stringify({ partSize: 2 * 1024 * 1024 }) };
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(root, 'src/cli/kura.ts'),
          'get',
          's3://kura-demo/kill/big.bin',
          dest,
        ],
        {
          cwd: root,
          env: { ...process.env, KURA_DATA_DIR: dataDir, NODE_NO_WARNINGS: '1', ...engine },
          stdio: 'ignore',
        },
      );
      // Wait until a good part of the object is on disk in the partial file, then kill.
      const partialSize = () =>
        readdirSync(dest)
          .filter((f) => f.endsWith('.partial'))
          .map((f) => statSync(join(dest, f)).size)
          .reduce((a, b) => a + b, 0);
      // …and the persisted queue records bytes of it, so the next run resumes from state.
      const savedBytes = () => {
        try {
          const dir = join(dataDir, 'transfers');
          const file = readdirSync(dir).find((f) => f.startsWith('cli-') && f.endsWith('.json'));
          const saved = JSON.parse(readFileSync(join(dir, file!), 'utf8')) as {
            records: { key: string; file?: { done?: number[] } }[];
          };
          const r = saved.records.find((x) => x.key === 'kill/big.bin');
          return (r?.file?.done ?? []).reduce((a, b) => a + b, 0);
        } catch {
          return 0;
        }
      };
      await expect
        .poll(() => Math.min(partialSize(), savedBytes()), { timeout: 20_000, interval: 50 })
        .toBeGreaterThan(8 * 1024 * 1024);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(readdirSync(dest).filter((f) => f.endsWith('.partial'))).toHaveLength(1);
      expect(existsSync(join(dest, 'big.bin'))).toBe(false);

      await adminCall(aws, 'DELETE', 'faults');
      const resumed = await kura(dataDir, ['get', 's3://kura-demo/kill/big.bin', dest], '', engine);
      expect(resumed.stderr).toMatch(
        /^kura: resuming the interrupted download of s3:\/\/kura-demo\/kill\/big\.bin \([\d.]+ MB already here\)$/m,
      );
      expect(resumed.code).toBe(0);
      expect(readFileSync(join(dest, 'big.bin')).equals(body)).toBe(true);
      expect(readdirSync(dest)).toEqual(['big.bin']);

      const history = await kura(dataDir, ['history', '--json', '--limit', '1']);
      const [receipt] = JSON.parse(history.stdout) as {
        key: string;
        size: number;
        checksum: { algorithm: string };
      }[];
      expect(receipt).toMatchObject({
        key: 'kill/big.bin',
        size: body.length,
        destination: join(dest, 'big.bin'),
      });
      expect(receipt!.checksum.algorithm).toBe('CRC64NVME');
      const csv = await kura(dataDir, ['history', '--csv']);
      expect(csv.stdout.split('\r\n')[0]).toBe(
        'time,bucket,key,versionId,etag,checksumAlgorithm,checksum,size,destination,user',
      );
      expect(csv.stdout).toContain('kura-demo,kill/big.bin,');
    });

    it('prints every key of a long recursive listing into a pipe (no output lost at exit)', async () => {
      for (let i = 0; i < 4000; i++) {
        await aws.store.put(
          'kura-demo',
          `many/${String(i).padStart(5, '0')}.log`,
          Readable.from([Buffer.from('x')]),
        );
      }
      const r = await kura(dataDir, ['ls', '--recursive', 's3://kura-demo/many/']);
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(4000);
      expect(lines.at(-1)).toMatch(/many\/03999\.log$/);
    });

    it('logs out and the next command asks for a sign-in', async () => {
      expect((await kura(dataDir, ['logout'])).code).toBe(0);
      const who = await kura(dataDir, ['whoami']);
      expect(who.code).toBe(1);
      expect(who.stderr).toBe('kura: You are not signed in. Sign in first.\n');
    });

    it('walks a first sign-in through a new password from piped answers', async () => {
      const dir = tempDir('kura-cli-first-');
      const r = await kura(
        dir,
        ['--profile', profilePath, 'login', '--username', 'first@example.com', '--password-stdin'],
        'Temp-Pass-123!\nChosen-Pass-456!\n',
      );
      expect(r.stderr).toContain('A new password is required');
      expect(r.code).toBe(0);
      expect((await kura(dir, ['whoami'])).stdout).toContain('first@example.com');
    });
  },
);

describe('kura CLI errors', () => {
  it('says a wrong password in one line (English and Japanese) with exit code 1', async () => {
    const dir = tempDir('kura-cli-err-');
    const en = await kura(
      dir,
      ['--profile', profilePath, 'login', '--username', 'cli@example.com', '--password-stdin'],
      'Wrong-Pass-1\n',
    );
    expect(en.code).toBe(1);
    expect(en.stderr.trim().split('\n').at(-1)).toBe(
      'kura: The email or password is not correct. Check both and try again.',
    );
    const ja = await kura(
      dir,
      ['login', '--username', 'cli@example.com', '--password-stdin'],
      'Wrong-Pass-1\n',
      { KURA_LANG: 'ja' },
    );
    expect(ja.stderr.trim().split('\n').at(-1)).toBe(
      'kura: メールアドレスまたはパスワードが正しくありません。確認してもう一度お試しください。',
    );
  });

  it('refuses a broken profile, naming the field', async () => {
    const dir = tempDir('kura-cli-profile-');
    const bad = join(dir, 'bad.json');
    mkdirSync(dir, { recursive: true });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, JSON.stringify({ ...aws.profile, region: 'tokyo' }));
    const r = await kura(dir, ['--profile', bad, 'whoami']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('region must be an AWS region');
  });

  it('works as the bundled build the kura bin runs', async () => {
    const out = join(tempDir('kura-bundle-'), 'kura.cjs');
    const { spawnSync } = await import('node:child_process');
    const build = spawnSync(
      join(root, 'node_modules/.bin/esbuild'),
      [
        'src/cli/kura.ts',
        '--bundle',
        '--platform=node',
        '--format=cjs',
        '--target=node20',
        `--outfile=${out}`,
        '--external:@napi-rs/keyring',
        '--log-level=warning',
      ],
      { cwd: root },
    );
    expect(build.status).toBe(0);
    // Resolve the external keyring module from the project, as an installed bin does.
    const r = spawnSync(process.execPath, [out, 'whoami'], {
      env: {
        ...process.env,
        KURA_DATA_DIR: tempDir(),
        KURA_LANG: 'en',
        NODE_PATH: join(root, 'node_modules'),
      },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('No connection profile is set up.');
  });

  it('--version names the version, Node and the CRC64NVME that verifies downloads', async () => {
    const r = await kura(tempDir(), ['--version']);
    expect(r.code).toBe(0);
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(r.stdout).toBe(
      `kura ${version} (Node ${process.version}; CRC64NVME: ${crc64Nvme().implementation})\n`,
    );
  });

  it('explains usage mistakes with exit code 2', async () => {
    const r = await kura(tempDir(), ['fly']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('kura: unknown command: fly');
  });

  it('works without a keychain for the one command, and says so', async () => {
    const dir = tempDir('kura-cli-nokeychain-');
    const r = await kura(
      dir,
      ['--profile', profilePath, 'login', '--username', 'cli@example.com', '--password-stdin'],
      `${PASSWORD}\n`,
      { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('No keychain (no keychain service is running on this computer)');
    for (const f of readdirSync(dir))
      expect(readFileSync(join(dir, f), 'utf8')).not.toMatch(/refreshToken|eyJ/);
  });
});

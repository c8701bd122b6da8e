/**
 * `kura` as a whole process against its peers, on local-aws (issue: core):
 *  - one 1 GiB object: `kura get` vs `aws s3 cp` and `rclone copyto` (wall time, peak RSS);
 *  - a 100,000-object prefix: `kura ls --recursive` vs `aws s3 ls --recursive` and `rclone lsf -R`.
 * Every tool reads with the same role credentials (Kura gets its own through Cognito).
 * Runs inside scripts/with-keyring.sh (the CLI keeps its session in the keychain).
 * Usage: npm run bench:kura [-- --size-mib 1024 --objects 100000 --runs 3]
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AdminInfo } from '../local-aws/server';
import type { ConnectionProfile } from '../src/shared/profile';
import { root, seedBucket, startLocalAwsProcess, stop, writeResults } from './lib';
import { roleCredentialsFor } from './roleCredentials';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '1024' },
    objects: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
  },
});
const sizeMiB = Number(values['size-mib']);
const objectCount = Number(values.objects);
const runs = Number(values.runs);
const command = `npm run bench:kura -- --size-mib ${sizeMiB} --objects ${objectCount} --runs ${runs}`;
const bucket = 'bench';
const EMAIL = 'bench@example.com';
const PASSWORD = 'Bench-Pass-2026!';

const dataDir = mkdtempSync(join(tmpdir(), 'kura-bench-cli-'));
console.log(`seeding ${sizeMiB} MiB and ${objectCount} objects …`);
await seedBucket(dataDir, bucket, { bigMiB: sizeMiB, smallObjects: objectCount });
// Kura as users run it: the bundled CLI (npm run build:cli), not TypeScript compiled at start.
const build = spawnSync('npm', ['run', '--silent', 'build:cli'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) throw new Error('npm run build:cli failed');
const server = await startLocalAwsProcess(['--data', dataDir, '--bucket', bucket]);
const admin = JSON.parse(readFileSync(join(dataDir, 'admin.json'), 'utf8')) as AdminInfo;
const profile = JSON.parse(readFileSync(server.profilePath, 'utf8')) as ConnectionProfile;
const idp = new CognitoIdentityProviderClient({
  region: profile.region,
  endpoint: admin.endpoint,
  credentials: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey },
});
await idp.send(
  new AdminCreateUserCommand({
    UserPoolId: profile.userPoolId,
    Username: EMAIL,
    TemporaryPassword: PASSWORD,
    MessageAction: 'SUPPRESS',
  }),
);
await idp.send(
  new AdminSetUserPasswordCommand({
    UserPoolId: profile.userPoolId,
    Username: EMAIL,
    Password: PASSWORD,
    Permanent: true,
  }),
);
const creds = await roleCredentialsFor(profile, EMAIL, PASSWORD);

// Peers get the role's credentials and nothing else from the environment (AWS_CA_BUNDLE breaks rclone 1.60).
const baseEnv: NodeJS.ProcessEnv = {};
for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) baseEnv[k] = v;
const kuraHome = mkdtempSync(join(tmpdir(), 'kura-bench-home-'));
const envs = {
  kura: { ...baseEnv, KURA_DATA_DIR: kuraHome, NODE_NO_WARNINGS: '1' },
  aws: {
    ...baseEnv,
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
    AWS_DEFAULT_REGION: profile.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  },
  rclone: {
    ...baseEnv,
    RCLONE_CONFIG: '/dev/null',
    RCLONE_CONFIG_L_TYPE: 's3',
    RCLONE_CONFIG_L_PROVIDER: 'Other',
    RCLONE_CONFIG_L_ACCESS_KEY_ID: creds.accessKeyId,
    RCLONE_CONFIG_L_SECRET_ACCESS_KEY: creds.secretAccessKey,
    RCLONE_CONFIG_L_SESSION_TOKEN: creds.sessionToken,
    RCLONE_CONFIG_L_ENDPOINT: admin.endpoint,
    RCLONE_CONFIG_L_REGION: profile.region,
    RCLONE_CONFIG_L_LIST_VERSION: '2',
  },
};
const kura = ['node', join(root, 'out/cli/kura.cjs')];

/** Runs a command under GNU time; returns wall seconds and peak RSS (MB). */
async function measure(argv: string[], env: NodeJS.ProcessEnv) {
  const { stderr, stdout } = await run('/usr/bin/time', ['-f', 'KURA_BENCH %e %M', ...argv], {
    env,
    cwd: root,
    maxBuffer: 512 * 1024 * 1024,
  });
  const m = /KURA_BENCH ([\d.]+) (\d+)/.exec(stderr);
  if (!m) throw new Error(`no timing from ${argv.join(' ')}: ${stderr.slice(-500)}`);
  return { seconds: Number(m[1]), rssMb: Math.round(Number(m[2]) / 1024), stdout };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await new Promise<void>((resolve, reject) => {
  const child = execFile(
    kura[0]!,
    [
      ...kura.slice(1),
      '--profile',
      server.profilePath,
      'login',
      '--username',
      EMAIL,
      '--password-stdin',
    ],
    { env: envs.kura, cwd: root },
    (err) =>
      err
        ? reject(
            new Error(
              `kura login failed (is a keychain available? run through scripts/with-keyring.sh): ${err.message}`,
            ),
          )
        : resolve(),
  );
  child.stdin!.end(`${PASSWORD}\n`);
});

const tools: Record<
  string,
  { get: (dest: string) => string[]; ls: string[]; env: NodeJS.ProcessEnv }
> = {
  kura: {
    get: (d) => [...kura, 'get', `s3://${bucket}/big.bin`, d],
    ls: [...kura, 'ls', '--recursive', `s3://${bucket}/many/`],
    env: envs.kura,
  },
  'aws s3': {
    get: (d) => [
      '/usr/bin/aws',
      '--endpoint-url',
      admin.endpoint,
      's3',
      'cp',
      `s3://${bucket}/big.bin`,
      d,
    ],
    ls: [
      '/usr/bin/aws',
      '--endpoint-url',
      admin.endpoint,
      's3',
      'ls',
      '--recursive',
      `s3://${bucket}/many/`,
    ],
    env: envs.aws,
  },
  rclone: {
    get: (d) => ['rclone', 'copyto', `l:${bucket}/big.bin`, d],
    ls: ['rclone', 'lsf', '-R', `l:${bucket}/many/`],
    env: envs.rclone,
  },
};

const results: Record<
  string,
  { getSeconds: number; getRssMb: number; lsSeconds: number; lsRssMb: number; lsLines: number }
> = {};
for (const [name, t] of Object.entries(tools)) {
  const getTimes: number[] = [];
  const getRss: number[] = [];
  const lsTimes: number[] = [];
  const lsRss: number[] = [];
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    const dest = mkdtempSync(join(tmpdir(), 'kura-bench-dest-'));
    const g = await measure(t.get(join(dest, 'big.bin')), t.env);
    getTimes.push(g.seconds);
    getRss.push(g.rssMb);
    rmSync(dest, { recursive: true, force: true });
    const l = await measure(t.ls, t.env);
    lsTimes.push(l.seconds);
    lsRss.push(l.rssMb);
    lines = l.stdout.trim().split('\n').length;
  }
  if (lines !== objectCount) throw new Error(`${name} listed ${lines} of ${objectCount}`);
  results[name] = {
    getSeconds: median(getTimes),
    getRssMb: Math.max(...getRss),
    lsSeconds: median(lsTimes),
    lsRssMb: Math.max(...lsRss),
    lsLines: lines,
  };
  console.log(name, results[name]);
}
await stop(server.child);
rmSync(dataDir, { recursive: true, force: true });
rmSync(kuraHome, { recursive: true, force: true });

const k = results.kura!;
const rows = Object.entries(results)
  .map(
    ([name, r]) =>
      `| ${name} | ${r.getSeconds.toFixed(2)} s (${(r.getSeconds / k.getSeconds).toFixed(2)}× Kura) | ${r.getRssMb} MB | ${r.lsSeconds.toFixed(2)} s (${(r.lsSeconds / k.lsSeconds).toFixed(2)}× Kura) | ${r.lsRssMb} MB |`,
  )
  .join('\n');
writeResults(
  'kura-cli',
  command,
  { sizeMiB, objectCount, runs, results, goals: { kuraGetRssMb: '< 250', kuraLsFastest: true } },
  `
| tool | get ${sizeMiB} MiB (median of ${runs}) | get peak RSS | ls --recursive ${objectCount} keys | ls peak RSS |
| --- | --- | --- | --- | --- |
${rows}

Goals: Kura's RSS < 250 MB while downloading; \`kura ls --recursive\` fastest. The download engine issue sets the download-speed targets.
`,
);
process.exit(0);

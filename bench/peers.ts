/**
 * What the peer benchmarks share: a local-aws process on a seeded data folder, a Cognito user,
 * the role's credentials for the peers (aws CLI, rclone, curl), Kura's bundled CLI signed in,
 * and a runner that reports wall time, CPU time and peak RSS of a client's process tree from
 * GNU time. Runs inside scripts/with-keyring.sh.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AdminInfo } from '../local-aws/server';
import type { ConnectionProfile } from '../src/shared/profile';
import { root, startLocalAwsProcess, stop } from './lib';
import { roleCredentialsFor } from './roleCredentials';

const run = promisify(execFile);
const EMAIL = 'bench@example.com';
const PASSWORD = 'Bench-Pass-2026!';

export interface Measured {
  /** Wall time. */
  seconds: number;
  /** User + system CPU of the process and every child it waited for (getrusage). */
  cpuSeconds: number;
  /** The largest resident set of any process of the tree (GNU time's %M), MB. */
  rssMb: number;
  stdout: string;
}

/** Runs a command under GNU time. */
export async function measure(argv: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
  const { stderr, stdout } = await run('/usr/bin/time', ['-f', 'KURA_BENCH %e %U %S %M', ...argv], {
    env,
    cwd: root,
    maxBuffer: 512 * 1024 * 1024,
  });
  const m = /KURA_BENCH ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  if (!m) throw new Error(`no timing from ${argv.join(' ')}: ${stderr.slice(-500)}`);
  return {
    seconds: Number(m[1]),
    cpuSeconds: Number(m[2]) + Number(m[3]),
    rssMb: Math.round(Number(m[4]) / 1024),
    stdout,
  };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** local-aws on `dataDir` (seeded beforehand), a signed-in Kura, credentials for the peers. */
export async function startPeers(dataDir: string, bucket: string, serverArgs: string[] = []) {
  // Kura as users run it: the bundled CLI (npm run build:cli), not TypeScript compiled at start.
  const build = spawnSync('npm', ['run', '--silent', 'build:cli'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build:cli failed');
  const server = await startLocalAwsProcess(['--data', dataDir, '--bucket', bucket, ...serverArgs]);
  const admin = JSON.parse(readFileSync(join(dataDir, 'admin.json'), 'utf8')) as AdminInfo;
  const profile = JSON.parse(readFileSync(server.profilePath, 'utf8')) as ConnectionProfile;
  const idp = new CognitoIdentityProviderClient({
    region: profile.region,
    endpoint: admin.endpoint,
    credentials: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey },
  });
  await idp
    .send(
      new AdminCreateUserCommand({
        UserPoolId: profile.userPoolId,
        Username: EMAIL,
        TemporaryPassword: PASSWORD,
        MessageAction: 'SUPPRESS',
      }),
    )
    .catch((err: Error) => {
      // A data folder kept from an earlier run already has the user.
      if (err.name !== 'UsernameExistsException') throw err;
    });
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
    kura: { ...baseEnv, KURA_DATA_DIR: kuraHome },
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
  // The installed `kura` command (bin/kura.mjs), which loads the bundle when it is built.
  const kura = [process.execPath, join(root, 'bin/kura.mjs')];

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

  const adminRequest = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${admin.endpoint}/_local-aws/${path}`, {
      method,
      headers: { authorization: `Bearer ${admin.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const close = async () => {
    await stop(server.child);
    rmSync(kuraHome, { recursive: true, force: true });
  };
  return { server, admin, profile, creds, envs, kura, adminRequest, close };
}

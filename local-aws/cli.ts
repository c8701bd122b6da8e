/**
 * `npm run local-aws -- [--port N] [--data DIR] [--seed demo|none] [--policy whole-bucket|own-prefix|groups]
 *                      [--groups a,b] [--link lan|office|home|region] [--tls] [--proxy-only ADDRESS]`
 * Prints exactly one line, `local-aws ready <profile.json>`, once it listens; runs until
 * SIGINT/SIGTERM, then exits 0.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isLinkPreset, LINK_PRESETS } from './link';
import { GROUP_NAME, GROUP_NAME_RULE } from './iam/roles';
import { POLICY_FILES, startLocalAws } from './server';

function fail(message: string): never {
  process.stderr.write(`local-aws: ${message}\n`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        data: { type: 'string' },
        seed: { type: 'string', default: 'none' },
        policy: { type: 'string', default: 'whole-bucket' },
        groups: { type: 'string' },
        bucket: { type: 'string' },
        'credential-ttl': { type: 'string' },
        'refresh-token-rotation': { type: 'boolean', default: false },
        link: { type: 'string', default: 'lan' },
        mfa: { type: 'string', default: 'OPTIONAL' },
        tls: { type: 'boolean', default: false },
        'proxy-only': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (err) {
    return fail((err as Error).message);
  }
})();

if (values.help) {
  process.stdout.write(
    'usage: npm run local-aws -- [--port N] [--data DIR] [--seed demo|none]\n' +
      '                            [--policy whole-bucket|own-prefix|groups] [--groups NAME,NAME…]\n' +
      '                            [--bucket NAME] [--credential-ttl SECONDS] [--refresh-token-rotation]\n' +
      '                            [--link lan|office|home|region]   emulate a network (latency, rates)\n' +
      "                            [--mfa OFF|OPTIONAL|ON]   the pool's MFA (ON: users set up an authenticator)\n" +
      '                            [--tls]   HTTPS with a CA of its own, written to ca.pem beside profile.json\n' +
      "                            [--proxy-only ADDRESS]   refuse requests not from ADDRESS (a proxy's\n" +
      "                            outgoing address, e.g. squid's tcp_outgoing_address 127.0.0.2)\n" +
      "  Managed login: the pool's domain (sign-in page, OAuth endpoints) and a test OIDC identity\n" +
      '  provider each listen on a port of their own; profile.json and admin.json name them.\n' +
      '  Without --data the state lives in a temporary folder, removed when local-aws stops.\n' +
      '  --policy groups: each user reads their own <identity id>/; each group in --groups (or design\n' +
      '  and sales with --seed demo) gets, as the template deploys them, a user pool group and its\n' +
      '  role KuraGroupRole-<group> reading <group>/, chosen from the ID token (role mapping Token).\n' +
      '  Group names: ' +
      GROUP_NAME_RULE +
      '. `kura admin create-group` makes only the\n' +
      '  user pool group: its role must exist already (POST /_local-aws/group-roles stands in for\n' +
      '  deploying it).\n',
  );
  process.exit(0);
}
if (values['proxy-only'] !== undefined && !/^127(\.\d{1,3}){3}$/.test(values['proxy-only']))
  fail(`--proxy-only must be a loopback address such as 127.0.0.2, not ${values['proxy-only']}`);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be 0-65535, not ${values.port}`);
if (values.seed !== 'demo' && values.seed !== 'none')
  fail(`--seed must be demo or none, not ${values.seed}`);
if (!(values.policy in POLICY_FILES))
  fail(`--policy must be one of ${Object.keys(POLICY_FILES).join(', ')}`);
const groups = values.groups === undefined ? undefined : values.groups.split(',').filter(Boolean);
if (groups && values.policy !== 'groups') fail('--groups needs --policy groups');
for (const g of groups ?? [])
  if (!GROUP_NAME.test(g)) fail(`--groups: "${g}" is not a group name (${GROUP_NAME_RULE})`);
if (!isLinkPreset(values.link))
  fail(`--link must be one of ${Object.keys(LINK_PRESETS).join(', ')}, not ${values.link}`);
if (!['OFF', 'OPTIONAL', 'ON'].includes(values.mfa))
  fail(`--mfa must be OFF, OPTIONAL or ON, not ${values.mfa}`);
const ttl = values['credential-ttl'] === undefined ? undefined : Number(values['credential-ttl']);
if (ttl !== undefined && !(ttl > 0)) fail('--credential-ttl must be a positive number of seconds');

const aws = await startLocalAws({
  port,
  dataDir: values.data,
  seed: values.seed,
  policy: values.policy as keyof typeof POLICY_FILES,
  groups,
  bucket: values.bucket,
  credentialTtlSeconds: ttl,
  refreshTokenRotation: values['refresh-token-rotation'],
  mfa: values.mfa as 'OFF' | 'OPTIONAL' | 'ON',
  tls: values.tls,
  ...(values['proxy-only'] ? { proxyOnly: { from: values['proxy-only'] } } : {}),
}).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));

process.stdout.write(`local-aws ready ${aws.profilePath}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  aws.stop().then(
    () => {
      // A temporary stack (no --data) leaves nothing behind: the demo seed alone is 200 MiB.
      if (values.data === undefined) rmSync(aws.dataDir, { recursive: true, force: true });
      process.exit(0);
    },
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

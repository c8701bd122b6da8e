/** What `kura` accepts: the options (parsed once, for every command) and the usage text. */
import type { parseArgs } from 'node:util';

export const OPTIONS = {
  profile: { type: 'string' },
  username: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  sso: { type: 'boolean' },
  provider: { type: 'string' },
  'no-browser': { type: 'boolean' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  limit: { type: 'string' },
  recursive: { type: 'boolean', short: 'r' },
  discard: { type: 'boolean' },
  everywhere: { type: 'boolean' },
  // A flag: the password itself is asked for or read from stdin, never taken from the
  // command line (shell history, `ps`, npm's debug log keep command lines).
  'temporary-password': { type: 'boolean' },
  invite: { type: 'boolean' },
  'role-arn': { type: 'string' },
  precedence: { type: 'string' },
  description: { type: 'string' },
  stack: { type: 'string' },
  region: { type: 'string' },
  out: { type: 'string' },
  to: { type: 'string' },
  proxy: { type: 'string' },
  'proxy-pac': { type: 'string' },
  'wait-network': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} satisfies NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** The parsed options (every one optional). */
export type CliOptions = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

export const USAGE = `usage: kura [--profile FILE] <command>
  login [--username U] [--password-stdin]   sign in (asks for a new password or an MFA code when needed)
  login --sso [--provider NAME] [--no-browser]   sign in with your organisation's account in the
                                            browser (--no-browser: print the URL to open instead)
  mfa [status | setup | remove]             your authenticator app (two-step verification)
  whoami [--json]                           who is signed in
  locations [--json]                        the places you can open (your home, your groups' folders …)
  ls [s3://bucket/prefix/] [--recursive] [--json]   (no URI: the locations)
  get s3://bucket/key [DEST]                download one file (DEST: a folder or a new file name)
  get --recursive s3://bucket/prefix/ DESTDIR   (DESTDIR is created when missing)
                                            interrupted? the same command again resumes it;
                                            with --discard it deletes what was kept instead
  history [--json | --csv] [--limit N]      the verified downloads, newest first
  logout [--everywhere]                     sign out (everywhere: all devices)
  --version                                 Kura's version, and which code verifies downloads' CRC64NVME
network (any command):
  --proxy URL                               use this proxy (default: HTTPS_PROXY / HTTP_PROXY / NO_PROXY)
  --proxy-pac FILE|URL                      pick the proxy per URL with this PAC file
  --wait-network SECONDS                    when the servers cannot be reached, wait for them (retrying
                                            with backoff) up to SECONDS, then fail
administrators (their own AWS credentials, from the usual chain):
  admin create-user EMAIL [--temporary-password] [--invite]
                                            (--temporary-password: asks for it, or reads stdin)
  admin list-users [--json]
  admin disable-user EMAIL | admin enable-user EMAIL
  admin reset-password EMAIL [--temporary-password]
  admin sign-out EMAIL                      sign the user out everywhere
  admin create-group NAME [--role-arn ARN] [--precedence N] [--description TEXT]
  admin list-groups [--json]
  admin add-to-group EMAIL GROUP | admin remove-from-group EMAIL GROUP
  admin profile --stack NAME [--region R] [--out FILE]   the connection profile from the stack
  admin publish-release DIR [--to s3://bucket/prefix/]
                                            upload electron-builder's output (installers and
                                            latest*.yml) to the profile's "updates" folder`;

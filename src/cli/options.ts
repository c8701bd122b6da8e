/** What `kura` accepts: the options (parsed once, for every command) and the usage text. */
import type { parseArgs } from 'node:util';
import { say } from './terminal';

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

/** The usage text, in the terminal's language. */
export const USAGE = say.usage;

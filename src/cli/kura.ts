/**
 * `kura` — the command-line front end over the same main-process services and the same
 * keychain session as the app. Errors: one line on stderr and a non-zero exit code. Progress on
 * a terminal, quiet when piped.
 *
 *   kura [--profile FILE] login [--username U] [--password-stdin]
 *   kura login --sso [--provider NAME] [--no-browser]
 *   kura mfa [status | setup | remove]
 *   kura whoami [--json]
 *   kura locations [--json]
 *   kura ls [s3://bucket/prefix/] [--recursive] [--json]
 *   kura get [--discard] s3://bucket/key [DEST]
 *   kura get [--discard] --recursive s3://bucket/prefix/ DESTDIR
 *   kura history [--json | --csv] [--limit N]
 *   kura logout [--everywhere]
 *
 * Network options (any command): --proxy URL, --proxy-pac FILE|URL, --wait-network SECONDS;
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured as curl does.
 */
import { parseArgs } from 'node:util';
import { errorMessage } from '../shared/errors';
import { KuraError } from '../main/services/kuraError';
// Start-up: every command's module is loaded at start, so each imports at its top only what
// every command loads anyway (the core, the session, storage); what only it needs (the download
// engine and queue, the receipts, the administrators' AWS clients, the authenticator's QR code,
// the PAC engine) it imports inside, when it runs — `kura ls` does not load it.
import { admin } from './commands/admin';
import { get } from './commands/get';
import { history } from './commands/history';
import { locations } from './commands/locations';
import { login } from './commands/login';
import { logout } from './commands/logout';
import { ls } from './commands/ls';
import { mfa } from './commands/mfa';
import { whoami } from './commands/whoami';
import { createContext, type Command } from './context';
import { OPTIONS, USAGE } from './options';
import { printable } from './printable';
import { endProgress } from './progress';
import {
  exit,
  EXIT_ERROR,
  EXIT_INTERRUPTED,
  EXIT_USAGE,
  Interrupted,
  lang,
  say,
  UsageError,
} from './terminal';

const COMMANDS: Record<string, Command> = {
  login,
  mfa,
  whoami,
  locations,
  ls,
  get,
  history,
  logout,
  admin,
};

// The AWS SDK prints an 8-line notice to stderr on Node < 22 at every client it makes; a
// command's output must stay its own (errors one line). Kura itself says which Node it needs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `kura ls … | head`: the reader went away. That ends the command, quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 1));
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: OPTIONS,
  });
  const [command, ...rest] = positionals;
  if (values.version) {
    const { versionLine } = await import('./version');
    process.stdout.write(versionLine() + '\n');
    return 0;
  }
  if (values.help || !command) {
    process.stdout.write(USAGE + '\n');
    return values.help ? 0 : EXIT_USAGE;
  }
  const context = await createContext(command, values);
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) throw new UsageError(say.usageErrors.unknownCommand(command));
  return run(context, rest);
}

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (err: unknown) => {
    endProgress();
    if (err instanceof Interrupted) return exit(EXIT_INTERRUPTED);
    if (
      err instanceof UsageError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`kura: ${printable((err as Error).message)}\n${USAGE}\n`);
      return exit(EXIT_USAGE);
    }
    const view =
      err instanceof KuraError
        ? err.toView()
        : { code: 'UNKNOWN' as const, detail: (err as Error).message };
    // The app's window never shows an unexpected error's technical text; an administrator at a
    // terminal gets it in brackets, to search for or to report.
    const technical = view.code === 'UNKNOWN' && view.detail ? ` (${view.detail})` : '';
    process.stderr.write(`kura: ${printable(errorMessage(view, lang) + technical)}\n`);
    return exit(EXIT_ERROR);
  },
);

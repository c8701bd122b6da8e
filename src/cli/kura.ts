/**
 * `kura` — the command-line front end over the same main-process services and the same
 * keychain session as the app. Errors: one line on stderr and a non-zero exit code. Progress on
 * a terminal, quiet when piped.
 *
 *   kura [--profile FILE] login [--username U] [--password-stdin]
 *   kura whoami [--json]
 *   kura locations [--json]
 *   kura ls [s3://bucket/prefix/] [--recursive] [--json]
 *   kura get [--discard] s3://bucket/key [DEST]
 *   kura get [--discard] --recursive s3://bucket/prefix/ DESTDIR
 *   kura history [--json | --csv] [--limit N]
 *   kura logout [--everywhere]
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { errorMessage, type Language } from '../shared/errors';
import { publishReleaseCommand } from './publishRelease';
import { formatBytes } from '../shared/format';
import type { SessionView } from '../shared/ipc';
import { defaultDataDir } from '../main/services/appPaths';
import { KuraCore } from '../main/services/kuraCore';
import { KuraError } from '../main/services/kuraError';
import { parseProfile } from '../main/services/profile';
import {
  KEYCHAIN_PROBLEM_TEXT,
  KeychainSecretStore,
  openSecretStore,
  type KeychainProblem,
} from '../main/services/secretStore';
import type { EngineOptions } from '../main/services/download/objectDownload';
import type { DownloadProgress } from '../main/services/storage';
// Start-up: what only some commands need (the download engine and queue, the receipts, the
// administrators' AWS clients) is imported by those commands, so `kura ls` does not load it.
import { printable } from './printable';

const EXIT_ERROR = 1;
const EXIT_USAGE = 2;
const EXIT_SKIPPED = 3;
const EXIT_INTERRUPTED = 130;

const USAGE = `usage: kura [--profile FILE] <command>
  login [--username U] [--password-stdin]   sign in (asks for a new password or an MFA code when needed)
  whoami [--json]                           who is signed in
  locations [--json]                        the places you can open (your home, your groups' folders …)
  ls [s3://bucket/prefix/] [--recursive] [--json]   (no URI: the locations)
  get s3://bucket/key [DEST]                download one file (DEST: a folder or a new file name)
  get --recursive s3://bucket/prefix/ DESTDIR   (DESTDIR is created when missing)
                                            interrupted? the same command again resumes it;
                                            with --discard it deletes what was kept instead
  history [--json | --csv] [--limit N]      the verified downloads, newest first
  logout [--everywhere]                     sign out (everywhere: all devices)
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

class UsageError extends Error {}

// The AWS SDK prints an 8-line notice to stderr on Node < 22 at every client it makes; a
// command's output must stay its own (errors one line). Kura itself says which Node it needs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `kura ls … | head`: the reader went away. That ends the command, quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 1));
}

const lang: Language = /^ja/i.test(
  process.env.KURA_LANG ?? process.env.LC_ALL ?? process.env.LANG ?? '',
)
  ? 'ja'
  : 'en';
const interactive = process.stdin.isTTY === true;
const stderrTty = process.stderr.isTTY === true;

// ----------------------------------------------------------------- input

let stdinLines: AsyncIterator<string> | null = null;
async function readStdinLine(): Promise<string> {
  stdinLines ??= createInterface({ input: process.stdin, crlfDelay: Infinity })[
    Symbol.asyncIterator
  ]();
  const next = await stdinLines.next();
  if (next.done) throw new UsageError('standard input ended before all answers were given');
  return next.value;
}

/** Asks on the terminal (hiding secrets), or reads the next line of a piped stdin. */
async function ask(question: string, secret = false): Promise<string> {
  if (!interactive) return readStdinLine();
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (secret) {
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    out._writeToOutput = (s: string) => {
      if (s.includes(question)) process.stderr.write(question);
    };
  }
  try {
    return await new Promise<string>((done) => rl.question(question, done));
  } finally {
    if (secret) process.stderr.write('\n');
    rl.close();
  }
}

// ----------------------------------------------------------------- output

function progressPrinter() {
  if (!stderrTty) return undefined;
  let last = 0;
  return (p: DownloadProgress & { speed?: number; secondsLeft?: number }) => {
    const now = Date.now();
    if (now - last < 100 && p.bytesDone !== p.bytesTotal) return;
    last = now;
    const pct = p.bytesTotal ? ` ${Math.floor((p.bytesDone / p.bytesTotal) * 100)}%` : '';
    const files = p.filesTotal !== undefined ? ` ${p.filesDone}/${p.filesTotal} files` : '';
    const speed = p.speed !== undefined ? ` ${formatBytes(p.speed)}/s` : '';
    const left =
      p.secondsLeft !== undefined
        ? ` ${Math.floor(p.secondsLeft / 60)}:${String(p.secondsLeft % 60).padStart(2, '0')} left`
        : '';
    process.stderr.write(
      `\r\x1b[K${pct} ${formatBytes(p.bytesDone)}${p.bytesTotal ? ` / ${formatBytes(p.bytesTotal)}` : ''}${files}${speed}${left}`,
    );
  };
}

function endProgress() {
  if (stderrTty) process.stderr.write('\r\x1b[K');
}

function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/s.exec(uri);
  if (!m) throw new UsageError(`not an s3:// URI: ${uri}`);
  return { bucket: m[1]!, key: m[2]! };
}

// ---------------------------------------------------------------- commands

async function signedIn(core: KuraCore) {
  const services = core.active();
  if (services.session.view().status !== 'signedIn') {
    const v = await services.session.restore();
    if (v.status !== 'signedIn')
      throw new KuraError(
        v.status === 'signedOut' && v.reason === 'expired' ? 'SESSION_EXPIRED' : 'NOT_SIGNED_IN',
      );
  }
  return services;
}

async function login(
  core: KuraCore,
  opts: { username?: string; passwordStdin?: boolean },
  keychainProblem?: KeychainProblem,
) {
  if (opts.passwordStdin && interactive)
    throw new UsageError(
      '--password-stdin reads a pipe, and a terminal would show the password: leave it out and kura asks without showing it',
    );
  const { session } = core.active();
  const username = opts.username ?? (await ask('Email: '));
  const password = opts.passwordStdin ? await readStdinLine() : await ask('Password: ', true);
  let view: SessionView = await session.signIn(username, password);
  for (let steps = 0; view.status === 'challenge' && steps < 5; steps++) {
    if (view.challenge === 'newPassword') {
      process.stderr.write(
        'A new password is required (at least 8 characters with upper and lower case, a digit and a symbol).\n',
      );
      const next = await ask('New password: ', true);
      if (interactive && (await ask('Repeat new password: ', true)) !== next)
        throw new UsageError('the two passwords differ');
      const attributes: Record<string, string> = {};
      for (const a of view.requiredAttributes)
        attributes[a.replace(/^userAttributes\./, '')] = await ask(
          `${a.replace(/^userAttributes\./, '')}: `,
        );
      view = await session.completeNewPassword(next, attributes);
    } else {
      const where =
        view.method === 'SMS'
          ? ` sent to ${view.destination ?? 'your phone'}`
          : ' from your authenticator app';
      view = await session.answerMfa(await ask(`Code${where}: `));
    }
  }
  if (view.status !== 'signedIn') throw new KuraError('CHALLENGE_EXPIRED');
  process.stderr.write(`Signed in as ${printable(view.email)}.\n`);
  if (!view.remembered) {
    const why = KEYCHAIN_PROBLEM_TEXT[keychainProblem ?? 'failed'][lang];
    process.stderr.write(
      lang === 'ja'
        ? `キーチェーンを使えません（${why}）。このコマンドが終わるとサインインは保持されません。\n`
        : `No keychain (${why}): you will not stay signed in after this command.\n`,
    );
  }
}

async function whoami(core: KuraCore, json: boolean) {
  const { session, profile } = await signedIn(core);
  const v = session.view();
  if (v.status !== 'signedIn') throw new KuraError('NOT_SIGNED_IN');
  if (json)
    process.stdout.write(
      JSON.stringify({
        email: v.email,
        name: v.name ?? null,
        profile: profile.name,
        remembered: v.remembered,
      }) + '\n',
    );
  else
    process.stdout.write(
      printable(`${v.email}${v.name ? ` (${v.name})` : ''} — ${profile.name}`) + '\n',
    );
}

/** The places the signed-in user can open: `s3://bucket/prefix/<TAB>label`, or JSON. */
async function locations(core: KuraCore, json: boolean) {
  const { access } = await signedIn(core);
  const list = (await access.current().locations()).map((l) => ({
    uri: `s3://${l.bucket}/${l.prefix}`,
    label: l.label,
    bucket: l.bucket,
    prefix: l.prefix,
  }));
  if (json) process.stdout.write(JSON.stringify(list) + '\n');
  else process.stdout.write(list.map((l) => `${l.uri}\t${l.label}\n`).join(''));
  if (list.length === 0 && !json)
    process.stderr.write(`kura: ${errorMessage({ code: 'NO_LOCATIONS' }, lang)}\n`);
}

async function ls(core: KuraCore, uri: string | undefined, recursive: boolean, json: boolean) {
  if (!uri) return locations(core, json);
  const { storage } = await signedIn(core);
  const out = (line: string) => process.stdout.write(line + '\n');
  const { bucket, key: prefix } = parseS3Uri(uri);
  if (recursive) {
    const all: { key: string; size: number; lastModified: number }[] = [];
    let batch = '';
    for await (const o of storage.listRecursive(bucket, prefix)) {
      if (json) all.push({ key: o.key, size: o.size, lastModified: o.lastModified });
      else {
        batch += `${new Date(o.lastModified).toISOString().slice(0, 19).replace('T', ' ')} ${String(o.size).padStart(12)} ${printable(o.key)}\n`;
        if (batch.length > 64 * 1024) {
          process.stdout.write(batch);
          batch = '';
        }
      }
    }
    if (json) out(JSON.stringify(all));
    else process.stdout.write(batch);
    return;
  }
  let token: string | undefined;
  const folders: string[] = [];
  const files: { key: string; size: number; lastModified: number }[] = [];
  do {
    const page = await storage.listFolder(bucket, prefix, token);
    for (const f of page.folders) {
      if (json) folders.push(f.prefix);
      else out(`${''.padStart(19)} ${'DIR'.padStart(12)} ${printable(f.name)}/`);
    }
    for (const f of page.files) {
      if (json) files.push({ key: f.key, size: f.size, lastModified: f.lastModified });
      else
        out(
          `${new Date(f.lastModified).toISOString().slice(0, 19).replace('T', ' ')} ${String(f.size).padStart(12)} ${printable(f.name)}`,
        );
    }
    token = page.continuationToken;
  } while (token);
  if (json) out(JSON.stringify({ folders, files }));
}

interface CliContext {
  dataDir: string;
  json: boolean;
  csv: boolean;
}

const receiptLog = async (c: CliContext) => {
  const { ReceiptLog } = await import('../main/services/download/receipts');
  return new ReceiptLog(join(c.dataDir, 'receipts.jsonl'));
};

/**
 * Downloads through the same persisted transfer queue as the app (a queue file of the CLI's
 * own): run the same command again after Ctrl-C, a crash or a kill, and it goes on from the
 * bytes already on disk; with `--discard` it deletes what the interrupted one kept instead.
 */
async function get(
  core: KuraCore,
  uri: string,
  dest: string | undefined,
  o: { recursive: boolean; discard: boolean },
  c: CliContext,
): Promise<number> {
  const services = await signedIn(core);
  const { bucket, key } = parseS3Uri(uri);
  let kind: 'file' | 'folder' = 'file';
  let target: string;
  let saveAs: string | undefined;
  let ref = key;
  const isFolder = (p: string) => existsSync(p) && statSync(p).isDirectory();
  if (o.recursive) {
    if (!dest) throw new UsageError('get --recursive needs a destination folder');
    target = resolve(dest);
    if (existsSync(target) && !isFolder(target)) throw new UsageError(`not a folder: ${dest}`);
    // Created when missing, as `aws s3 cp --recursive` and rclone do.
    if (!o.discard) mkdirSync(target, { recursive: true });
    kind = 'folder';
    ref = key === '' || key.endsWith('/') ? key : `${key}/`;
  } else {
    if (!key || key.endsWith('/')) throw new UsageError('that is a folder: use get --recursive');
    target = resolve(dest ?? '.');
    if (dest?.endsWith('/') && !existsSync(target) && !o.discard)
      mkdirSync(target, { recursive: true });
    if (!isFolder(target)) {
      saveAs = basename(target);
      target = dirname(target);
      if (!existsSync(target)) throw new UsageError(`folder does not exist: ${target}`);
    }
  }
  const { TransferQueue } = await import('../main/services/transfers');
  const { sweepRecordedPartials } = await import('../main/services/transferStore');
  const queue = new TransferQueue({
    storage: () => services.storage,
    downloadsDir: () => target,
    receipts: await receiptLog(c),
    who: () => ({
      profileId: services.profileId,
      user: services.session.user?.email ?? '',
      sub: services.session.user?.sub ?? '',
    }),
    autoStart: false,
    engine: engineFromEnv(),
    // Partial files a crash left (recorded ones only) go before anything new starts.
    partials: await sweepRecordedPartials(c.dataDir),
  });
  await queue.attach(
    `${services.profileId}/${services.session.user?.sub ?? ''}`,
    join(c.dataDir, 'transfers', `cli-${services.profileId}.json`),
  );
  const earlier = queue
    .unfinished()
    .find(
      (u) =>
        u.kind === kind &&
        u.bucket === bucket &&
        u.key === ref &&
        u.destDir === target &&
        u.saveAs === saveAs,
    );
  if (o.discard) {
    if (earlier) {
      await removeFiles(queue.partialsOf(earlier.id));
      queue.cancel(earlier.id);
    }
    await queue.detach(false);
    process.stderr.write(
      printable(
        earlier
          ? `kura: discarded the interrupted download of ${uri} and what it kept`
          : `kura: no interrupted download of ${uri} to discard`,
      ) + '\n',
    );
    return 0;
  }
  let id: string;
  if (earlier) {
    id = earlier.id;
    if (earlier.state === 'failed') queue.retry(id);
    if (earlier.state === 'paused') queue.resume(id);
    const kept = keptBytes(queue.partialsOf(id));
    process.stderr.write(
      printable(
        kept > 0
          ? `kura: resuming the interrupted download of ${uri} (${formatBytes(kept)} already here)`
          : `kura: starting the interrupted download of ${uri} again`,
      ) + '\n',
    );
  } else {
    id =
      kind === 'folder'
        ? queue.downloadFolder(bucket, ref, target).id
        : queue.downloadFile(bucket, ref, target, saveAs).id;
  }
  const onProgress = progressPrinter();
  queue.onChange((v) => {
    if (v.id === id && v.state === 'running') onProgress?.(v);
  });
  process.once('SIGINT', () => queue.pause(id));
  const v = await queue.runNow(id);
  const path = queue.pathOf(id) ?? target;
  endProgress();
  // A failure nothing can go on from (not found, access denied, a bad name…) leaves no record:
  // the same command later starts afresh instead of "resuming". A network failure keeps its
  // bytes for the next try.
  const resumable = v.state !== 'failed' || v.error?.code === 'NETWORK';
  if (!resumable) {
    await removeFiles(queue.partialsOf(id));
    queue.cancel(id);
  }
  const partials = resumable ? queue.partialsOf(id) : [];
  await queue.detach(false);
  const keptNote = () => {
    const bytes = keptBytes(partials);
    const where =
      partials.length === 1 ? partials[0]! : `${partials.length} files named .kura-….partial`;
    const inFolder = partials.length === 1 ? '' : ` in ${kind === 'folder' ? path : target}`;
    return `${formatBytes(bytes)} kept in ${where}${inFolder}; run the same command again to resume, or add --discard to delete it`;
  };
  if (v.state === 'paused') {
    process.stderr.write(
      printable(partials.length ? `kura: stopped; ${keptNote()}` : 'kura: stopped') + '\n',
    );
    return EXIT_INTERRUPTED;
  }
  if (v.state !== 'done') {
    const e = v.error ? new KuraError(v.error.code, v.error.detail) : new KuraError('UNKNOWN');
    if (partials.length === 0) throw e;
    // Still one line: the error, then what was kept and what to do with it.
    process.stderr.write(
      printable(`kura: ${errorMessage(e.toView(), lang)} — ${keptNote()}`) + '\n',
    );
    return EXIT_ERROR;
  }
  for (const s of v.skipped)
    process.stderr.write(`kura: skipped ${printable(s.key)}: ${printable(s.reason)}\n`);
  if (kind === 'folder') {
    process.stderr.write(
      `${v.filesDone ?? 0} files, ${formatBytes(v.bytesDone)} → ${printable(path)}\n`,
    );
    return v.skipped.length > 0 ? EXIT_SKIPPED : 0;
  }
  if (stderrTty) process.stderr.write(`${formatBytes(v.bytesDone)} → ${printable(path)}\n`);
  else process.stdout.write(printable(path) + '\n');
  return 0;
}

/** Deletes files by name (a link at a name goes, never what it points to). */
async function removeFiles(paths: string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(p, { force: true })));
}

/** Bytes in these (partial) files, those still there. */
function keptBytes(paths: string[]): number {
  return paths.reduce((n, p) => n + (existsSync(p) ? statSync(p).size : 0), 0);
}

/** Test and benchmark knobs for the download engine, as JSON in KURA_ENGINE. */
function engineFromEnv(): Partial<EngineOptions> | undefined {
  const raw = process.env.KURA_ENGINE;
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Partial<EngineOptions>;
  } catch {
    throw new UsageError('KURA_ENGINE is not JSON');
  }
}

/** The download log of the signed-in user: a table, JSON, or CSV. */
async function history(core: KuraCore, c: CliContext, limit?: number): Promise<void> {
  const services = await signedIn(core);
  const { receiptsToCsv } = await import('../main/services/download/receipts');
  const list = await (
    await receiptLog(c)
  ).list({
    profileId: services.profileId,
    sub: services.session.user?.sub ?? '',
    limit,
  });
  if (c.csv) return void process.stdout.write(receiptsToCsv(list));
  if (c.json) return void process.stdout.write(JSON.stringify(list, null, 2) + '\n');
  for (const r of list) {
    const sum = r.checksum ? `${r.checksum.algorithm}:${r.checksum.value}` : 'size-only';
    process.stdout.write(
      `${r.time}\t${r.size}\t${printable(`s3://${r.bucket}/${r.key}`)}\t${sum}\t${printable(r.destination)}\n`,
    );
  }
}

// -------------------------------------------------------------------- main

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      profile: { type: 'string' },
      username: { type: 'string' },
      'password-stdin': { type: 'boolean' },
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
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE + '\n');
    return values.help ? 0 : EXIT_USAGE;
  }
  // Only `login` proves the keychain with a write (to tell the user whether they will stay
  // signed in); the other commands just read the session from it (a keychain that fails to read
  // means "not signed in", as before), which saves three keychain round trips at every start.
  const {
    store,
    problem,
    kind: keychainKind,
  } = command === 'login'
    ? await openSecretStore()
    : { store: new KeychainSecretStore(), problem: undefined, kind: undefined };
  const context: CliContext = {
    dataDir: defaultDataDir(),
    json: values.json ?? false,
    csv: values.csv ?? false,
  };
  const core = new KuraCore({
    dataDir: context.dataDir,
    secrets: store,
    keychainProblem: problem,
  });
  if (values.profile) core.profiles.add(parseProfile(readFileSync(values.profile, 'utf8')));
  switch (command) {
    case 'login':
      await login(
        core,
        { username: values.username, passwordStdin: values['password-stdin'] },
        keychainKind,
      );
      return 0;
    case 'whoami':
      await whoami(core, values.json ?? false);
      return 0;
    case 'locations':
      await locations(core, values.json ?? false);
      return 0;
    case 'ls':
      await ls(core, rest[0], values.recursive ?? false, values.json ?? false);
      return 0;
    case 'get':
      if (!rest[0]) throw new UsageError('get needs an s3:// URI');
      return get(
        core,
        rest[0],
        rest[1],
        { recursive: values.recursive ?? false, discard: values.discard ?? false },
        context,
      );
    case 'history': {
      const limit = values.limit === undefined ? undefined : Number(values.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
        throw new UsageError('--limit needs a positive whole number');
      await history(core, context, limit);
      return 0;
    }
    case 'logout': {
      const { session } = core.active();
      await session.restore().catch(() => undefined);
      await session.signOut(values.everywhere ?? false);
      process.stderr.write('Signed out.\n');
      return 0;
    }
    case 'admin':
      return admin(core, rest, values);
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

async function admin(
  core: KuraCore,
  [sub, email, ...extra]: string[],
  o: {
    json?: boolean;
    'temporary-password'?: boolean;
    invite?: boolean;
    stack?: string;
    region?: string;
    out?: string;
    'role-arn'?: string;
    precedence?: string;
    description?: string;
    to?: string;
  },
): Promise<number> {
  if (sub === 'publish-release') return publishReleaseCommand(core, email, o.to);
  if (extra.length > 0 && !['add-to-group', 'remove-from-group'].includes(sub ?? '')) {
    // Most likely a password after --temporary-password: never echo it back.
    throw new UsageError(
      `admin ${sub} takes one EMAIL; --temporary-password asks for the password (or reads it from standard input)`,
    );
  }
  const group = extra[0];
  const { cloudFormationClient, profileFromStack, UserAdmin } = await import('./admin');
  if (sub === 'profile') {
    if (!o.stack) throw new UsageError('admin profile needs --stack NAME');
    const profile = await profileFromStack(cloudFormationClient(o.region), o.stack);
    const text = JSON.stringify(profile, null, 2) + '\n';
    if (o.out) {
      writeFileSync(o.out, text, { flag: 'wx' });
      process.stderr.write(`Wrote ${o.out}: hand it to your users (it holds no secret).\n`);
    } else process.stdout.write(text);
    return 0;
  }
  const active = core.profiles.active();
  if (!active) throw new KuraError('NO_PROFILE');
  const users = new UserAdmin(active.profile);
  const needEmail = () => {
    if (!email) throw new UsageError(`admin ${sub} needs an EMAIL`);
    return email;
  };
  switch (sub) {
    case 'create-user': {
      const u = await users.createUser(needEmail(), {
        temporaryPassword: await temporaryPassword(o['temporary-password']),
        invite: o.invite ?? false,
      });
      process.stderr.write(
        o.invite
          ? `Created ${printable(u.email)}; the invitation with a temporary password was emailed.\n`
          : `Created ${printable(u.email)} (${u.status}); they must choose a new password at first sign-in.\n`,
      );
      return 0;
    }
    case 'list-users': {
      const list = await users.listUsers();
      if (o.json) process.stdout.write(JSON.stringify(list) + '\n');
      else
        for (const u of list)
          process.stdout.write(
            `${printable(u.email)}\t${u.status}\t${u.enabled ? 'enabled' : 'disabled'}\t${u.created}\n`,
          );
      return 0;
    }
    case 'disable-user':
    case 'enable-user':
      await users.setEnabled(needEmail(), sub === 'enable-user');
      return 0;
    case 'reset-password':
      await users.resetPassword(needEmail(), await temporaryPassword(o['temporary-password']));
      return 0;
    case 'sign-out':
      await users.signOutEverywhere(needEmail());
      return 0;
    case 'create-group': {
      const name = email;
      if (!name) throw new UsageError('admin create-group needs a NAME');
      const precedence = o.precedence === undefined ? undefined : Number(o.precedence);
      if (precedence !== undefined && !(Number.isInteger(precedence) && precedence >= 0))
        throw new UsageError('--precedence needs a whole number, 0 or more');
      await users.createGroup(name, {
        roleArn: o['role-arn'],
        precedence,
        description: o.description,
      });
      process.stderr.write(
        o['role-arn']
          ? `Created the group ${name}; its members get the role ${o['role-arn']}.\n`
          : `Created the group ${name} (no role: it grants no folder).\n`,
      );
      // A role the profile does not know as a group's: say what it must also grant.
      const role = o['role-arn'];
      if (role && !active.profile.locations?.some((l) => l.roleArn === role))
        process.stderr.write(
          `kura: ${errorMessage({ code: 'GROUP_ROLE_NOT_IN_PROFILE', detail: role }, lang)}\n`,
        );
      return 0;
    }
    case 'list-groups': {
      const list = await users.listGroups();
      if (o.json) process.stdout.write(JSON.stringify(list) + '\n');
      else
        for (const g of list)
          process.stdout.write(`${g.name}\t${g.roleArn ?? '-'}\t${g.precedence ?? '-'}\n`);
      return 0;
    }
    case 'add-to-group':
    case 'remove-from-group': {
      if (!email || !group) throw new UsageError(`admin ${sub} needs an EMAIL and a GROUP`);
      await users.setMembership(email, group, sub === 'add-to-group');
      process.stderr.write(
        sub === 'add-to-group'
          ? `Added ${email} to ${group}: it takes effect as their ID token renews (within an hour).\n`
          : `Removed ${email} from ${group}: it takes effect as their ID token and AWS credentials renew (each lasts at most an hour).\n`,
      );
      return 0;
    }
    default:
      throw new UsageError(`unknown admin command: ${sub ?? '(none)'}`);
  }
}

/** The temporary password an administrator sets: asked twice on a terminal (not shown), or stdin's next line. */
async function temporaryPassword(wanted: boolean | undefined): Promise<string | undefined> {
  if (!wanted) return undefined;
  const password = await ask('Temporary password: ', true);
  if (interactive && (await ask('Repeat temporary password: ', true)) !== password)
    throw new UsageError('the two passwords differ');
  if (!password) throw new UsageError('the temporary password is empty');
  return password;
}

/** Exits once everything written to stdout and stderr has been flushed (pipes are async). */
async function exit(code: number): Promise<never> {
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (err: unknown) => {
    endProgress();
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

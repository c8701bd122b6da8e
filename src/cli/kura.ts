/**
 * `kura` — the command-line front end over the same main-process services and the same
 * keychain session as the app. Errors: one line on stderr and a non-zero exit code. Progress on
 * a terminal, quiet when piped.
 *
 *   kura [--profile FILE] login [--username U] [--password-stdin]
 *   kura whoami [--json]
 *   kura ls [s3://bucket/prefix/] [--recursive] [--json]
 *   kura get s3://bucket/key [DEST]
 *   kura get --recursive s3://bucket/prefix/ DESTDIR
 *   kura history [--json | --csv] [--limit N]
 *   kura logout [--everywhere]
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { errorMessage, type Language } from '../shared/errors';
import { cloudFormationClient, profileFromStack, UserAdmin } from './admin';
import { formatBytes } from '../shared/format';
import type { SessionView } from '../shared/ipc';
import { defaultDataDir } from '../main/services/appPaths';
import { KuraCore } from '../main/services/kuraCore';
import { KuraError } from '../main/services/kuraError';
import { parseProfile } from '../main/services/profile';
import { openSecretStore } from '../main/services/secretStore';
import type { EngineOptions } from '../main/services/download/objectDownload';
import { ReceiptLog, receiptsToCsv } from '../main/services/download/receipts';
import type { DownloadProgress } from '../main/services/storage';
import { TransferQueue } from '../main/services/transfers';

const EXIT_ERROR = 1;
const EXIT_USAGE = 2;
const EXIT_SKIPPED = 3;
const EXIT_INTERRUPTED = 130;

const USAGE = `usage: kura [--profile FILE] <command>
  login [--username U] [--password-stdin]   sign in (asks for a new password or an MFA code when needed)
  whoami [--json]                           who is signed in
  ls [s3://bucket/prefix/] [--recursive] [--json]
  get s3://bucket/key [DEST]                download one file (DEST: a folder or a new file name)
  get --recursive s3://bucket/prefix/ DESTDIR
                                            (interrupted? run the same command again to resume)
  history [--json | --csv] [--limit N]      the verified downloads, newest first
  logout [--everywhere]                     sign out (everywhere: all devices)
administrators (their own AWS credentials, from the usual chain):
  admin create-user EMAIL [--temporary-password P] [--invite]
  admin list-users [--json]
  admin disable-user EMAIL | admin enable-user EMAIL
  admin reset-password EMAIL [--temporary-password P]
  admin sign-out EMAIL                      sign the user out everywhere
  admin profile --stack NAME [--region R] [--out FILE]   the connection profile from the stack`;

class UsageError extends Error {}

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
  keychainProblem?: string,
) {
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
  process.stderr.write(`Signed in as ${view.email}.\n`);
  if (!view.remembered) {
    process.stderr.write(
      `No usable keychain${keychainProblem ? ` (${keychainProblem})` : ''}: you will not stay signed in after this command.\n`,
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
  else process.stdout.write(`${v.email}${v.name ? ` (${v.name})` : ''} — ${profile.name}\n`);
}

async function ls(core: KuraCore, uri: string | undefined, recursive: boolean, json: boolean) {
  const { storage } = await signedIn(core);
  const out = (line: string) => process.stdout.write(line + '\n');
  if (!uri) {
    const buckets = await storage.listBuckets();
    if (json) out(JSON.stringify(buckets));
    else for (const b of buckets) out(`s3://${b.name}/`);
    return;
  }
  const { bucket, key: prefix } = parseS3Uri(uri);
  if (recursive) {
    const all: { key: string; size: number; lastModified: number }[] = [];
    let batch = '';
    for await (const o of storage.listRecursive(bucket, prefix)) {
      if (json) all.push({ key: o.key, size: o.size, lastModified: o.lastModified });
      else {
        batch += `${new Date(o.lastModified).toISOString().slice(0, 19).replace('T', ' ')} ${String(o.size).padStart(12)} ${o.key}\n`;
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
      else out(`${''.padStart(19)} ${'DIR'.padStart(12)} ${f.name}/`);
    }
    for (const f of page.files) {
      if (json) files.push({ key: f.key, size: f.size, lastModified: f.lastModified });
      else
        out(
          `${new Date(f.lastModified).toISOString().slice(0, 19).replace('T', ' ')} ${String(f.size).padStart(12)} ${f.name}`,
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

const receiptLog = (c: CliContext) => new ReceiptLog(join(c.dataDir, 'receipts.jsonl'));

/**
 * Downloads through the same persisted transfer queue as the app (a queue file of the CLI's
 * own): run the same command again after Ctrl-C, a crash or a kill, and it goes on from the
 * bytes already on disk.
 */
async function get(
  core: KuraCore,
  uri: string,
  dest: string | undefined,
  recursive: boolean,
  c: CliContext,
): Promise<number> {
  const services = await signedIn(core);
  const { bucket, key } = parseS3Uri(uri);
  let kind: 'file' | 'folder' = 'file';
  let target: string;
  let saveAs: string | undefined;
  let ref = key;
  if (recursive) {
    if (!dest) throw new UsageError('get --recursive needs a destination folder');
    target = resolve(dest);
    if (!existsSync(target) || !statSync(target).isDirectory())
      throw new UsageError(`not a folder: ${dest}`);
    kind = 'folder';
    ref = key === '' || key.endsWith('/') ? key : `${key}/`;
  } else {
    if (!key || key.endsWith('/')) throw new UsageError('that is a folder: use get --recursive');
    target = resolve(dest ?? '.');
    if (!existsSync(target) || !statSync(target).isDirectory()) {
      saveAs = basename(target);
      target = dirname(target);
      if (!existsSync(target)) throw new UsageError(`folder does not exist: ${target}`);
    }
  }
  const queue = new TransferQueue({
    storage: () => services.storage,
    downloadsDir: () => target,
    receipts: receiptLog(c),
    who: () => ({ profileId: services.profileId, user: services.session.user?.email ?? '' }),
    autoStart: false,
    engine: engineFromEnv(),
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
  let id: string;
  if (earlier) {
    id = earlier.id;
    if (earlier.state === 'failed') queue.retry(id);
    if (earlier.state === 'paused') queue.resume(id);
    process.stderr.write(`kura: resuming the interrupted download of ${uri}\n`);
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
  await queue.detach(false);
  if (v.state === 'paused') {
    process.stderr.write('kura: stopped; run the same command again to resume.\n');
    return EXIT_INTERRUPTED;
  }
  if (v.state !== 'done') {
    throw v.error ? new KuraError(v.error.code, v.error.detail) : new KuraError('UNKNOWN');
  }
  for (const s of v.skipped) process.stderr.write(`kura: skipped ${s.key}: ${s.reason}\n`);
  if (kind === 'folder') {
    process.stderr.write(`${v.filesDone ?? 0} files, ${formatBytes(v.bytesDone)} → ${path}\n`);
    return v.skipped.length > 0 ? EXIT_SKIPPED : 0;
  }
  if (stderrTty) process.stderr.write(`${formatBytes(v.bytesDone)} → ${path}\n`);
  else process.stdout.write(path + '\n');
  return 0;
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
  const list = await receiptLog(c).list({
    profileId: services.profileId,
    user: services.session.user?.email ?? '',
    limit,
  });
  if (c.csv) return void process.stdout.write(receiptsToCsv(list));
  if (c.json) return void process.stdout.write(JSON.stringify(list, null, 2) + '\n');
  for (const r of list) {
    const sum = r.checksum ? `${r.checksum.algorithm}:${r.checksum.value}` : 'size-only';
    process.stdout.write(
      `${r.time}\t${r.size}\ts3://${r.bucket}/${r.key}\t${sum}\t${r.destination}\n`,
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
      everywhere: { type: 'boolean' },
      'temporary-password': { type: 'string' },
      invite: { type: 'boolean' },
      stack: { type: 'string' },
      region: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE + '\n');
    return values.help ? 0 : EXIT_USAGE;
  }
  const { store, problem } = await openSecretStore();
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
        problem,
      );
      return 0;
    case 'whoami':
      await whoami(core, values.json ?? false);
      return 0;
    case 'ls':
      await ls(core, rest[0], values.recursive ?? false, values.json ?? false);
      return 0;
    case 'get':
      if (!rest[0]) throw new UsageError('get needs an s3:// URI');
      return get(core, rest[0], rest[1], values.recursive ?? false, context);
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
  [sub, email]: string[],
  o: {
    json?: boolean;
    'temporary-password'?: string;
    invite?: boolean;
    stack?: string;
    region?: string;
    out?: string;
  },
): Promise<number> {
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
        temporaryPassword: o['temporary-password'],
        invite: o.invite ?? false,
      });
      process.stderr.write(
        o.invite
          ? `Created ${u.email}; the invitation with a temporary password was emailed.\n`
          : `Created ${u.email} (${u.status}); they must choose a new password at first sign-in.\n`,
      );
      return 0;
    }
    case 'list-users': {
      const list = await users.listUsers();
      if (o.json) process.stdout.write(JSON.stringify(list) + '\n');
      else
        for (const u of list)
          process.stdout.write(
            `${u.email}\t${u.status}\t${u.enabled ? 'enabled' : 'disabled'}\t${u.created}\n`,
          );
      return 0;
    }
    case 'disable-user':
    case 'enable-user':
      await users.setEnabled(needEmail(), sub === 'enable-user');
      return 0;
    case 'reset-password':
      await users.resetPassword(needEmail(), o['temporary-password']);
      return 0;
    case 'sign-out':
      await users.signOutEverywhere(needEmail());
      return 0;
    default:
      throw new UsageError(`unknown admin command: ${sub ?? '(none)'}`);
  }
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
      process.stderr.write(`kura: ${(err as Error).message}\n${USAGE}\n`);
      return exit(EXIT_USAGE);
    }
    const view =
      err instanceof KuraError
        ? err.toView()
        : { code: 'UNKNOWN' as const, detail: (err as Error).message };
    // The app's window never shows an unexpected error's technical text; an administrator at a
    // terminal gets it in brackets, to search for or to report.
    const technical = view.code === 'UNKNOWN' && view.detail ? ` (${view.detail})` : '';
    process.stderr.write(`kura: ${errorMessage(view, lang)}${technical}\n`);
    return exit(EXIT_ERROR);
  },
);

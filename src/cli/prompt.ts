/** Questions on the terminal (secrets not shown), or the next lines of a piped stdin. */
import { createInterface } from 'node:readline';
import { interactive, say, UsageError } from './terminal';

let stdinLines: AsyncIterator<string> | null = null;
export async function readStdinLine(): Promise<string> {
  stdinLines ??= createInterface({ input: process.stdin, crlfDelay: Infinity })[
    Symbol.asyncIterator
  ]();
  const next = await stdinLines.next();
  if (next.done) throw new UsageError(say.usageErrors.stdinEnded);
  return next.value;
}

/** Asks on the terminal (hiding secrets), or reads the next line of a piped stdin. */
export async function ask(question: string, secret = false): Promise<string> {
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

/** A password someone chooses: asked twice on a terminal (not shown), or stdin's next line once. */
export async function askNewPassword(question: string, repeat: string): Promise<string> {
  const password = await ask(question, true);
  if (interactive && (await ask(repeat, true)) !== password)
    throw new UsageError(say.usageErrors.passwordsDiffer);
  return password;
}

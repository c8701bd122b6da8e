import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function start(args: string[]) {
  const child = spawn(tsx, [join(root, 'local-aws', 'cli.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      lines.push(l);
      if (lines.length === 1) resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  firstLine.catch(() => undefined); // awaited only by tests that expect the server to start
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, firstLine, exited, lines, stderr: () => stderr };
}

describe('npm run local-aws', () => {
  it('prints one ready line with the profile path, serves, and exits 0 on SIGTERM', async () => {
    const data = mkdtempSync(join(tmpdir(), 'local-aws-cli-'));
    const run = start(['--port', '0', '--data', data]);
    const line = await run.firstLine;
    expect(line).toBe(`local-aws ready ${join(data, 'profile.json')}`);
    const profile = JSON.parse(readFileSync(join(data, 'profile.json'), 'utf8')) as {
      endpoints: { s3: string };
    };
    expect(profile.endpoints.s3).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(join(data, 'admin.json'))).toBe(true);
    const res = await fetch(`${profile.endpoints.s3}/`);
    expect(res.status).toBe(403); // anonymous ListBuckets
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.lines).toHaveLength(1);
    expect(existsSync(join(data, 'state.json'))).toBe(true); // --data is the user's: kept
  });

  it('without --data, keeps its state in a temporary folder and removes it when it stops', async () => {
    const run = start(['--port', '0', '--seed', 'demo']);
    const profilePath = (await run.firstLine).replace(/^local-aws ready /, '');
    expect(existsSync(profilePath)).toBe(true);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(existsSync(dirname(profilePath))).toBe(false);
  });

  it('refuses a bad argument with a one-line error and exit code 2', async () => {
    const run = start(['--seed', 'everything']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toBe('local-aws: --seed must be demo or none, not everything\n');
  });

  it.each(['Design', '..', 'a_b'])(
    'refuses the group name %s, as the template does (1-32 lowercase letters, digits, hyphens)',
    async (name) => {
      const run = start(['--policy', 'groups', '--groups', `design,${name}`]);
      expect(await run.exited).toBe(2);
      expect(run.stderr()).toBe(
        `local-aws: --groups: "${name}" is not a group name (1-32 lowercase letters, digits and hyphens, as the template allows)\n`,
      );
    },
  );
});

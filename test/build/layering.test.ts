/**
 * The layering of issue #17 is a lint rule (eslint.config.js, `kura/layering`), and each of its
 * layers is shown to refuse a deliberate crossing: test/lint/fixtures holds one file per
 * crossing (`*.crossing.ts`) and per allowed shape (`*.allowed.ts`), each naming on its first
 * line the source file whose place it takes. ESLint lints the fixture's text as that file (its
 * imports resolve from that folder), with the repository's own config.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const fixtures = join(root, 'test/lint/fixtures');
const eslint = new ESLint({ cwd: root });

function fixture(name: string) {
  const text = readFileSync(join(fixtures, name), 'utf8');
  const as = /^\/\/ Lint as: (\S+)/.exec(text)?.[1];
  if (!as) throw new Error(`${name} does not say which file it stands for`);
  return { text, filePath: join(root, as) };
}
async function layeringMessages(name: string) {
  const { text, filePath } = fixture(name);
  const [result] = await eslint.lintText(text, { filePath });
  const fatal = result!.messages.filter((m) => m.fatal);
  expect(fatal, name).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'kura/layering').map((m) => m.message);
}

const names = readdirSync(fixtures);
const crossings = names.filter((n) => n.endsWith('.crossing.ts'));
const allowed = names.filter((n) => n.endsWith('.allowed.ts'));

describe('layering lint rule (#17)', () => {
  it('has a fixture for every layer it names', () => {
    for (const prefix of [
      'services-to-app',
      'services-to-shell',
      'services-to-browserTransport',
      'services-to-cli',
      'renderer-to-preload',
      'renderer-to-main',
      'src-to-e2e',
      'src-to-bench',
      'src-to-local-aws',
      'src-to-test',
      'src-to-scripts',
      'browserTransport-to-shell',
      'app-to-shell',
      'services-to-compose',
      'app-to-compose',
      'compose-to-shell',
      'compose-to-cli',
    ])
      expect(crossings).toContain(`${prefix}.crossing.ts`);
    expect(allowed.length).toBeGreaterThanOrEqual(6);
  });

  it.each(crossings)('refuses the crossing in %s', async (name) => {
    const messages = await layeringMessages(name);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/may not import .*\(layering, #17\)/);
  });

  it.each(allowed)('lets the imports of %s through', async (name) => {
    expect(await layeringMessages(name)).toEqual([]);
  });

  it('names the file, the target and the reason', async () => {
    const [message] = await layeringMessages('services-to-app.crossing.ts');
    expect(message).toBe(
      'src/main/services/openPolicy.ts may not import src/main/app/rendererApi: services are the plain-Node core; the composition builds them and the app, the shell, the browser transport and the CLI use them, never the other way round (layering, #17).',
    );
  });

  it('keeps the fixtures out of the normal lint run', async () => {
    for (const name of names) expect(await eslint.isPathIgnored(join(fixtures, name))).toBe(true);
  });
});

/**
 * The lint rules that hold the security boundary stay meaningful: `openPath` is refused wherever
 * it is written, and the only place it is allowed is the one reviewed line in the Electron shell
 * (src/main/shell/desktop.ts: openFile, for a download main verified — see
 * docs/security-decisions.md), excused for that line alone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });
const ruleIds = async (text: string, filePath: string) =>
  (await eslint.lintText(text, { filePath }))[0]!.messages.map((m) => m.ruleId);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

describe('lint rules', () => {
  it('refuses openPath in the services, the renderer and the shell alike', async () => {
    const call = "export const f = (s: { openPath(p: string): void }) => s.openPath('x');\n";
    for (const file of [
      'src/main/services/openPolicy.ts',
      'src/main/app/rendererApi.ts',
      'src/renderer/api.ts',
      'src/main/shell/main.ts',
    ])
      expect(await ruleIds(call, file), file).toContain('no-restricted-syntax');
  });

  it('allows openPath only on the one reviewed line of the shell, and only that line', async () => {
    const uses = sourceFiles(join(root, 'src')).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ f: f.slice(root.length), line, i }))
        .filter((x) => /\.openPath\b/.test(x.line)),
    );
    expect(uses.map((u) => u.f)).toEqual(['src/main/shell/desktop.ts']);
    const file = join(root, 'src/main/shell/desktop.ts');
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    expect(lines[uses[0]!.i - 1]).toMatch(
      /^\s*\/\/ eslint-disable-next-line no-restricted-syntax -- \S/,
    );
    expect(await ruleIds(text, file)).toEqual([]);
    // Without its excuse, the line is refused like any other.
    const bare = lines.filter((_, i) => i !== uses[0]!.i - 1).join('\n');
    expect(await ruleIds(bare, file)).toContain('no-restricted-syntax');
  });
});

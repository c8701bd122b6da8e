/**
 * `dependencies` lists only what the app ships (issue #17): each one is loaded by code under
 * src/ (an import, or a require of a native module such as aws-crt). What only the local AWS
 * emulator, the tests, the benchmarks or the scripts load is a devDependency.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx|mjs|js)$/.test(f) ? [p] : [];
  });
}
/** The packages a tree loads: `from '…'`, `import('…')`, `require…('…')`, by package name. */
function loaded(dir: string): Set<string> {
  const names = new Set<string>();
  for (const f of files(join(root, dir)))
    for (const m of readFileSync(f, 'utf8').matchAll(
      /(?:from\s+|import\(\s*|require\w*\(\s*)'((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[^']*)?)'/g,
    )) {
      const spec = m[1]!;
      if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  return names;
}

describe('package.json dependencies', () => {
  const app = loaded('src');

  it('are each loaded by the app (src/)', () => {
    expect(Object.keys(pkg.dependencies).filter((d) => !app.has(d))).toEqual([]);
  });

  it("keep the emulator's and the tests' packages among the devDependencies", () => {
    const emulatorOnly = [...loaded('local-aws')].filter((d) => !app.has(d));
    expect(emulatorOnly).toEqual(
      expect.arrayContaining(['@aws-crypto/sha256-js', 'iconv-lite', 'node-forge']),
    );
    for (const d of emulatorOnly) {
      expect(pkg.dependencies, d).not.toHaveProperty(d);
      expect(pkg.devDependencies, d).toHaveProperty(d);
    }
  });
});

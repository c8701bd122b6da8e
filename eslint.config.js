// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { dirname, relative, resolve, sep } from 'node:path';

// The Electron boundary (CONTRIBUTING.md): only the thin shell and the preload import
// `electron`; only the IPC wrappers touch ipcMain / ipcRenderer; nothing opens local paths.
const electronOnlyInShell = {
  name: 'electron',
  message: 'Only src/main/shell and src/preload may import electron (the thin shell).',
};
const insecureWebPreferences = [
  ['nodeIntegration', true],
  ['nodeIntegrationInSubFrames', true],
  ['contextIsolation', false],
  ['sandbox', false],
  ['webSecurity', false],
  ['webviewTag', true],
  ['allowRunningInsecureContent', true],
  ['experimentalFeatures', true],
].map(([key, value]) => ({
  selector: `Property[key.name='${key}'][value.value=${value}]`,
  message: `${key}: ${value} breaks the Electron security checklist (security.md).`,
}));
const noOpenPath = {
  selector: "MemberExpression[property.name='openPath']",
  message:
    "shell.openPath must not be reachable (security.md); use showItemInFolder for a known path. Its one reviewed use is the shell's openFile (docs/security-decisions.md).",
};

// The layering (issue #17; CONTRIBUTING.md "Layers"), as one rule: every relative import (and
// `export … from`, `import()`) is resolved to a path in the repository and checked against the
// layers the importing file belongs to. A layer either names folders it may not import
// (`forbid`) or the only folders it may import (`only`; npm packages stay allowed).
const repoRoot = import.meta.dirname;
const LAYERS = [
  {
    layer: 'src',
    forbid: ['e2e', 'bench', 'local-aws', 'test', 'scripts'],
    why: 'the app never imports test, benchmark, demo or emulator machinery (scripts/chromium.ts included)',
  },
  {
    layer: 'src/main/services',
    forbid: [
      'src/main/app',
      'src/main/compose',
      'src/main/shell',
      'src/main/browserTransport',
      'src/cli',
    ],
    why: 'services are the plain-Node core; the composition builds them and the app, the shell, the browser transport and the CLI use them, never the other way round',
  },
  {
    layer: 'src/main/app',
    forbid: ['src/main/compose', 'src/main/shell', 'src/main/browserTransport', 'src/cli'],
    why: 'the app is shared by every transport; the composition hands it what it needs (ActiveProfile, DesktopHooks)',
  },
  {
    layer: 'src/main/compose',
    forbid: ['src/main/shell', 'src/main/browserTransport', 'src/cli'],
    why: 'the composition is plain Node, one for every caller; what the shell, the browser transport or the CLI differ in they pass in',
  },
  {
    layer: 'src/main/browserTransport',
    forbid: ['src/main/shell'],
    why: 'the shell is Electron; the browser transport runs without it (shared plain-Node logic lives in src/main/desktop)',
  },
  {
    layer: 'src/main/desktop',
    forbid: ['src/main/compose', 'src/main/shell', 'src/main/browserTransport', 'src/cli'],
    why: 'src/main/desktop is the plain-Node logic the shell uses',
  },
  {
    layer: 'src/renderer',
    only: ['src/renderer', 'src/shared'],
    why: 'the renderer sees main only through the contract in src/shared',
  },
  {
    layer: 'src/preload',
    only: ['src/preload', 'src/shared'],
    why: 'the preload is a tiny bridge over the contract in src/shared',
  },
  {
    layer: 'src/shared',
    only: ['src/shared'],
    why: 'src/shared is imported by every side and imports none of them',
  },
];
const within = (path, folder) => path === folder || path.startsWith(`${folder}/`);
const toRepoPath = (abs) => relative(repoRoot, abs).split(sep).join('/');
const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layers of issue #17 (CONTRIBUTING.md).' },
    schema: [],
    messages: { crossing: '{{file}} may not import {{target}}: {{why}} (layering, #17).' },
  },
  create(context) {
    const file = toRepoPath(context.filename);
    const layers = LAYERS.filter((l) => within(file, l.layer));
    if (layers.length === 0) return {};
    const check = (node) => {
      const source = node?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = toRepoPath(resolve(dirname(context.filename), source));
      for (const l of layers) {
        const refused = l.forbid
          ? l.forbid.some((f) => within(target, f))
          : !l.only.some((f) => within(target, f));
        if (refused) {
          context.report({ node, messageId: 'crossing', data: { file, target, why: l.why } });
          return;
        }
      }
    };
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      '.tsbuild',
      'out',
      'dist',
      '.test-results',
      'bench/.work',
      '.scratch',
      // Deliberate layer crossings, linted only by test/build/layering.test.ts.
      'test/lint/fixtures',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': ['error', { paths: [electronOnlyInShell] }],
      'no-restricted-syntax': ['error', ...insecureWebPreferences, noOpenPath],
    },
  },
  {
    files: ['src/main/shell/**/*.ts'],
    ignores: ['src/main/shell/ipc.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain'],
              message: 'Use src/main/shell/ipc.ts (the typed contract wrapper).',
            },
          ],
        },
      ],
    },
  },
  { files: ['src/main/shell/ipc.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['src/preload/**/*.ts'],
    ignores: ['src/preload/bridge.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcRenderer'],
              message: 'Use src/preload/bridge.ts (the typed contract wrapper).',
            },
          ],
        },
      ],
    },
  },
  { files: ['src/preload/bridge.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    // The renderer reaches main only through src/renderer/api.ts (one error path).
    files: ['src/renderer/**/*.{ts,tsx}'],
    ignores: ['src/renderer/api.ts', 'src/renderer/transport/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...insecureWebPreferences,
        noOpenPath,
        {
          selector: "MemberExpression[object.name='window'][property.name='kura']",
          message: 'Call main through src/renderer/api.ts, not window.kura.',
        },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { kura: { rules: { layering } } },
    rules: { 'kura/layering': 'error' },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

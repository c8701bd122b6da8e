/**
 * Compile-time proof that the main process's Japanese words cannot fall behind the English ones
 * (src/main/i18n): `npm test` type-checks this file (tsc -b), and each `@ts-expect-error` fails
 * the build if the line it marks ever compiles.
 */
import type { Words } from '../../src/main/i18n';
import { ja } from '../../src/main/i18n/ja';

const { cancel: _cancel, ...quitWithoutCancel } = ja.quit;

// @ts-expect-error — a Japanese table missing a string (quit.cancel) does not compile.
export const missingString = { ...ja, quit: quitWithoutCancel } satisfies Words;

// @ts-expect-error — a Japanese table missing a whole group (notice) does not compile.
export const missingGroup = { menu: ja.menu, quit: ja.quit } satisfies Words;

export const wrongParameters = {
  ...ja,
  cli: {
    ...ja.cli,
    // @ts-expect-error — a message must take the parameters its English one takes.
    get: { ...ja.cli.get, skipped: (key: number) => `${key}` },
  },
} satisfies Words;

export const complete: Words = ja;

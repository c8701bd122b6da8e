/**
 * Text from outside (object keys, names, paths, error details) as it may reach a terminal: every
 * character that does not show or that steers the terminal or the text direction — ESC
 * sequences, C1 controls, bidi overrides, zero-width characters (the set the safe-name rules
 * replace in file names) — is written as a visible escape (`\x1b`, `\u202e`). `--json` output
 * keeps the exact text.
 */
import { INVISIBLE } from '../main/services/safeNames';

export function printable(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const n = c.codePointAt(0)!;
    return n <= 0xff
      ? `\\x${n.toString(16).padStart(2, '0')}`
      : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

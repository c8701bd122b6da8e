/**
 * Object keys are hostile input. This maps a key (relative to the folder being downloaded) to
 * path segments that are safe on every OS — the same mapping everywhere, so a download looks
 * the same on Windows, macOS and Linux — or refuses it with a reason the user sees.
 *
 * Refused: `.` and `..` segments (climbing out: CVE-2022-31159 and friends), folder markers.
 * Mapped:  empty segments dropped (`a//b` → `a/b`, `/abs` → `abs`); `\ : * ? " < > |` → `_`;
 *          invisible and control characters → `_` — C0/C1 controls, format characters (bidi
 *          overrides such as U+202E that make `invoice\u202Efdp.exe` look like a PDF, zero-width
 *          spaces, the BOM), lone surrogates, line and paragraph separators — except a zero-width
 *          joiner inside an emoji sequence; Windows device names (CON, NUL, COM1, LPT1.log,
 *          CONIN$ …) and names Kura uses for its own hidden files (`.kura-…`, e.g. a partial
 *          file that the crash sweep would take for its own) get a `_` prefix; trailing dots and
 *          spaces → `_`; NFC normalisation; segments over 255 bytes shortened with a hash so
 *          twins stay distinct.
 */
import { createHash } from 'node:crypto';
import type { Problem } from '../../shared/errors';

/** A refusal has `reason` (English, for logs) and `problem` (UNSAFE_NAME's, worded per language). */
export type SafeName =
  { ok: true; segments: string[] } | { ok: false; reason: string; problem: Problem };

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f\\:*?"<>|]/g;
/** Characters that do not show, or change how what follows shows (Cc, Cf, Cs, Zl, Zp). */
export const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
const ZWJ = '\u200d';
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
/** What an emoji before a joiner may end with: the pictograph, a skin tone, or VS16. */
const EMOJI_END = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F/u;
/** Kura's own hidden files in a destination folder (partials): no download may take such a name. */
const KURA_OWN = /^\.kura-/i;
const MAX_SEGMENT_BYTES = 255;

function shorten(segment: string): string {
  if (Buffer.byteLength(segment) <= MAX_SEGMENT_BYTES) return segment;
  const hash = createHash('sha256').update(segment).digest('hex').slice(0, 10);
  const dot = segment.lastIndexOf('.');
  const ext = dot > 0 && segment.length - dot <= 16 ? segment.slice(dot) : '';
  const budget = MAX_SEGMENT_BYTES - Buffer.byteLength(`~${hash}${ext}`);
  let stem = '';
  for (const ch of segment.slice(0, segment.length - ext.length)) {
    if (Buffer.byteLength(stem + ch) > budget) break;
    stem += ch;
  }
  return `${stem}~${hash}${ext}`;
}

/** Replaces invisible characters, keeping a zero-width joiner between two pictographs (👩‍💻). */
function replaceInvisible(s: string): string {
  const chars = Array.from(s);
  return chars
    .map((c, i) => {
      INVISIBLE.lastIndex = 0;
      if (!INVISIBLE.test(c)) return c;
      const joinsEmoji =
        c === ZWJ && EMOJI_END.test(chars[i - 1] ?? '') && PICTOGRAPH.test(chars[i + 1] ?? '');
      return joinsEmoji ? c : '_';
    })
    .join('');
}

export function safeSegment(raw: string): string {
  let s = replaceInvisible(raw.normalize('NFC').replace(FORBIDDEN, '_'));
  s = s.replace(/[. ]+$/, (m) => '_'.repeat(m.length));
  if (RESERVED.test(s) || KURA_OWN.test(s)) s = `_${s}`;
  return shorten(s);
}

/** Maps `relativeKey` (the key with the downloaded folder's prefix removed). */
export function safeRelativePath(relativeKey: string): SafeName {
  if (relativeKey.endsWith('/'))
    return {
      ok: false,
      reason: 'folder marker (no file content)',
      problem: { problem: 'folderMarker' },
    };
  const parts = relativeKey.split('/').filter((p) => p.length > 0);
  if (parts.length === 0)
    return { ok: false, reason: 'empty name', problem: { problem: 'emptyName' } };
  for (const p of parts) {
    if (p === '.' || p === '..')
      return {
        ok: false,
        reason: `"${p}" in the name would leave the destination folder`,
        problem: { problem: 'leavesFolder', field: p },
      };
  }
  return { ok: true, segments: parts.map(safeSegment) };
}

/** "report.pdf" → "report (1).pdf" (the dot of a leading-dot name is not an extension). */
export function numbered(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return `${name} (${n})`;
  return `${name.slice(0, dot)} (${n})${name.slice(dot)}`;
}

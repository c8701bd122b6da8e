/**
 * ListObjects(V2) over keys kept in UTF-8 byte order: prefix, delimiter, CommonPrefixes that
 * count towards MaxKeys and never repeat across pages, and a resume marker.
 */

/** Compares two strings in UTF-8 byte order (= code point order), not UTF-16 order. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return fixup(ca) - fixup(cb);
  }
  return a.length - b.length;
}

// Surrogates (code points ≥ U+10000) must sort after U+E000–U+FFFF.
const fixup = (c: number) => (c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c);

/** First index whose key makes `before` false (keys sorted; `before` monotone). */
function lowerBound(keys: string[], before: (k: string) => boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(keys[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ListInput {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** Resume after this key or common prefix (exclusive); a prefix skips its whole group. */
  after?: { value: string; isPrefix: boolean };
}

export interface ListOutput {
  keys: string[];
  commonPrefixes: string[];
  truncated: boolean;
  /** What the next page resumes after. */
  last?: { value: string; isPrefix: boolean };
}

export function listSorted(sorted: string[], input: ListInput): ListOutput {
  const { prefix, delimiter, maxKeys } = input;
  const out: ListOutput = { keys: [], commonPrefixes: [], truncated: false };
  // max-keys=0 asks for nothing, and S3 answers an empty page that is not truncated.
  if (maxKeys === 0) return out;
  let i = lowerBound(sorted, (k) => compareUtf8(k, prefix) < 0);
  const after = input.after;
  if (after) {
    const skip = after.isPrefix
      ? (k: string) => compareUtf8(k, after.value) <= 0 || k.startsWith(after.value)
      : (k: string) => compareUtf8(k, after.value) <= 0;
    i = Math.max(i, lowerBound(sorted, skip));
  }
  let count = 0;
  while (i < sorted.length) {
    const key = sorted[i]!;
    if (!key.startsWith(prefix)) break;
    const d = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (count === maxKeys) {
      out.truncated = true;
      break;
    }
    if (d !== -1) {
      const cp = key.slice(0, d + delimiter.length);
      out.commonPrefixes.push(cp);
      out.last = { value: cp, isPrefix: true };
      count++;
      i = lowerBound(sorted, (k) => compareUtf8(k, cp) < 0 || k.startsWith(cp));
      continue;
    }
    out.keys.push(key);
    out.last = { value: key, isPrefix: false };
    count++;
    i++;
  }
  return out;
}

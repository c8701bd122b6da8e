/**
 * Selection and keyboard movement over the file list, as plain functions of the rows: click,
 * Shift-click (range from the anchor), Ctrl/Cmd-click (toggle), arrows, Home/End, Page keys,
 * select all, and type-to-find. The list component only maps events to these.
 */
import type { Row } from './listing';

export interface Selection {
  /** Selected row ids. */
  ids: Set<string>;
  /** Where Shift extends from. */
  anchor: number;
  /** The row with keyboard focus (-1: none). */
  focus: number;
}

export const emptySelection = (): Selection => ({ ids: new Set(), anchor: -1, focus: -1 });

export interface Modifiers {
  shift?: boolean;
  toggle?: boolean;
}

const range = (rows: Row[], a: number, b: number) =>
  new Set(rows.slice(Math.min(a, b), Math.max(a, b) + 1).map((r) => r.id));

export function click(rows: Row[], s: Selection, index: number, m: Modifiers = {}): Selection {
  const id = rows[index]?.id;
  if (id === undefined) return s;
  if (m.shift && s.anchor >= 0)
    return { ids: range(rows, s.anchor, index), anchor: s.anchor, focus: index };
  if (m.toggle) {
    const ids = new Set(s.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: index, focus: index };
  }
  return { ids: new Set([id]), anchor: index, focus: index };
}

export function selectAll(rows: Row[], s: Selection): Selection {
  return { ids: new Set(rows.map((r) => r.id)), anchor: s.anchor, focus: s.focus };
}

/** Moves focus for a navigation key; null when the key is not one. */
export function move(
  rows: Row[],
  s: Selection,
  key: string,
  m: Modifiers & { page?: number } = {},
): Selection | null {
  if (rows.length === 0) return null;
  const page = m.page ?? 10;
  const from = s.focus < 0 ? -1 : s.focus;
  let to: number;
  switch (key) {
    case 'ArrowDown':
      to = Math.min(rows.length - 1, from + 1);
      break;
    case 'ArrowUp':
      to = from < 0 ? 0 : Math.max(0, from - 1);
      break;
    case 'Home':
      to = 0;
      break;
    case 'End':
      to = rows.length - 1;
      break;
    case 'PageDown':
      to = Math.min(rows.length - 1, Math.max(0, from) + page);
      break;
    case 'PageUp':
      to = Math.max(0, from - page);
      break;
    default:
      return null;
  }
  if (m.toggle) return { ...s, focus: to };
  if (m.shift) {
    const anchor = s.anchor >= 0 ? s.anchor : Math.max(0, from);
    return { ids: range(rows, anchor, to), anchor, focus: to };
  }
  return { ids: new Set([rows[to]!.id]), anchor: to, focus: to };
}

/**
 * Type-to-find: the first row after the focus (wrapping) whose name starts with `typed`,
 * ignoring case and width; typing the same letter again cycles through the matches.
 */
export function findByPrefix(rows: Row[], typed: string, focus: number): number {
  const needle = typed.normalize('NFKC').toLowerCase();
  if (!needle) return -1;
  const same = [...needle].every((c) => c === needle[0]);
  const start =
    same && needle.length > 1 ? focus + 1 : needle.length === 1 ? focus + 1 : Math.max(0, focus);
  const probe = same && needle.length > 1 ? needle[0]! : needle;
  for (let k = 0; k < rows.length; k++) {
    const i = (start + k) % rows.length;
    if (rows[i]!.name.normalize('NFKC').toLowerCase().startsWith(probe)) return i;
  }
  return -1;
}

/** The selected rows in list order (the focused one when nothing is selected). */
export function selectedRows(rows: Row[], s: Selection): Row[] {
  const picked = rows.filter((r) => s.ids.has(r.id));
  if (picked.length) return picked;
  const f = rows[s.focus];
  return f ? [f] : [];
}

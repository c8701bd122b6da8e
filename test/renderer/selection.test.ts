import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/renderer/listing';
import {
  click,
  emptySelection,
  findByPrefix,
  move,
  selectAll,
  selectedRows,
} from '../../src/renderer/selection';

const rows = rowsOf(
  [{ prefix: 'docs/', name: 'docs' }],
  ['alpha.txt', 'beta.txt', 'bravo.txt', 'charlie.txt', 'ｂｅｔａ２.txt'].map((name) => ({
    key: name,
    name,
    size: 1,
    lastModified: 0,
  })),
);
const ids = (s: { ids: Set<string> }) => [...s.ids].sort();

describe('selection', () => {
  it('click selects one; Shift extends from the anchor; Ctrl toggles', () => {
    let s = click(rows, emptySelection(), 1);
    expect(ids(s)).toEqual(['f:alpha.txt']);
    s = click(rows, s, 3, { shift: true });
    expect(ids(s)).toEqual(['f:alpha.txt', 'f:beta.txt', 'f:bravo.txt']);
    s = click(rows, s, 2, { toggle: true });
    expect(ids(s)).toEqual(['f:alpha.txt', 'f:bravo.txt']);
    s = click(rows, s, 0, { shift: true });
    // The anchor moved to the toggled row: range 0..2.
    expect(ids(s)).toEqual(['d:docs/', 'f:alpha.txt', 'f:beta.txt']);
  });

  it('arrows, Home/End and Page keys move and select; Shift extends; Ctrl only moves focus', () => {
    let s = move(rows, emptySelection(), 'ArrowDown')!;
    expect(s.focus).toBe(0);
    s = move(rows, s, 'End')!;
    expect([s.focus, ids(s)]).toEqual([5, ['f:ｂｅｔａ２.txt']]);
    s = move(rows, s, 'ArrowUp', { shift: true })!;
    expect(ids(s)).toEqual(['f:charlie.txt', 'f:ｂｅｔａ２.txt']);
    s = move(rows, s, 'Home', { toggle: true })!;
    expect([s.focus, s.ids.size]).toEqual([0, 2]);
    expect(move(rows, s, 'PageDown', { page: 3 })!.focus).toBe(3);
    expect(move(rows, s, 'x')).toBeNull();
    expect(move([], s, 'ArrowDown')).toBeNull();
  });

  it('select all, and what an action applies to', () => {
    const s = selectAll(rows, emptySelection());
    expect(s.ids.size).toBe(rows.length);
    expect(selectedRows(rows, { ids: new Set(), anchor: -1, focus: 2 }).map((r) => r.name)).toEqual(
      ['beta.txt'],
    );
    expect(selectedRows(rows, emptySelection())).toEqual([]);
  });

  it('type-to-find: a prefix, width-insensitive; the same letter again cycles', () => {
    expect(findByPrefix(rows, 'br', -1)).toBe(3);
    expect(findByPrefix(rows, 'b', -1)).toBe(2);
    expect(findByPrefix(rows, 'b', 2)).toBe(3);
    expect(findByPrefix(rows, 'bb', 3)).toBe(5); // ｂｅｔａ２ counts as b
    expect(findByPrefix(rows, 'bb', 5)).toBe(2); // wraps
    expect(findByPrefix(rows, 'zz', 0)).toBe(-1);
  });
});

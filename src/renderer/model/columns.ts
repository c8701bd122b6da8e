/**
 * The list's columns: their order and widths (both remembered), moved and resized by pointer or
 * keyboard. The header and the rows use the same grid template, and the header sits inside the
 * list's one scroll container, so they stay aligned whatever the scrollbar (#11 item 12).
 */
import { UI_LIMITS, type ColumnId } from '../../shared/uiSettings';

export type ColumnWidths = Record<ColumnId, number>;

/** Numbers line up on the right, as in every file manager. */
export const RIGHT_ALIGNED: ReadonlySet<ColumnId> = new Set(['size']);

const clamp = (px: number) =>
  Math.round(Math.min(UI_LIMITS.columnWidth.max, Math.max(UI_LIMITS.columnWidth.min, px)));

export function resizeColumn(widths: ColumnWidths, id: ColumnId, px: number): ColumnWidths {
  return { ...widths, [id]: clamp(px) };
}

/** Moves a column `by` places (negative: left), within the bounds. */
export function moveColumn(order: ColumnId[], id: ColumnId, by: number): ColumnId[] {
  const from = order.indexOf(id);
  if (from < 0) return order;
  const to = Math.max(0, Math.min(order.length - 1, from + by));
  if (to === from) return order;
  const out = order.filter((c) => c !== id);
  out.splice(to, 0, id);
  return out;
}

/** Puts `id` where `target` is (a header dropped on another). */
export function dropColumn(order: ColumnId[], id: ColumnId, target: ColumnId): ColumnId[] {
  return moveColumn(order, id, order.indexOf(target) - order.indexOf(id));
}

/**
 * The CSS grid template of a row: the columns in order at their widths — the last one takes
 * what is left of the window, as Finder's last column does — then the row's action (the hover
 * Download icon) at the right edge.
 */
export function gridTemplate(order: ColumnId[], widths: ColumnWidths, actionPx: number): string {
  const cols = order.map((c, i) =>
    i === order.length - 1 ? `minmax(${widths[c]}px, 1fr)` : `${widths[c]}px`,
  );
  return `${cols.join(' ')} ${actionPx}px`;
}

/** The width the columns need (the list scrolls sideways beyond it). */
export const rowWidth = (widths: ColumnWidths, actionPx: number) =>
  Object.values(widths).reduce((n, w) => n + w, 0) + actionPx;

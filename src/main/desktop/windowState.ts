/**
 * Remembered window size and position (plain Node, unit-tested): restored only when the saved
 * rectangle is still mostly on a connected display, so a window never opens off-screen after a
 * monitor was unplugged.
 */
import { readFileSync } from 'node:fs';
import { writeJsonAtomic } from '../services/jsonFile';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export function loadWindowState(path: string): WindowState | null {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as WindowState;
    const b = s.bounds;
    if (![b.x, b.y, b.width, b.height].every(Number.isFinite) || b.width < 200 || b.height < 150)
      return null;
    return { bounds: b, maximized: s.maximized === true };
  } catch {
    return null;
  }
}

export function saveWindowState(path: string, state: WindowState): void {
  writeJsonAtomic(path, state);
}

const overlap = (a: Rect, b: Rect) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

/** The saved bounds when at least half of the window is on some display's work area. */
export function visibleBounds(saved: Rect, workAreas: Rect[]): Rect | null {
  const area = saved.width * saved.height;
  return workAreas.some((w) => overlap(saved, w) >= area / 2) ? saved : null;
}

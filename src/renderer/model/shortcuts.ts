/**
 * Keyboard shortcuts as Finder and Explorer have them (design/window.md), as a plain function of
 * the key event: Alt+Up / Cmd+Up / Backspace (up), Alt+Left / Alt+Right and Cmd+[ / Cmd+]
 * (back / forward), F5 / Ctrl+R / Cmd+R (refresh), Ctrl+F / Cmd+F (find), Cmd+Down (open).
 */
export type WindowCommand = 'up' | 'back' | 'forward' | 'refresh' | 'find' | 'open';

export interface KeyLike {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** Commands that work anywhere in the window, even while typing in a field. */
export function windowCommand(e: KeyLike): WindowCommand | null {
  const cmd = e.ctrlKey || e.metaKey;
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.key === 'F5' || (cmd && !e.altKey && k === 'r')) return 'refresh';
  if (cmd && !e.altKey && k === 'f') return 'find';
  if (e.altKey && !cmd && !e.shiftKey) {
    if (e.key === 'ArrowUp') return 'up';
    if (e.key === 'ArrowLeft') return 'back';
    if (e.key === 'ArrowRight') return 'forward';
  }
  if (e.metaKey && !e.altKey && !e.ctrlKey) {
    if (e.key === 'ArrowUp') return 'up';
    if (e.key === 'ArrowDown') return 'open';
    if (e.key === '[') return 'back';
    if (e.key === ']') return 'forward';
  }
  return null;
}

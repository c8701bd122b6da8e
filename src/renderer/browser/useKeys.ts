/**
 * The keyboard, as Finder and Explorer have it. Window-wide commands (model/shortcuts.ts: up,
 * back, forward, refresh, find) work from anywhere — Alt+arrows not while typing in a field,
 * where they edit text. In the list: arrows, Home/End, Page keys (with Shift to extend, Ctrl/Cmd
 * to move without selecting), Ctrl+A, Space (Quick Look), Ctrl+Space (toggle), Enter (open a
 * folder, download files), Backspace (up), Escape, Shift+F10 / the menu key, type-to-find.
 */
import { useEffect, useRef } from 'react';
import type { Row } from '../listing';
import { windowCommand, type WindowCommand } from '../model/shortcuts';
import {
  click,
  emptySelection,
  findByPrefix,
  move,
  selectAll,
  selectedRows,
  type Selection,
} from '../selection';

const editable = (t: EventTarget | null) => {
  const el = t as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
};

/** Runs `onCommand` for window-wide shortcuts; `enabled` false (a dialog is open) ignores them. */
export function useWindowShortcuts(onCommand: (c: WindowCommand) => void, enabled: boolean) {
  const latest = useRef(onCommand);
  latest.current = onCommand;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const c = windowCommand(e);
      if (!c) return;
      if (c !== 'refresh' && c !== 'find' && editable(e.target)) return;
      e.preventDefault(); // F5 and Ctrl+R would reload the page
      latest.current(c);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

export interface ListKeyContext {
  rows: Row[];
  selection: Selection;
  setSelection: (s: Selection) => void;
  menuOpen: boolean;
  searching: boolean;
  onQuickLook: () => void;
  onOpenFolder: (prefix: string) => void;
  onDownload: (rows: Row[]) => void;
  onUp: () => void;
  onStopSearch: () => void;
  onMenuAt: (x: number, y: number) => void;
  rowElement: (index: number) => HTMLElement | null;
}

export function useListKeys(ctx: ListKeyContext) {
  const typed = useRef({ text: '', at: 0 });
  return (e: React.KeyboardEvent) => {
    if (ctx.menuOpen || windowCommand(e)) return;
    const { rows, selection } = ctx;
    const mod = e.ctrlKey || e.metaKey;
    const moved = move(rows, selection, e.key, { shift: e.shiftKey, toggle: mod });
    if (moved) {
      e.preventDefault();
      ctx.setSelection(moved);
      return;
    }
    if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      ctx.setSelection(selectAll(rows, selection));
      return;
    }
    if (e.key === ' ' && selection.focus >= 0) {
      e.preventDefault();
      if (mod) ctx.setSelection(click(rows, selection, selection.focus, { toggle: true }));
      else ctx.onQuickLook();
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      const picked = selectedRows(rows, selection);
      if (picked.length === 1 && picked[0]!.kind === 'folder') ctx.onOpenFolder(picked[0]!.prefix);
      else ctx.onDownload(picked);
      return;
    }
    if (e.key === 'Backspace') {
      e.preventDefault();
      ctx.onUp();
      return;
    }
    if (e.key === 'Escape') {
      if (ctx.searching) ctx.onStopSearch();
      ctx.setSelection(emptySelection());
      return;
    }
    if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
      e.preventDefault();
      const box = ctx.rowElement(Math.max(0, selection.focus))?.getBoundingClientRect();
      ctx.onMenuAt(box ? box.left + 40 : 40, box ? box.bottom : 40);
      return;
    }
    // Type-to-find: letters typed within a moment of each other spell a name's beginning.
    if (e.key.length === 1 && !mod && !e.altKey) {
      const now = Date.now();
      const text = now - typed.current.at < 800 ? typed.current.text + e.key : e.key;
      typed.current = { text, at: now };
      const found = findByPrefix(rows, text, selection.focus);
      if (found >= 0) ctx.setSelection(click(rows, selection, found));
    }
  };
}

/** What the file list shows: folders and files as rows, sorted and filtered over what is loaded. */
import type { FileEntry, FolderEntry } from '../shared/ipc';
import type { ColumnId } from '../shared/uiSettings';
import { extensionOf } from './model/fileKinds';

export type Row =
  | { kind: 'folder'; id: string; name: string; prefix: string }
  | { kind: 'file'; id: string; name: string; file: FileEntry; type: string };

export type SortColumn = ColumnId;
export interface SortOrder {
  column: SortColumn;
  direction: 'asc' | 'desc';
}

/** The extension people think of as the type ("pdf", "tar.gz" is "gz"); '' when none. */
export const fileType = extensionOf;

/** The order a folder opens in, and S3's own (keys in byte order: names, roughly). */
export const DEFAULT_ORDER: SortOrder = { column: 'name', direction: 'asc' };
export const isDefaultOrder = (o: SortOrder) =>
  o.column === DEFAULT_ORDER.column && o.direction === DEFAULT_ORDER.direction;

export function rowsOf(folders: FolderEntry[], files: FileEntry[]): Row[] {
  return [
    ...folders.map((f): Row => ({
      kind: 'folder',
      id: `d:${f.prefix}`,
      name: f.name,
      prefix: f.prefix,
    })),
    ...files.map((f): Row => ({
      kind: 'file',
      id: `f:${f.key}`,
      name: f.name,
      file: f,
      type: fileType(f.name),
    })),
  ];
}

/** Folders first; within each group by the column, names compared as people read them (file2 < file10). */
export function sortRows(rows: Row[], order: SortOrder, locale: string): Row[] {
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
  const sign = order.direction === 'asc' ? 1 : -1;
  const value = (r: Row): number | string => {
    if (r.kind === 'folder') return order.column === 'name' || order.column === 'type' ? r.name : 0;
    switch (order.column) {
      case 'size':
        return r.file.size;
      case 'modified':
        return r.file.lastModified;
      case 'type':
        return r.type;
      default:
        return r.name;
    }
  };
  return [...rows].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
    const va = value(a);
    const vb = value(b);
    const byColumn =
      typeof va === 'number' && typeof vb === 'number'
        ? va - vb
        : collator.compare(String(va), String(vb));
    return sign * (byColumn || collator.compare(a.name, b.name));
  });
}

/** Keeps rows whose name contains the text, ignoring case and width (ａ = a, カ = ｶ). */
export function filterRows(rows: Row[], text: string): Row[] {
  const needle = text.normalize('NFKC').toLowerCase().trim();
  if (!needle) return rows;
  return rows.filter((r) => r.name.normalize('NFKC').toLowerCase().includes(needle));
}

/** How many rows, how many of them selected, and the selected files' total size. */
export function summarize(rows: Row[], selected: ReadonlySet<string>) {
  let folders = 0;
  let picked = 0;
  let pickedBytes = 0;
  for (const r of rows) {
    if (r.kind === 'folder') folders++;
    if (!selected.has(r.id)) continue;
    picked++;
    if (r.kind === 'file') pickedBytes += r.file.size;
  }
  return { items: rows.length, folders, files: rows.length - folders, picked, pickedBytes };
}

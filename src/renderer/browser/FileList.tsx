/**
 * The folder's entries: an ARIA grid, virtualised (only the rows on screen are in the DOM),
 * whose column headers sit inside the same scroll container as the rows — so they stay aligned
 * whatever the scrollbar (#11 item 12). Columns can be sorted (aria-sort), resized and
 * reordered (pointer or keyboard), and remember all three. Folders are plain names opened by
 * double-click or Enter; each row has a quiet Download icon that shows on hover and selection.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { formatBytes } from '../../shared/format';
import type { DragItemView, FileEntry } from '../../shared/ipc';
import { UI_LIMITS, type ColumnId } from '../../shared/uiSettings';
import type { Row, SortColumn, SortOrder } from '../listing';
import {
  dropColumn,
  gridTemplate,
  moveColumn,
  resizeColumn,
  RIGHT_ALIGNED,
  rowWidth,
  type ColumnWidths,
} from '../model/columns';
import { extensionOf, fileKind } from '../model/fileKinds';
import { splitForEllipsis } from '../model/nameParts';
import type { Selection } from '../selection';
import { DownloadIcon, FileTypeIcon } from './icons';
import { Splitter } from './Splitter';

/** Files up to this size are fetched ahead when pointed at, so a drag starts at once. */
const DRAG_PREFETCH_BYTES = 64 * 1024 * 1024;
export const HEADER_PX = 28;
export const ROW_PX = { compact: 26, comfortable: 34 } as const;
const ACTION_PX = 36;

export const rowDomId = (index: number) => `row-${index}`;

interface Props {
  rows: Row[];
  order: SortOrder;
  onSort: (column: SortColumn) => void;
  columns: { order: ColumnId[]; widths: ColumnWidths };
  onColumns: (c: { order: ColumnId[]; widths: ColumnWidths }) => void;
  density: 'compact' | 'comfortable';
  selection: Selection;
  onRowClick: (index: number, e: React.MouseEvent) => void;
  /** Double-click: open a folder, Quick Look a file. */
  onRowActivate: (index: number) => void;
  onRowMenu: (index: number, e: React.MouseEvent) => void;
  onKeyDown: (e: React.KeyboardEvent) => void;
  onDownload: (row: Row) => void;
  dragOf: (file: FileEntry) => DragItemView | undefined;
  onPrepareDrag: (file: FileEntry) => void;
  onStartDrag: (file: FileEntry) => void;
  hasMore: boolean;
  onLoadMore: () => void;
  label: string;
  busy: boolean;
  /** Changes when another folder opens (the list goes back to the top). */
  generation: number;
  gridRef: React.RefObject<HTMLDivElement | null>;
  /** The state drawn inside the list where rows would be (loading, error, empty). */
  overlay?: React.ReactNode;
}

/** The Type column's words: "PNG image", "PDF document", "Folder". */
export function useKindLabel() {
  const { t } = useTranslation();
  return useCallback(
    (row: Row) => {
      if (row.kind === 'folder') return t('list.kind.folder');
      const ext = extensionOf(row.name);
      if (!ext) return t('list.kind.none');
      return t(`list.kind.${fileKind(row.name)}`, { ext: ext.toUpperCase() });
    },
    [t],
  );
}

/**
 * A name that keeps its end when cut ("quarterly-rep…-final-v2.pdf"), with a tooltip. A long
 * name is drawn in two halves hidden from assistive technology, which reads it whole once.
 * `data-name` holds the exact name (tests and tools find rows by it).
 */
export function MiddleName({ name }: { name: string }) {
  const [head, tail] = splitForEllipsis(name);
  if (!tail)
    return (
      <span className="mid-name" title={name} data-name={name}>
        <span className="head">{name}</span>
      </span>
    );
  return (
    <span className="mid-name" title={name} data-name={name}>
      <span className="sr-only">{name}</span>
      <span className="head" aria-hidden="true">
        {head}
      </span>
      <span className="tail" aria-hidden="true">
        {tail}
      </span>
    </span>
  );
}

export function FileList(p: Props) {
  const { t, i18n } = useTranslation();
  const kindLabel = useKindLabel();
  const rowPx = ROW_PX[p.density];
  const [liveWidths, setLiveWidths] = useState<ColumnWidths | null>(null);
  const widths = liveWidths ?? p.columns.widths;
  const template = gridTemplate(p.columns.order, widths, ACTION_PX);
  const minWidth = rowWidth(widths, ACTION_PX);

  const virtualizer = useVirtualizer({
    count: p.rows.length,
    getScrollElement: () => p.gridRef.current,
    estimateSize: () => rowPx,
    overscan: 12,
    scrollMargin: HEADER_PX,
    scrollPaddingStart: HEADER_PX,
  });
  useEffect(() => virtualizer.measure(), [rowPx, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  const focus = p.selection.focus;

  // A folder opened: start at the top.
  useEffect(() => {
    p.gridRef.current?.scrollTo({ top: 0 });
  }, [p.generation, p.gridRef]);

  // Keep the row with keyboard focus on screen.
  useEffect(() => {
    if (focus >= 0 && focus < p.rows.length) virtualizer.scrollToIndex(focus, { align: 'auto' });
  }, [focus, virtualizer, p.rows.length]);

  // Near the end of what is loaded: ask for the next page.
  const { hasMore, onLoadMore } = p;
  useEffect(() => {
    if (hasMore && lastIndex >= p.rows.length - 20) onLoadMore();
  }, [lastIndex, hasMore, p.rows.length, onLoadMore]);

  const dateFormat = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }),
    [i18n.language],
  );
  return (
    <div className="list-pane">
      <div
        ref={p.gridRef}
        role="grid"
        aria-label={p.label}
        aria-rowcount={p.rows.length + 1}
        aria-colcount={p.columns.order.length + 1}
        aria-multiselectable="true"
        aria-busy={p.busy}
        aria-activedescendant={focus >= 0 && focus < p.rows.length ? rowDomId(focus) : undefined}
        tabIndex={0}
        className={`files density-${p.density}`}
        style={
          {
            '--grid-columns': template,
            '--row-min-width': `${minWidth}px`,
            '--row-height': `${rowPx}px`,
          } as React.CSSProperties
        }
        onKeyDown={(e) => {
          // Keys typed on a header's controls are theirs (sorting, moving, resizing).
          if ((e.target as HTMLElement).closest('.head')) return;
          p.onKeyDown(e);
        }}
      >
        <div role="rowgroup" className="head-group">
          <ListHeader
            order={p.order}
            columns={p.columns.order}
            widths={widths}
            onSort={p.onSort}
            onColumns={p.onColumns}
            onLiveWidths={setLiveWidths}
          />
        </div>
        <div role="rowgroup" className="body-group" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const row = p.rows[v.index]!;
            return (
              <FileRow
                key={row.id}
                row={row}
                index={v.index}
                top={v.start - HEADER_PX}
                height={v.size}
                selected={p.selection.ids.has(row.id)}
                focused={v.index === focus}
                columns={p.columns.order}
                drag={row.kind === 'file' ? p.dragOf(row.file) : undefined}
                kindLabel={kindLabel}
                dateFormat={dateFormat}
                t={t}
                p={p}
              />
            );
          })}
        </div>
      </div>
      {p.overlay}
    </div>
  );
}

/**
 * The column headers: sort (aria-sort), drag to reorder, drag or arrow keys on the edge to resize.
 * Memoised: scrolling does not draw them again.
 */
const ListHeader = memo(function ListHeader({
  order,
  columns,
  widths,
  onSort,
  onColumns,
  onLiveWidths,
}: {
  order: SortOrder;
  columns: ColumnId[];
  widths: ColumnWidths;
  onSort: (column: SortColumn) => void;
  onColumns: (c: { order: ColumnId[]; widths: ColumnWidths }) => void;
  onLiveWidths: (w: ColumnWidths | null) => void;
}) {
  const { t } = useTranslation();
  const dragColumn = useRef<ColumnId | null>(null);
  const titles: Record<ColumnId, string> = {
    name: t('browser.name'),
    size: t('browser.size'),
    modified: t('browser.modified'),
    type: t('browser.type'),
  };

  const header = (column: ColumnId) => {
    const sorted = order.column === column;
    return (
      <div
        key={column}
        role="columnheader"
        className={`col-${column}${RIGHT_ALIGNED.has(column) ? ' right' : ''}`}
        aria-sort={sorted ? (order.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
        onDragOver={(e) => {
          if (dragColumn.current && dragColumn.current !== column) e.preventDefault();
        }}
        onDrop={(e) => {
          e.preventDefault();
          const from = dragColumn.current;
          dragColumn.current = null;
          if (from && from !== column)
            onColumns({ order: dropColumn(columns, from, column), widths });
        }}
        onDragEnd={() => (dragColumn.current = null)}
      >
        <button
          type="button"
          className="sort"
          title={t('list.columnTip')}
          // The label is what drags (not the whole header: its edge resizes).
          draggable
          onDragStart={(e) => {
            dragColumn.current = column;
            e.dataTransfer.effectAllowed = 'move';
            e.dataTransfer.setData('text/x-kura-column', column);
          }}
          onClick={() => onSort(column)}
          onKeyDown={(e) => {
            if (!(e.ctrlKey || e.metaKey) || !e.shiftKey) return;
            const by = e.key === 'ArrowLeft' ? -1 : e.key === 'ArrowRight' ? 1 : 0;
            if (!by) return;
            e.preventDefault();
            e.stopPropagation();
            onColumns({ order: moveColumn(columns, column, by), widths });
          }}
        >
          <span className="label">{titles[column]}</span>
          <span className="arrow" aria-hidden="true">
            {sorted ? (order.direction === 'asc' ? '▲' : '▼') : ''}
          </span>
        </button>
        <Splitter
          orientation="vertical"
          className="col-resize"
          value={widths[column]}
          min={UI_LIMITS.columnWidth.min}
          max={UI_LIMITS.columnWidth.max}
          step={10}
          label={t('list.resizeColumn', { column: titles[column] })}
          onChange={(v, done) => {
            const next = resizeColumn(widths, column, v);
            if (done) {
              onLiveWidths(null);
              onColumns({ order: columns, widths: next });
            } else onLiveWidths(next);
          }}
        />
      </div>
    );
  };

  return (
    <div role="row" className="file-row head" aria-rowindex={1}>
      {columns.map(header)}
      <div role="columnheader" className="col-action">
        <span className="sr-only">{t('browser.download')}</span>
      </div>
    </div>
  );
});

/**
 * One row. Memoised: while the list scrolls, rows already on screen keep their props (their
 * offset is absolute) and are not drawn again; only the rows coming into view are.
 */
const FileRow = memo(function FileRow({
  row,
  index,
  top,
  height,
  selected,
  focused,
  columns,
  drag,
  kindLabel,
  dateFormat,
  t,
  p,
}: {
  row: Row;
  index: number;
  top: number;
  height: number;
  selected: boolean;
  focused: boolean;
  columns: ColumnId[];
  drag: DragItemView | undefined;
  kindLabel: (row: Row) => string;
  dateFormat: Intl.DateTimeFormat;
  /** The list's translator: a row of its own would subscribe to language changes per row. */
  t: TFunction;
  p: Props;
}) {
  const kind = kindLabel(row);
  const date = row.kind === 'file' ? dateFormat.format(row.file.lastModified) : '';
  const file = row.kind === 'file' ? row.file : null;
  const cell = (column: ColumnId) => {
    const cls = `col-${column}${RIGHT_ALIGNED.has(column) ? ' right' : ''}`;
    switch (column) {
      case 'name':
        return (
          <div key={column} role="gridcell" className={`${cls} name`}>
            <FileTypeIcon kind={row.kind === 'folder' ? 'folder' : fileKind(row.name)} />
            <MiddleName name={row.name} />
            {drag?.state === 'preparing' && file && (
              <span className="hint" role="status">
                {t('browser.preparing', {
                  percent: Math.floor((100 * drag.bytesDone) / Math.max(1, file.size)),
                })}
              </span>
            )}
          </div>
        );
      case 'size':
        return (
          <div key={column} role="gridcell" className={cls}>
            {file ? formatBytes(file.size) : ''}
          </div>
        );
      case 'modified':
        return (
          <div key={column} role="gridcell" className={cls}>
            {date}
          </div>
        );
      case 'type':
        return (
          <div key={column} role="gridcell" className={cls}>
            {kind}
          </div>
        );
    }
  };
  return (
    <div
      id={rowDomId(index)}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`file-row${index % 2 ? ' odd' : ''}${selected ? ' selected' : ''}${focused ? ' focused' : ''}`}
      style={{ transform: `translateY(${top}px)`, height }}
      onClick={(e) => p.onRowClick(index, e)}
      onDoubleClick={() => p.onRowActivate(index)}
      onContextMenu={(e) => p.onRowMenu(index, e)}
      draggable={!!file}
      data-drag={file ? (drag?.state ?? 'none') : undefined}
      onMouseEnter={
        file ? () => file.size <= DRAG_PREFETCH_BYTES && p.onPrepareDrag(file) : undefined
      }
      onDragStart={
        file
          ? (e) => {
              // Main hands the OS a finished file from the drag cache; the page drags nothing.
              e.preventDefault();
              p.onStartDrag(file);
            }
          : undefined
      }
    >
      {columns.map(cell)}
      <div role="gridcell" className="col-action">
        <button
          type="button"
          tabIndex={-1}
          className="row-action"
          aria-label={`${t('browser.download')}: ${row.name}`}
          title={t('browser.download')}
          onMouseDown={(e) => e.preventDefault() /* the grid keeps the keyboard focus */}
          onClick={(e) => {
            e.stopPropagation();
            p.onDownload(row);
          }}
        >
          <DownloadIcon />
        </button>
      </div>
    </div>
  );
});

import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../shared/format';
import type { DragItemView, FileEntry } from '../../shared/ipc';
import type { Row, SortColumn, SortOrder } from '../listing';
import type { Selection } from '../selection';

/** Files up to this size are fetched ahead when pointed at, so a drag starts at once. */
const DRAG_PREFETCH_BYTES = 64 * 1024 * 1024;
const ROW_HEIGHT = 38;

interface Props {
  rows: Row[];
  order: SortOrder;
  onSort: (column: SortColumn) => void;
  onOpenFolder: (prefix: string) => void;
  onDownload: (file: FileEntry) => void;
  dragOf: (file: FileEntry) => DragItemView | undefined;
  onPrepareDrag: (file: FileEntry) => void;
  onStartDrag: (file: FileEntry) => void;
  hasMore: boolean;
  onLoadMore: () => void;
  selection: Selection;
  onRowClick: (index: number, e: React.MouseEvent) => void;
  /** Double-click: open a folder, preview a file. */
  onRowActivate: (index: number) => void;
  onRowMenu: (index: number, e: React.MouseEvent) => void;
  onKeyDown: (e: React.KeyboardEvent) => void;
  /** Search results show the path below the searched folder. */
  label?: string;
}

export const rowDomId = (index: number) => `row-${index}`;

/** The folder's entries in a virtualised list: only the rows on screen are in the DOM. */
export function FileList(p: Props) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: p.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  const focus = p.selection.focus;

  // Keep the row with keyboard focus on screen.
  useEffect(() => {
    if (focus >= 0) virtualizer.scrollToIndex(focus, { align: 'auto' });
  }, [focus, virtualizer]);

  // Near the end of what is loaded: ask for the next page.
  useEffect(() => {
    if (p.hasMore && lastIndex >= p.rows.length - 20) p.onLoadMore();
  }, [lastIndex, p.hasMore, p.rows.length, p]);

  const dateFormat = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const header = (column: SortColumn, label: string) => (
    <div
      role="columnheader"
      aria-sort={
        p.order.column === column
          ? p.order.direction === 'asc'
            ? 'ascending'
            : 'descending'
          : 'none'
      }
    >
      <button type="button" className="sort" onClick={() => p.onSort(column)}>
        {label}
        {p.order.column === column ? (p.order.direction === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    </div>
  );

  return (
    <div
      role="grid"
      aria-label={p.label ?? t('browser.list')}
      aria-rowcount={p.rows.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={focus >= 0 && focus < p.rows.length ? rowDomId(focus) : undefined}
      tabIndex={0}
      className="files"
      onKeyDown={p.onKeyDown}
    >
      <div role="rowgroup">
        <div role="row" className="file-row head" aria-rowindex={1}>
          {header('name', t('browser.name'))}
          {header('size', t('browser.size'))}
          {header('modified', t('browser.modified'))}
          {header('type', t('browser.type'))}
          <div role="columnheader">
            <span className="sr-only">{t('browser.download')}</span>
          </div>
        </div>
      </div>
      <div ref={scroller} className="file-scroll" role="rowgroup">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const row = p.rows[v.index]!;
            const rowProps = {
              id: rowDomId(v.index),
              role: 'row',
              'aria-rowindex': v.index + 2,
              'aria-selected': p.selection.ids.has(row.id),
              className: `file-row${p.selection.ids.has(row.id) ? ' selected' : ''}${v.index === focus ? ' focused' : ''}`,
              onClick: (e: React.MouseEvent) => p.onRowClick(v.index, e),
              onDoubleClick: () => p.onRowActivate(v.index),
              onContextMenu: (e: React.MouseEvent) => p.onRowMenu(v.index, e),
            };
            const style = {
              position: 'absolute' as const,
              top: 0,
              left: 0,
              right: 0,
              height: v.size,
              transform: `translateY(${v.start}px)`,
            };
            if (row.kind === 'folder') {
              return (
                <div key={row.id} {...rowProps} style={style}>
                  <div role="gridcell">
                    <button
                      type="button"
                      tabIndex={-1}
                      className="link folder"
                      onClick={(e) => {
                        e.stopPropagation();
                        p.onOpenFolder(row.prefix);
                      }}
                    >
                      📁 {row.name}
                    </button>
                  </div>
                  <div role="gridcell" />
                  <div role="gridcell" />
                  <div role="gridcell" />
                  <div role="gridcell" />
                </div>
              );
            }
            const f = row.file;
            const d = p.dragOf(f);
            return (
              <div
                key={row.id}
                {...rowProps}
                style={style}
                draggable
                data-drag={d?.state ?? 'none'}
                onMouseEnter={() => f.size <= DRAG_PREFETCH_BYTES && p.onPrepareDrag(f)}
                onDragStart={(e) => {
                  // Main hands the OS a finished file from the drag cache; the page drags nothing itself.
                  e.preventDefault();
                  p.onStartDrag(f);
                }}
              >
                <div role="gridcell" className="name">
                  {row.name}
                  {d?.state === 'preparing' && (
                    <span className="hint" role="status">
                      {' '}
                      {t('browser.preparing', {
                        percent: Math.floor((100 * d.bytesDone) / Math.max(1, f.size)),
                      })}
                    </span>
                  )}
                </div>
                <div role="gridcell">{formatBytes(f.size)}</div>
                <div role="gridcell">{dateFormat.format(f.lastModified)}</div>
                <div role="gridcell">{row.type}</div>
                <div role="gridcell">
                  <button
                    type="button"
                    tabIndex={-1}
                    aria-label={`${t('browser.download')}: ${row.name}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      p.onDownload(f);
                    }}
                  >
                    {t('browser.download')}
                  </button>
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../shared/format';
import type { DragItemView, FileEntry } from '../../shared/ipc';
import type { Row, SortColumn, SortOrder } from '../listing';

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
}

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
      role="table"
      aria-label={t('browser.list')}
      aria-rowcount={p.rows.length + 1}
      className="files"
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
                <div
                  key={row.id}
                  role="row"
                  aria-rowindex={v.index + 2}
                  className="file-row"
                  style={style}
                >
                  <div role="cell">
                    <button
                      type="button"
                      className="link folder"
                      onClick={() => p.onOpenFolder(row.prefix)}
                    >
                      📁 {row.name}
                    </button>
                  </div>
                  <div role="cell" />
                  <div role="cell" />
                  <div role="cell" />
                  <div role="cell" />
                </div>
              );
            }
            const f = row.file;
            const d = p.dragOf(f);
            return (
              <div
                key={row.id}
                role="row"
                aria-rowindex={v.index + 2}
                className="file-row"
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
                <div role="cell" className="name">
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
                <div role="cell">{formatBytes(f.size)}</div>
                <div role="cell">{dateFormat.format(f.lastModified)}</div>
                <div role="cell">{row.type}</div>
                <div role="cell">
                  <button
                    type="button"
                    aria-label={`${t('browser.download')}: ${row.name}`}
                    onClick={() => p.onDownload(f)}
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

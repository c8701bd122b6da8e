/**
 * The drawer's icons, inline SVG drawn with `currentColor` (themed by CSS, crisp at any scale,
 * no emoji). Decorative: the state is always also written out, so they are aria-hidden.
 */
import type { ReactNode } from 'react';
import type { RowState } from './format';

const Svg = ({ children, className }: { children: ReactNode; className?: string }) => (
  <svg
    className={className}
    viewBox="0 0 16 16"
    width="16"
    height="16"
    aria-hidden="true"
    focusable="false"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.5"
    strokeLinecap="round"
    strokeLinejoin="round"
  >
    {children}
  </svg>
);

const STATE_PATHS: Record<RowState, ReactNode> = {
  queued: (
    <>
      <circle cx="8" cy="8" r="6.25" />
      <path d="M8 4.5V8l2.5 1.5" />
    </>
  ),
  running: (
    <>
      <path d="M8 2.5v8" />
      <path d="M4.5 7.5 8 11l3.5-3.5" />
      <path d="M3 13.5h10" />
    </>
  ),
  retrying: (
    <>
      <path d="M13 8a5 5 0 1 1-1.5-3.55" />
      <path d="M13 2.5v2.5h-2.5" />
    </>
  ),
  quiet: (
    <>
      <path d="M2.5 8h2l1.5-3 2 6 1.5-3h4" />
    </>
  ),
  paused: (
    <>
      <path d="M5.5 3.5v9" />
      <path d="M10.5 3.5v9" />
    </>
  ),
  done: (
    <>
      <circle cx="8" cy="8" r="6.25" />
      <path d="m5 8.25 2 2 4-4.5" />
    </>
  ),
  failed: (
    <>
      <circle cx="8" cy="8" r="6.25" />
      <path d="M8 4.75v4" />
      <path d="M8 11.25v.01" />
    </>
  ),
  cancelled: (
    <>
      <circle cx="8" cy="8" r="6.25" />
      <path d="m5.75 5.75 4.5 4.5M10.25 5.75l-4.5 4.5" />
    </>
  ),
};

export const StateIcon = ({ state }: { state: RowState }) => (
  <Svg className={`tx-state-icon ${state}`}>{STATE_PATHS[state]}</Svg>
);

export const FileIcon = () => (
  <Svg className="tx-kind-icon">
    <path d="M4 1.75h5.25L12.5 5v9.25H4z" />
    <path d="M9 1.75V5.25h3.5" />
  </Svg>
);

export const FolderIcon = () => (
  <Svg className="tx-kind-icon">
    <path d="M1.75 4.25a1 1 0 0 1 1-1h3.5l1.5 1.5h5.5a1 1 0 0 1 1 1v6.5a1 1 0 0 1-1 1h-10.5a1 1 0 0 1-1-1z" />
  </Svg>
);

export const CloseIcon = () => (
  <Svg>
    <path d="m4 4 8 8M12 4l-8 8" />
  </Svg>
);

export const ChevronIcon = ({ open }: { open: boolean }) => (
  <Svg className={`tx-chevron${open ? ' open' : ''}`}>
    <path d="m6 4 4 4-4 4" />
  </Svg>
);

export const DownloadsIcon = () => (
  <Svg>
    <path d="M8 2v8" />
    <path d="M4.75 7 8 10.25 11.25 7" />
    <path d="M2.5 12.5v1h11v-1" />
  </Svg>
);

/**
 * The window's icons as inline SVG (no emoji, no icon font, nothing fetched): 16-pixel line
 * icons for commands (currentColor), and file-type icons whose colours come from the theme
 * (--icon-* in styles.css). All are decorative: the control or row carries the name.
 */
import type { FileKind } from '../model/fileKinds';

type P = { className?: string };

function Line({ d, className, children }: P & { d?: string; children?: React.ReactNode }) {
  return (
    <svg
      className={`icon ${className ?? ''}`}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {d && <path d={d} />}
      {children}
    </svg>
  );
}

export const BackIcon = (p: P) => <Line {...p} d="M10 3 5 8l5 5" />;
export const ForwardIcon = (p: P) => <Line {...p} d="M6 3l5 5-5 5" />;
export const UpIcon = (p: P) => <Line {...p} d="M8 13V3.5M4 7.5l4-4 4 4" />;
export const RefreshIcon = (p: P) => <Line {...p} d="M13 8a5 5 0 1 1-1.6-3.7M13.2 2.5v2.8h-2.8" />;
export const DownloadIcon = (p: P) => <Line {...p} d="M8 2.5v8M4.5 7 8 10.5 11.5 7M3 13.5h10" />;
export const DownloadToIcon = (p: P) => (
  <Line {...p} d="M1.75 4.25h4l1.5 1.5h7v7.5H1.75zM8 7.5v4M6.3 9.8 8 11.5l1.7-1.7" />
);
export const EyeIcon = (p: P) => (
  <Line {...p} d="M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8z">
    <circle cx="8" cy="8" r="2" />
  </Line>
);
export const CopyIcon = (p: P) => <Line {...p} d="M5.5 5.5h7.5v8.5H5.5zM3 10.5V2.5h7.5" />;
export const SidebarIcon = (p: P) => <Line {...p} d="M2 3h12v10H2zM6 3v10" />;
export const SearchIcon = (p: P) => (
  <Line {...p} d="M10.5 10.5 14 14">
    <circle cx="7" cy="7" r="4.5" />
  </Line>
);
export const CloseIcon = (p: P) => <Line {...p} d="M4 4l8 8M12 4l-8 8" />;
export const ViewIcon = (p: P) => <Line {...p} d="M2.5 4h11M2.5 8h11M2.5 12h11" />;
export const GearIcon = (p: P) => (
  <Line
    {...p}
    d="M8 1.75v1.5M8 12.75v1.5M1.75 8h1.5M12.75 8h1.5M3.6 3.6l1.05 1.05M11.35 11.35l1.05 1.05M3.6 12.4l1.05-1.05M11.35 4.65l1.05-1.05"
  >
    <circle cx="8" cy="8" r="2.75" />
  </Line>
);
export const PersonIcon = (p: P) => (
  <Line {...p} d="M2.75 14c.6-2.9 2.7-4.5 5.25-4.5s4.65 1.6 5.25 4.5">
    <circle cx="8" cy="5.25" r="2.75" />
  </Line>
);
export const ChevronDownIcon = (p: P) => <Line {...p} d="M4 6l4 4 4-4" />;
export const ChevronRightSmall = (p: P) => <Line {...p} d="M6 4l4 4-4 4" />;
export const ClockIcon = (p: P) => (
  <Line {...p} d="M8 5v3.2l2.2 1.5">
    <circle cx="8" cy="8" r="6" />
  </Line>
);
export const BucketIcon = (p: P) => (
  <Line
    {...p}
    d="M2.5 4.5C2.5 3.4 5 2.5 8 2.5s5.5.9 5.5 2S11 6.5 8 6.5 2.5 5.6 2.5 4.5zm0 0v7c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2v-7"
  />
);
export const HomeIcon = (p: P) => <Line {...p} d="M2.5 7.5 8 3l5.5 4.5M4 6.5v6.5h8V6.5" />;
export const GroupIcon = (p: P) => (
  <Line {...p} d="M1.5 13c0-2.2 1.8-3.5 4-3.5s4 1.3 4 3.5M10 9.6c2.3 0 4.5 1.1 4.5 3.4">
    <circle cx="5.5" cy="5.5" r="2.2" />
    <circle cx="11" cy="5.8" r="1.9" />
  </Line>
);
export const FolderLineIcon = (p: P) => <Line {...p} d="M1.75 3.25h4l1.5 1.5h7v8H1.75z" />;
export const TrayIcon = (p: P) => (
  <Line {...p} d="M8 2v7M5 6l3 3 3-3M2 9.5l1.5-0.1V13h9V9.4L14 9.5" />
);
export const WarningIcon = (p: P) => <Line {...p} d="M8 2 1.5 13.5h13zM8 6.5v3.2M8 11.6v.1" />;
export const EmptyIcon = (p: P) => <Line {...p} d="M1.75 3.25h4l1.5 1.5h7v8H1.75zM5.5 9h5" />;

/** The file-type icon of a row (folders, images, PDFs, text, code, tables, archives, media). */
export function FileTypeIcon({ kind, className }: { kind: FileKind; className?: string }) {
  const cls = `file-icon ${className ?? ''}`;
  if (kind === 'folder')
    return (
      <svg className={cls} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
        <path
          d="M1.5 4a1 1 0 0 1 1-1h3.4l1.5 1.5h6.1a1 1 0 0 1 1 1V12a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z"
          fill="var(--icon-folder)"
        />
        <path d="M1.5 6h13v6a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z" fill="var(--icon-folder-front)" />
      </svg>
    );
  return (
    <svg className={cls} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      {/* The page and its folded corner in one path (the corner's open line fills with the page). */}
      <path
        d="M3.5 1.5h6l3 3v10h-9zM9.5 1.5v3h3"
        fill="var(--icon-page)"
        stroke="var(--icon-page-line)"
        strokeLinejoin="round"
      />
      <FileGlyph kind={kind} />
    </svg>
  );
}

function FileGlyph({ kind }: { kind: FileKind }) {
  switch (kind) {
    case 'image':
      return (
        <>
          <circle cx="6.3" cy="7.2" r="1.1" fill="var(--icon-image)" />
          <path d="M4.5 12.5 7 9.6l1.6 1.6 1.5-1.4 1.4 2.7z" fill="var(--icon-image)" />
        </>
      );
    case 'pdf':
      return <rect x="2" y="8.5" width="9" height="4.5" rx="1" fill="var(--icon-pdf)" />;
    case 'text':
      return (
        <path
          d="M5 7h5M5 9h5M5 11h3.5"
          stroke="var(--icon-text)"
          strokeWidth="1"
          strokeLinecap="round"
        />
      );
    case 'code':
      return (
        <path
          d="M6.5 8 5 9.5 6.5 11M9.5 8 11 9.5 9.5 11"
          fill="none"
          stroke="var(--icon-code)"
          strokeWidth="1.1"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      );
    case 'spreadsheet':
      return (
        <path
          d="M5 7h6v5H5zM5 9.5h6M8 7v5"
          fill="none"
          stroke="var(--icon-sheet)"
          strokeWidth="1"
        />
      );
    case 'archive':
      return (
        <path
          d="M8 2v1.5M8 4.5V6M8 7v1.5M7 9h2v2.5H7z"
          fill="none"
          stroke="var(--icon-archive)"
          strokeWidth="1.1"
        />
      );
    case 'audio':
      return (
        <path
          d="M7 11.2V7.2l3.5-.9v4"
          fill="none"
          stroke="var(--icon-media)"
          strokeWidth="1.1"
          strokeLinecap="round"
        />
      );
    case 'video':
      return <path d="M6.5 7.2v4.6l4-2.3z" fill="var(--icon-media)" />;
    default:
      return null;
  }
}

/**
 * What "Open" may open (docs/security-decisions.md). Object keys are hostile input: anyone who
 * can write to the bucket chooses names and bytes, so opening a download with the system's
 * default app must never run a program or a script. Main opens only:
 *
 * - a file the transfer queue itself downloaded and verified, named by the transfer's opaque id
 *   (the renderer never hands main a path);
 * - whose extension is on an allowlist of document, image, audio, video and plain-archive
 *   types (an allowlist, because the list of things an OS will execute is open-ended: `.exe`,
 *   `.app`, `.command`, `.desktop`, `.lnk`, `.jar`, `.ps1`, `.vbs`, `.hta`, `.scr`, macro
 *   documents like `.docm` …); the last extension decides (`invoice.pdf.exe` is a program);
 * - that is still the file it verified: a regular file (not a link), same size, same inode,
 *   same modification time as when the download finished.
 */
import { lstat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { KuraError } from './kuraError';

/** The identity of a verified file, taken when its download finished. */
export interface FileFingerprint {
  size: number;
  ino: number;
  mtimeMs: number;
}

const OPENABLE = new Set(
  [
    // Documents. Not the formats that carry macros or embedded objects (.doc .xls .ppt, .rtf,
    // .docm …): files Kura writes carry no mark-of-the-web, so Office would not open them in
    // Protected View.
    'pdf txt text md csv tsv log json xml yaml yml',
    'docx xlsx pptx odt ods odp pages numbers key epub',
    // images (not PostScript: .eps is a program for its interpreter)
    'png jpg jpeg gif webp bmp tif tiff heic heif avif ico psd ai',
    // audio and video
    'mp3 m4a aac wav flac ogg oga opus aif aiff mp4 m4v mov avi mkv webm wmv mpg mpeg',
    // archives an archive manager opens (it lists and extracts; it runs nothing)
    'zip 7z tar gz tgz bz2 xz',
    // drawings and data people exchange
    'dwg dxf stl obj gpx kml srt vtt',
  ]
    .join(' ')
    .split(' '),
);

/** The lower-case last extension of a file name, without the dot ('' when none). */
export function extensionOf(name: string): string {
  return extname(name).slice(1).toLowerCase();
}

/** Whether a file of this name is a type Kura opens with the system's default app. */
export function isOpenableName(name: string): boolean {
  return OPENABLE.has(extensionOf(name));
}

export async function fingerprintOf(path: string): Promise<FileFingerprint> {
  const st = await lstat(path);
  return { size: st.size, ino: st.ino, mtimeMs: st.mtimeMs };
}

/** Throws unless `path` may be opened: an allowed type, still the file that was verified. */
export async function assertOpenable(path: string, verified: FileFingerprint): Promise<void> {
  if (!isOpenableName(path)) {
    const ext = extensionOf(path);
    throw new KuraError('OPEN_REFUSED', ext ? `.${ext}` : basename(path));
  }
  let st;
  try {
    st = await lstat(path);
  } catch {
    throw new KuraError('FILE_CHANGED');
  }
  if (
    !st.isFile() ||
    st.size !== verified.size ||
    st.ino !== verified.ino ||
    st.mtimeMs !== verified.mtimeMs
  )
    throw new KuraError('FILE_CHANGED');
}

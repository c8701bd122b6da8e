/** What kind of file a name is, for its icon and the Type column ("PNG image", "PDF document"). */
export type FileKind =
  | 'folder'
  | 'image'
  | 'pdf'
  | 'text'
  | 'code'
  | 'spreadsheet'
  | 'archive'
  | 'audio'
  | 'video'
  | 'generic';

const KINDS: Record<Exclude<FileKind, 'folder' | 'generic'>, string> = {
  image: 'png jpg jpeg gif webp bmp svg tif tiff heic avif ico',
  pdf: 'pdf',
  text: 'txt text md markdown log rtf doc docx odt pages srt vtt',
  code: 'json jsonl xml yaml yml ini conf cfg toml sh bat ps1 py js ts tsx jsx css html htm sql java c h cpp rs go rb php swift kt tex',
  spreadsheet: 'csv tsv xls xlsx ods numbers',
  archive: 'zip gz tgz tar bz2 xz 7z rar zst dmg iso',
  audio: 'mp3 wav flac aac m4a ogg opus',
  video: 'mp4 mov avi mkv webm m4v wmv',
};
const BY_EXTENSION = new Map<string, FileKind>(
  Object.entries(KINDS).flatMap(([kind, exts]) =>
    exts.split(' ').map((e) => [e, kind as FileKind] as const),
  ),
);

/** The extension people think of as the type ("pdf"; "tar.gz" is "gz"); '' when none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

export function fileKind(name: string): FileKind {
  return BY_EXTENSION.get(extensionOf(name)) ?? 'generic';
}

/**
 * The name of an S3 key or prefix: its last path segment, trailing slashes ignored
 * (`a/b/report.pdf` → `report.pdf`, `a/b/` → `b`). '' when the key has no name (`''`, `/`):
 * callers choose their own fallback (the key, the bucket). The one place main and the renderer
 * read a key's name (issue #17). Not a safe file name: see src/main/services/safeNames.ts.
 */
export function keyName(key: string): string {
  const end = key.replace(/\/+$/, '');
  return end.slice(end.lastIndexOf('/') + 1);
}

/** What "Open" may open (docs/security-decisions.md): never a program, a script or a macro file. */
import { writeFileSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertOpenable,
  fingerprintOf,
  isOpenableName,
} from '../../../src/main/services/openPolicy';
import { tempDir } from '../../helpers/kura';

const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'opened',
    (e: { code?: string }) => e.code,
  );

describe('open policy', () => {
  it('allows documents, images, media and archives; refuses programs, scripts and macro files', () => {
    for (const ok of ['report.pdf', 'Photo.JPG', 'notes.md', 'sheet.xlsx', 'clip.mp4', 'a.tar.gz'])
      expect(isOpenableName(ok), ok).toBe(true);
    for (const refused of [
      'invoice.pdf.exe',
      'setup.sh',
      'run.command',
      'app.desktop',
      'x.lnk',
      'macro.docm',
      'old.doc',
      'old.xls',
      'letter.rtf',
      'page.html',
      'image.svg',
      'print.eps',
      'README',
      '.bashrc',
      'tool.jar',
      'script.ps1',
    ])
      expect(isOpenableName(refused), refused).toBe(false);
  });

  it('opens only the very file that was verified', async () => {
    const dir = tempDir();
    const file = join(dir, 'report.pdf');
    writeFileSync(file, '%PDF-1.4 verified');
    const verified = await fingerprintOf(file);
    expect(await code(assertOpenable(file, verified))).toBe('opened');
    // Replaced by other bytes of another length, or by a link, or gone: refused.
    writeFileSync(file, 'something else');
    expect(await code(assertOpenable(file, verified))).toBe('FILE_CHANGED');
    const link = join(dir, 'link.pdf');
    symlinkSync(join(dir, 'elsewhere.pdf'), link);
    expect(await code(assertOpenable(link, verified))).toBe('FILE_CHANGED');
    expect(await code(assertOpenable(join(dir, 'gone.pdf'), verified))).toBe('FILE_CHANGED');
    // Same length, other content written later: the modification time tells.
    writeFileSync(file, '%PDF-1.4 verified');
    const again = await fingerprintOf(file);
    writeFileSync(file, '%PDF-1.4 tampered');
    utimesSync(file, new Date(), new Date(again.mtimeMs + 5_000));
    expect(await code(assertOpenable(file, again))).toBe('FILE_CHANGED');
    expect(await code(assertOpenable(join(dir, 'x.exe'), again))).toBe('OPEN_REFUSED');
  });
});

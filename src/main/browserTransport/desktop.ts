/**
 * The desktop hooks where there is no desktop shell: the browser transport of the e2e harness,
 * the demo without an Electron binary, and benchmarks. What Electron would hand to the OS is
 * recorded (so tests can check it) or done in the downloads folder; drag-out cannot leave a
 * browser page, so it is recorded for tests and refused for people.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DesktopHooks } from '../app/kuraApp';
import { KuraError } from '../services/kuraError';
import { safeSegment } from '../services/safeNames';

export interface RecordingDesktop extends DesktopHooks {
  drags: string[][];
  revealed: string[];
  /** Files the app asked the OS to open with their default app. */
  opened: string[];
  copied: string[];
  notices: { title: string; body: string }[];
  saved: string[];
  /** What "Download to…" answers next (undefined: the user cancels). */
  nextFolder: string | undefined;
}

export function recordingDesktop(
  downloadsDir: string,
  o: { dragAllowed?: boolean } = {},
): RecordingDesktop {
  const d: RecordingDesktop = {
    drags: [],
    revealed: [],
    opened: [],
    copied: [],
    notices: [],
    saved: [],
    nextFolder: undefined,
    startDrag(paths) {
      if (o.dragAllowed === false) throw new KuraError('DRAG_UNAVAILABLE');
      d.drags.push(paths);
    },
    reveal(path) {
      d.revealed.push(path);
    },
    openFile(path) {
      d.opened.push(path);
      return Promise.resolve();
    },
    chooseFolder() {
      const f = d.nextFolder;
      if (f) mkdirSync(f, { recursive: true });
      return Promise.resolve(f);
    },
    saveFile(suggestedName, contents) {
      const path = join(downloadsDir, safeSegment(suggestedName));
      writeFileSync(path, contents, { mode: 0o600 });
      d.saved.push(path);
      return Promise.resolve(true);
    },
    copyText(text) {
      d.copied.push(text);
    },
    notify(title, body) {
      d.notices.push({ title, body });
    },
  };
  return d;
}

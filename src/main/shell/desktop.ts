/** The desktop hooks of the Electron shell: drag-out, Finder/Explorer, dialogs, clipboard, notifications. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, clipboard, dialog, Notification, shell, type BrowserWindow } from 'electron';
import type { DesktopHooks } from '../app/kuraApp';
import { KuraError } from '../services/kuraError';
import { dragIcon } from './windows';

export function electronDesktop(window: () => BrowserWindow | undefined): DesktopHooks {
  return {
    // The OS drag starts from the app window with files from the drag cache only.
    startDrag(paths) {
      window()?.webContents.startDrag({ file: paths[0]!, files: paths, icon: dragIcon() });
    },
    reveal(path) {
      shell.showItemInFolder(path);
    },
    async openFile(path) {
      // The one use of openPath (docs/security-decisions.md): RendererApi.openTransfer hands it
      // only a finished download the queue verified, of an allowed type, still unchanged
      // (services/openPolicy.ts). No IPC argument reaches it: the renderer names a transfer id.
      // eslint-disable-next-line no-restricted-syntax -- the reviewed exception above
      const problem = await shell.openPath(path);
      if (problem) throw new KuraError('UNKNOWN', problem);
    },
    async chooseFolder() {
      const options = {
        defaultPath: app.getPath('downloads'),
        properties: ['openDirectory' as const, 'createDirectory' as const],
      };
      const w = window();
      const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
      return r.canceled ? undefined : r.filePaths[0];
    },
    async saveFile(suggestedName, contents) {
      const options = { defaultPath: join(app.getPath('documents'), suggestedName) };
      const w = window();
      const r = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
      if (r.canceled || !r.filePath) return false;
      await writeFile(r.filePath, contents);
      return true;
    },
    async copyText(text) {
      await clipboard.writeText(text);
    },
    notify(title, body) {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
  };
}

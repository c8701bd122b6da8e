/** Where Kura keeps its non-secret state when Electron's app.getPath is not available (CLI). */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env = process.env, platform = process.platform): string {
  if (env.KURA_DATA_DIR) return env.KURA_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Kura');
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Kura');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Kura');
}

export function defaultDownloadsDir(env = process.env): string {
  return env.KURA_DOWNLOADS_DIR ?? join(homedir(), 'Downloads');
}

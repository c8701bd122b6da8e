/**
 * App-wide guards (security review #8). Every webContents the app ever gets — its window, a
 * DevTools window, anything a future feature or a dependency creates — is held to the same
 * rules as the app's window, not only those made by windows.ts. And a packaged app refuses to
 * start with a switch that would let another program drive or inspect it (the fuses turn off
 * Node's --inspect; Chromium's --remote-debugging-* are not covered by fuses).
 */
import { app, dialog, shell, type WebContents } from 'electron';
import { APP_ORIGIN } from '../desktop/rendererFiles';
import { WORDS } from '../i18n';

/** https links the app itself offers (help pages), opened in the system browser. */
export const EXTERNAL_ALLOWLIST = ['https://github.com/', 'https://docs.aws.amazon.com/'];

export function isAllowedExternal(url: string): boolean {
  return url.startsWith('https://') && EXTERNAL_ALLOWLIST.some((prefix) => url.startsWith(prefix));
}

const inApp = (url: string) => url.startsWith(`${APP_ORIGIN}/`);

/** No navigation or redirect away from the app, no webviews, no new windows (allowlisted https opens in the browser). */
export function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!inApp(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!inApp(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!inApp(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function guardAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
}

/** Switches that open the app to a debugger or to remote control. */
export const DEBUG_SWITCHES = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-debugging-address',
  'remote-allow-origins',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'inspect-publish-uid',
  'js-flags',
];

/** The first debugging switch on this command line, if any. */
export function debugSwitch(
  argv: string[],
  hasSwitch: (name: string) => boolean,
): string | undefined {
  return DEBUG_SWITCHES.find(
    (name) => hasSwitch(name) || argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`)),
  );
}

/** In the packaged app: says why and quits when started with a debugging switch; true then. */
export function refuseDebugSwitches(): boolean {
  if (!app.isPackaged) return false;
  const found = debugSwitch(process.argv, (name) => app.commandLine.hasSwitch(name));
  if (!found) return false;
  dialog.showErrorBox('Kura', `${WORDS.en.debugSwitch(found)}\n${WORDS.ja.debugSwitch(found)}`);
  app.exit(1);
  return true;
}

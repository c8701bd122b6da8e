import { spawn } from 'node:child_process';
import type { BrowserHooks } from '../main/services/managedLogin/browserSignIn';
import { say } from './terminal';

/**
 * The system browser for `login --sso`: xdg-open (Linux), open (macOS), the URL handler
 * (Windows). Without a display, with --no-browser, or when no opener runs, the URL is printed
 * for the user to open anywhere they like; the redirect still comes back to this machine.
 */
export function cliBrowser(noBrowser: boolean): BrowserHooks {
  const print = (url: string) => {
    process.stderr.write(say.login.openUrl(url) + '\n');
  };
  const display =
    process.platform === 'win32' ||
    process.platform === 'darwin' ||
    Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  return {
    open(url) {
      if (noBrowser || !display) return Promise.resolve(print(url));
      const [command, args] =
        process.platform === 'darwin'
          ? ['open', [url]]
          : process.platform === 'win32'
            ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
            : ['xdg-open', [url]];
      return new Promise<void>((resolve) => {
        const child = spawn(command, args, { stdio: 'ignore', detached: true });
        child.once('error', () => resolve(print(url)));
        child.once('spawn', () => {
          child.unref();
          process.stderr.write(say.login.openingBrowser(url) + '\n');
          resolve();
        });
      });
    },
  };
}

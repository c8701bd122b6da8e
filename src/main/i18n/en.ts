/**
 * The main process's own words in English — the menu, dialogs, notifications, the pages the
 * browser shows after a sign-in, and everything the `kura` CLI says. ja.ts is typed against
 * this table (`Words`), so a string missing in Japanese does not compile. Errors a user can
 * meet are not here: they are KuraError codes, worded in src/shared/errors.ts.
 */

export const en = {
  menu: {
    file: 'File',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    docs: 'Kura on GitHub',
    /** The role items' labels (macOS and Windows/Linux wording where they differ). */
    roles: {
      about: 'About Kura',
      services: 'Services',
      hide: 'Hide Kura',
      hideOthers: 'Hide Others',
      unhide: 'Show All',
      quit: 'Quit Kura',
      close: 'Close Window',
      undo: 'Undo',
      redo: 'Redo',
      cut: 'Cut',
      copy: 'Copy',
      paste: 'Paste',
      selectAll: 'Select All',
      resetZoom: 'Actual Size',
      zoomIn: 'Zoom In',
      zoomOut: 'Zoom Out',
      togglefullscreen: 'Toggle Full Screen',
      minimize: 'Minimize',
      zoom: 'Zoom',
      front: 'Bring All to Front',
    },
  },
  /** The question when quitting while downloads run. */
  quit: {
    message: 'Downloads are still running.',
    detail:
      'Quit anyway? Unfinished downloads stop now and go on where they left off the next time you open Kura.',
    quit: 'Quit',
    cancel: 'Keep downloading',
  },
  /** The system notification when a long download ends. */
  notice: {
    done: 'Download finished',
    failed: 'Download failed',
  },
  /** What the user sees when Kura cannot start. */
  startupFailed: {
    title: 'Kura could not start',
    body: (detail: string) =>
      `Kura stopped while starting: ${detail}\n\nOpen Kura again. If this keeps happening, send this message to your administrator.`,
  },
  /** A packaged app started with a debugging switch (said before the OS language is known). */
  debugSwitch: (flag: string) =>
    `Kura does not start with --${flag}: it would let other programs control it.`,
  /** Why no keychain could be used, in words a user can act on. */
  keychain: {
    unavailable: 'no keychain service is running on this computer',
    locked: 'the keychain is locked or refused access',
    failed: 'the keychain did not keep a test entry',
  },
  /** The pages the browser shows after a sign-in with the organisation's account. */
  browserPage: {
    signedIn: 'You are signed in to Kura. You can close this tab and go back to Kura.',
    failed: 'The sign-in did not complete. Go back to Kura to try again.',
    signedOut: 'You are signed out of your organisation in this browser. You can close this tab.',
    notStarted: 'This sign-in was not started by Kura, so nothing was signed in.',
  },
  cli: {
    usage: `usage: kura [--profile FILE] <command>
  login [--username U] [--password-stdin]   sign in (asks for a new password or an MFA code when needed)
  login --sso [--provider NAME] [--no-browser]   sign in with your organisation's account in the
                                            browser (--no-browser: print the URL to open instead)
  mfa [status | setup | remove]             your authenticator app (two-step verification)
  whoami [--json]                           who is signed in
  locations [--json]                        the places you can open (your home, your groups' folders …)
  ls [s3://bucket/prefix/] [--recursive] [--json]   (no URI: the locations)
  get s3://bucket/key [DEST]                download one file (DEST: a folder or a new file name)
  get --recursive s3://bucket/prefix/ DESTDIR   (DESTDIR is created when missing)
                                            interrupted? the same command again resumes it;
                                            with --discard it deletes what was kept instead
  history [--json | --csv] [--limit N]      the verified downloads, newest first
  logout [--everywhere]                     sign out (everywhere: all devices)
  --version                                 Kura's version, and which code verifies downloads' CRC64NVME
network (any command):
  --proxy URL                               use this proxy (default: HTTPS_PROXY / HTTP_PROXY / NO_PROXY)
  --proxy-pac FILE|URL                      pick the proxy per URL with this PAC file
  --wait-network SECONDS                    when the servers cannot be reached, wait for them (retrying
                                            with backoff) up to SECONDS, then fail
administrators (their own AWS credentials, from the usual chain):
  admin create-user EMAIL [--temporary-password] [--invite]
                                            (--temporary-password: asks for it, or reads stdin)
  admin list-users [--json]
  admin disable-user EMAIL | admin enable-user EMAIL
  admin reset-password EMAIL [--temporary-password]
  admin sign-out EMAIL                      sign the user out everywhere
  admin create-group NAME [--role-arn ARN] [--precedence N] [--description TEXT]
  admin list-groups [--json]
  admin add-to-group EMAIL GROUP | admin remove-from-group EMAIL GROUP
  admin profile --stack NAME [--region R] [--out FILE]   the connection profile from the stack
  admin publish-release DIR [--to s3://bucket/prefix/]
                                            upload electron-builder's output (installers and
                                            latest*.yml) to the profile's "updates" folder`,
    /** Mistakes in the command line (said with the usage, exit 2). */
    usageErrors: {
      unknownCommand: (command: string) => `unknown command: ${command}`,
      stdinEnded: 'standard input ended before all answers were given',
      passwordsDiffer: 'the two passwords differ',
      waitNetwork: '--wait-network needs a whole number of seconds, 1 or more',
      notS3Uri: (uri: string) => `not an s3:// URI: ${uri}`,
      ssoWithPassword: 'login --sso signs in in the browser: no --username or password',
      ssoOptionsAlone: '--provider and --no-browser go with login --sso',
      passwordStdinTerminal:
        '--password-stdin reads a pipe, and a terminal would show the password: leave it out and kura asks without showing it',
      noSuchProvider: (provider: string, offered: string) =>
        `no sign-in named ${provider}; this profile offers: ${offered}`,
      unknownMfaCommand: (action: string) => `unknown mfa command: ${action}`,
      getNeedsUri: 'get needs an s3:// URI',
      getNeedsFolder: 'get --recursive needs a destination folder',
      notAFolder: (dest: string) => `not a folder: ${dest}`,
      isAFolder: 'that is a folder: use get --recursive',
      noSuchFolder: (folder: string) => `folder does not exist: ${folder}`,
      engineNotJson: 'KURA_ENGINE is not JSON',
      limit: '--limit needs a positive whole number',
      adminOneEmail: (sub: string) =>
        `admin ${sub} takes one EMAIL; --temporary-password asks for the password (or reads it from standard input)`,
      adminStack: 'admin profile needs --stack NAME',
      adminEmail: (sub: string) => `admin ${sub} needs an EMAIL`,
      adminGroupName: 'admin create-group needs a NAME',
      precedence: '--precedence needs a whole number, 0 or more',
      adminEmailAndGroup: (sub: string) => `admin ${sub} needs an EMAIL and a GROUP`,
      unknownAdminCommand: (sub: string) => `unknown admin command: ${sub}`,
      noAdminCommand: 'unknown admin command: (none)',
      emptyTemporaryPassword: 'the temporary password is empty',
    },
    prompt: {
      email: 'Email: ',
      password: 'Password: ',
      newPassword: 'New password: ',
      repeatNewPassword: 'Repeat new password: ',
      smsCode: (destination: string) => `Code sent to ${destination}: `,
      smsCodeNoDestination: 'Code sent to your phone: ',
      totpCode: 'Code from your authenticator app: ',
      temporaryPassword: 'Temporary password: ',
      repeatTemporaryPassword: 'Repeat temporary password: ',
      proxyUser: 'Proxy user name: ',
      proxyPassword: 'Proxy password: ',
    },
    login: {
      newPasswordRequired:
        'A new password is required (at least 8 characters with upper and lower case, a digit and a symbol).',
      mfaSetupRequired:
        'Your organisation requires two-step verification: set up an authenticator app now.',
      cancelled: 'kura: sign-in cancelled',
      signedIn: (email: string) => `Signed in as ${email}.`,
      noKeychain: (why: string) =>
        `No keychain (${why}): you will not stay signed in after this command.`,
      openUrl: (url: string) => `Open this URL to sign in: ${url}`,
      openingBrowser: (url: string) =>
        `Opening your browser to sign in. If it does not open, open this URL: ${url}`,
      signedOut: 'Signed out.',
    },
    mfa: {
      on: 'Two-step verification: on (authenticator app)',
      off: 'Two-step verification: off',
      turnedOn:
        'Two-step verification is on: Kura asks for a code from your authenticator app when you sign in.',
      turnedOff: 'Two-step verification is off: the authenticator app is removed.',
      addToApp: 'Add Kura to your authenticator app: scan this code, or type in the secret below.',
      account: 'Account',
      secret: 'Secret',
    },
    proxy: {
      refused: (proxy: string) => `The proxy ${proxy} refused the user name and password.`,
      asks: (proxy: string) => `The proxy ${proxy} asks for a user name and password.`,
      asksRealm: (proxy: string, realm: string) =>
        `The proxy ${proxy} (${realm}) asks for a user name and password.`,
      waiting: (seconds: number) =>
        `kura: cannot reach the server; waiting for the network (up to ${seconds} s)…`,
    },
    get: {
      discarded: (uri: string) =>
        `kura: discarded the interrupted download of ${uri} and what it kept`,
      nothingToDiscard: (uri: string) => `kura: no interrupted download of ${uri} to discard`,
      resuming: (uri: string, kept: string) =>
        `kura: resuming the interrupted download of ${uri} (${kept} already here)`,
      restarting: (uri: string) => `kura: starting the interrupted download of ${uri} again`,
      partialFiles: (count: number) => `${count} files named .kura-….partial`,
      keptIn: (bytes: string, where: string) =>
        `${bytes} kept in ${where}; run the same command again to resume, or add --discard to delete it`,
      keptInFolder: (bytes: string, where: string, folder: string) =>
        `${bytes} kept in ${where} in ${folder}; run the same command again to resume, or add --discard to delete it`,
      stopped: 'kura: stopped',
      stoppedKept: (kept: string) => `kura: stopped; ${kept}`,
      skipped: (key: string, why: string) => `kura: skipped ${key}: ${why}`,
      folderDone: (files: number, bytes: string, path: string) =>
        `${files} files, ${bytes} → ${path}`,
    },
    admin: {
      wroteProfile: (file: string) => `Wrote ${file}: hand it to your users (it holds no secret).`,
      invited: (email: string) =>
        `Created ${email}; the invitation with a temporary password was emailed.`,
      created: (email: string, status: string) =>
        `Created ${email} (${status}); they must choose a new password at first sign-in.`,
      groupWithRole: (name: string, role: string) =>
        `Created the group ${name}; its members get the role ${role}.`,
      groupWithoutRole: (name: string) =>
        `Created the group ${name} (no role: it grants no folder).`,
      added: (email: string, group: string) =>
        `Added ${email} to ${group}: it takes effect as their ID token renews (within an hour).`,
      removed: (email: string, group: string) =>
        `Removed ${email} from ${group}: it takes effect as their ID token and AWS credentials renew (each lasts at most an hour).`,
      uploading: (name: string) => `Uploading ${name}`,
      published: (version: string, where: string, files: number) =>
        `Published Kura ${version} to ${where} (${files} files).`,
    },
  },
};

/**
 * The shape every language's table has: the same keys, strings where English has strings, and
 * functions of the same parameters where English has functions.
 */
type Shape<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => string
    ? (...args: A) => string
    : T[K] extends string
      ? string
      : Shape<T[K]>;
};

export type Words = Shape<typeof en>;

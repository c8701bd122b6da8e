/**
 * The desktop's part of the app, as an interface: implemented by the Electron shell
 * (src/main/shell/desktop.ts) and by the browser transport's stand-in
 * (src/main/browserTransport/desktop.ts), used by compose/kuraApp.ts and rendererApi.ts. Its own
 * module so that those two do not import each other (issue #17).
 */
/** What only the desktop (or a test transport standing in for it) can do. */
export interface DesktopHooks {
  /** Starts the OS drag of files from the drag cache. */
  startDrag(paths: string[]): void;
  /** Shows a file or folder in the system file manager. */
  reveal(path: string): void;
  /**
   * Opens a file with the system's default app. Only RendererApi.openTransfer calls it, with a
   * path the transfer queue vouches for (openPolicy.ts); never a path from the renderer.
   */
  openFile(path: string): Promise<void>;
  /** Asks for a folder to download into; undefined when the user cancels. */
  chooseFolder(): Promise<string | undefined>;
  /** Asks where to save `contents` and writes it there; false when the user cancels. */
  saveFile(suggestedName: string, contents: string): Promise<boolean>;
  copyText(text: string): void | Promise<void>;
  /** A system notification. */
  notify(title: string, body: string): void;
  /**
   * Opens the system browser at an http(s) URL main built (the organisation's sign-in page of
   * the active profile); never a URL from the renderer.
   */
  openExternal(url: string): Promise<void>;
  /** Brings the app's window to the front (the browser has sent the user back). */
  focusApp(): void;
}

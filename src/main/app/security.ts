import { pathToFileURL } from 'node:url';
import { shell, type BrowserWindow, type IpcMainInvokeEvent, type Session } from 'electron';

/** The one URL our renderer is loaded from; IPC from any other frame is refused. */
export function rendererUrl(rendererIndex: string): string {
  return process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererIndex).toString();
}

export function makeSenderCheck(win: () => BrowserWindow | null, allowedUrl: string) {
  const allowed = new URL(allowedUrl);
  return (event: IpcMainInvokeEvent): boolean => {
    const w = win();
    if (!w || event.sender !== w.webContents) return false;
    const frameUrl = event.senderFrame?.url;
    if (!frameUrl) return false;
    const u = new URL(frameUrl);
    if (allowed.protocol === 'file:') return u.protocol === 'file:' && u.pathname === allowed.pathname;
    return u.origin === allowed.origin;
  };
}

/** No navigation away from the app, no new windows, no permissions beyond notifications and clipboard. */
export function hardenWindow(win: BrowserWindow, allowedUrl: string): void {
  const allowed = new URL(allowedUrl);
  win.webContents.on('will-navigate', (e, url) => {
    const u = new URL(url);
    const same =
      allowed.protocol === 'file:'
        ? u.protocol === 'file:' && u.pathname === allowed.pathname
        : u.origin === allowed.origin;
    if (!same) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links in terminals open in the user's browser, never in an app window.
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => {
    callback(['notifications', 'clipboard-sanitized-write', 'clipboard-read'].includes(permission));
  });
}

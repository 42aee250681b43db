import { pathToFileURL } from 'node:url';
import { shell, type BrowserWindow, type IpcMainInvokeEvent, type Session } from 'electron';
import { isAppUrl, isExternalWebUrl, isTrustedSender } from './url-policy';

/** The one URL our renderer is loaded from; IPC from any other frame is refused. */
export function rendererUrl(rendererIndex: string): string {
  return process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererIndex).toString();
}

export function makeSenderCheck(win: () => BrowserWindow | null, allowedUrl: string) {
  return (event: IpcMainInvokeEvent): boolean => {
    const w = win();
    return isTrustedSender({
      allowedUrl,
      isOurWindow: w !== null && event.sender === w.webContents,
      frameUrl: event.senderFrame?.url,
    });
  };
}

/** No navigation away from the app, no new windows, no permissions beyond notifications and clipboard. */
export function hardenWindow(win: BrowserWindow, allowedUrl: string): void {
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAppUrl(allowedUrl, url)) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links in terminals open in the user's browser, never in an app window.
    if (isExternalWebUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => {
    callback(['notifications', 'clipboard-sanitized-write', 'clipboard-read'].includes(permission));
  });
}

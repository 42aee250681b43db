import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, Notification, session } from 'electron';
import { createConsoleLogger } from './engine/core/logger';
import { installLastResortHandlers } from './host/last-resort';
import { defaultDataDir } from './engine/engine';
import { HostBusyError, startHost, type Host } from './host/start-host';
import { bindEngineToIpc } from './transports/electron-ipc/ipc-server';
import { IPC_NOTIFICATION_CLICK, IPC_NOTIFY, IPC_PICK_DIRECTORY } from './transports/electron-ipc/ipc-channels';
import { hardenSession, hardenWindow, makeSenderCheck, rendererUrl } from './app/security';
import { buildMenu } from './app/menu';

/**
 * Electron composition root: the same engine as browser mode and the CLI, bound to IPC.
 * Main stays thin — window, security, menus, native dialogs, notifications.
 */
const log = createConsoleLogger();
installLastResortHandlers(log);
const dataDir = resolve(defaultDataDir());
let host: Host | null = null;
let win: BrowserWindow | null = null;
const rendererIndex = join(__dirname, '../renderer/index.html');
const allowedUrl = rendererUrl(rendererIndex);

function createWindow(): void {
  win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Multisession',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#15171c' : '#f6f7f9',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  hardenWindow(win, allowedUrl);
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => (win = null));
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(rendererIndex);
}

async function main(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession);
  try {
    host = await startHost({ dataDir, mode: 'electron', log, waitForCliMs: 15_000 });
  } catch (e) {
    const msg = e instanceof HostBusyError ? e.message : `Could not open ${dataDir}: ${(e as Error).message}`;
    dialog.showErrorBox('Multisession', msg);
    app.exit(1);
    return;
  }
  const trusted = makeSenderCheck(() => win, allowedUrl);
  bindEngineToIpc(host.engine, log, trusted);
  ipcMain.handle(IPC_PICK_DIRECTORY, async (event) => {
    if (!trusted(event) || !win) return null;
    const r = await dialog.showOpenDialog(win, { properties: ['openDirectory'], title: 'Choose a git repository' });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
  ipcMain.handle(IPC_NOTIFY, (event, title: unknown, body: unknown, sessionId: unknown) => {
    if (!trusted(event) || typeof title !== 'string' || typeof body !== 'string') return;
    if (!Notification.isSupported()) return;
    const n = new Notification({ title: title.slice(0, 200), body: body.slice(0, 1000) });
    n.on('click', () => {
      if (!win) return;
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      win.webContents.send(IPC_NOTIFICATION_CLICK, typeof sessionId === 'string' ? sessionId : null);
    });
    n.show();
  });
  Menu.setApplicationMenu(buildMenu());
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !host) return;
  e.preventDefault();
  quitting = true;
  void host.close().finally(() => app.exit(0));
});

void main();

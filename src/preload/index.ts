import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { isEventName, isRequestName } from '../shared/contract';
import type { PreloadApi } from './api';
import {
  IPC_EVENT,
  IPC_INVOKE,
  IPC_NOTIFICATION_CLICK,
  IPC_NOTIFY,
  IPC_PICK_DIRECTORY,
} from '../main/transports/electron-ipc/ipc-channels';

const listeners = new Map<string, Set<(payload: unknown) => void>>();
ipcRenderer.on(IPC_EVENT, (_e, name: string, payload: unknown) => {
  const set = listeners.get(name);
  if (set) for (const l of set) l(payload);
});
const clickListeners = new Set<(sessionId: string | null) => void>();
ipcRenderer.on(IPC_NOTIFICATION_CLICK, (_e, sessionId: string | null) => {
  for (const l of clickListeners) l(sessionId);
});

// Only `invoke` and `on`, allow-listed from the contract, plus three native helpers.
const api: PreloadApi = {
  invoke: ((name: string, input: unknown) => {
    if (!isRequestName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_REQUEST', message: `Unknown request ${name}` } });
    }
    return ipcRenderer.invoke(IPC_INVOKE, name, input);
  }) as PreloadApi['invoke'],
  on: ((name: string, listener: (payload: unknown) => void) => {
    if (!isEventName(name)) return () => undefined;
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }) as PreloadApi['on'],
  getPathForFile: (file) => webUtils.getPathForFile(file),
  pickDirectory: () => ipcRenderer.invoke(IPC_PICK_DIRECTORY),
  notify: (title, body, sessionId) => void ipcRenderer.invoke(IPC_NOTIFY, title, body, sessionId),
  onNotificationClick: (listener) => {
    clickListeners.add(listener);
    return () => clickListeners.delete(listener);
  },
  platform: process.platform,
};

contextBridge.exposeInMainWorld('multisession', api);

import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { EventName, EventPayload } from '../../../shared/contract';
import type { RpcEndpoint } from '../../engine/rpc/endpoint';
import type { Logger } from '../../engine/core/logger';
import type { Peer } from '../../engine/rpc/peer';
import { makeIpcInvokeHandler } from './ipc-invoke';

import { IPC_EVENT, IPC_INVOKE } from './ipc-channels';

/**
 * Binds the engine's router to Electron IPC — one channel for every request, one for every
 * event, no per-request glue. Only messages from trusted frames are answered.
 */
export function bindEngineToIpc(
  engine: RpcEndpoint,
  log: Logger,
  isTrusted: (e: IpcMainInvokeEvent) => boolean,
): () => void {
  const peers = new Map<number, Peer>();
  const peerFor = (wc: WebContents): Peer => {
    let peer = peers.get(wc.id);
    if (peer) return peer;
    const closeListeners: Array<() => void> = [];
    const p: Peer = {
      id: `ipc-${wc.id}`,
      kind: 'ipc',
      send<K extends EventName>(name: K, payload: EventPayload<K>) {
        if (!wc.isDestroyed()) wc.send(IPC_EVENT, name, payload);
      },
      onClose: (l) => void closeListeners.push(l),
      isOpen: () => !wc.isDestroyed(),
    };
    const close = () => {
      peers.delete(wc.id);
      for (const l of closeListeners.splice(0)) l();
    };
    wc.once('destroyed', close);
    // A reload starts a new renderer: its old subscriptions and terminal attachments are gone.
    wc.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) close();
    });
    peers.set(wc.id, p);
    engine.hub.addPeer(p);
    peer = p;
    return peer;
  };
  ipcMain.handle(
    IPC_INVOKE,
    makeIpcInvokeHandler<IpcMainInvokeEvent>({
      router: engine.router,
      log,
      isTrusted,
      peerFor: (event) => peerFor(event.sender),
    }),
  );
  return () => ipcMain.removeHandler(IPC_INVOKE);
}

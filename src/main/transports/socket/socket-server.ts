import type { Logger } from '../../engine/core/logger';
import type { RpcEndpoint } from '../../engine/rpc/endpoint';
import { attachFramePeer } from '../frame-peer';
import { listenLocalSocket } from './socket-listener';

/**
 * The server half of the app's local-socket transport (the CLI's): each connection becomes a frame
 * peer of the engine — the same frames as the WebSocket.
 */
export async function startSocketServer(
  endpoint: RpcEndpoint,
  socketPath: string,
  log: Logger,
): Promise<{ close(): Promise<void> }> {
  return listenLocalSocket(
    socketPath,
    (conn) => {
      const { handleFrame } = attachFramePeer({
        kind: 'socket',
        send: (text) => conn.send(text),
        onClose: (l) => conn.onClose(l),
        isOpen: () => conn.isOpen(),
        router: endpoint.router,
        hub: endpoint.hub,
        log,
      });
      conn.onFrame(handleFrame);
    },
    log,
  );
}

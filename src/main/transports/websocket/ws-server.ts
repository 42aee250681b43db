import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from '../../../shared/rpc';
import type { Logger } from '../../engine/core/logger';
import type { RpcEndpoint } from '../../engine/rpc/endpoint';
import { attachFramePeer } from '../frame-peer';

/** A client that lets this much of our output pile up unread is cut off (slow or stuck reader). */
export const DEFAULT_MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

export interface WsServer {
  /** Completes an HTTP upgrade the caller has already authorised. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Clients cut off for not reading. */
  readonly cutOff: number;
  close(): void;
}

/**
 * The server half of the WebSocket transport: each connection becomes a frame peer of the
 * engine. Authorisation (token, Host, Origin) is the HTTP host's job before `handleUpgrade`.
 */
export function createWsServer(opts: {
  endpoint: RpcEndpoint;
  log: Logger;
  maxBufferedBytes?: number;
  onCutOff?: () => void;
}): WsServer {
  const { endpoint, log } = opts;
  const maxBuffered = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES * 4 });
  let cutOff = 0;

  function onConnection(ws: WebSocket): void {
    const { handleFrame } = attachFramePeer({
      kind: 'ws',
      send: (text) => {
        if (ws.bufferedAmount > maxBuffered) {
          cutOff++;
          opts.onCutOff?.();
          log.warn('serve', 'cut off a client that stopped reading');
          ws.terminate();
          return;
        }
        ws.send(text);
      },
      onClose: (l) => ws.once('close', l),
      isOpen: () => ws.readyState === ws.OPEN,
      router: endpoint.router,
      hub: endpoint.hub,
      log,
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        handleFrame('\u0000binary');
        return;
      }
      handleFrame(data.toString());
    });
    ws.on('error', (e) => log.warn('serve', `websocket error: ${e.message}`));
  }

  return {
    handleUpgrade: (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws)),
    get cutOff() {
      return cutOff;
    },
    close: () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}

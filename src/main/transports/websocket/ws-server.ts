import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseJson } from '../../../shared/json';
import { AUTH_CLOSE, MAX_FRAME_BYTES, authFrameSchema } from '../../../shared/rpc';
import type { Logger } from '../../engine/core/logger';
import type { RpcEndpoint } from '../../engine/rpc/endpoint';
import { attachFramePeer } from '../frame-peer';

/** A client that lets this much of our output pile up unread is cut off (slow or stuck reader). */
export const DEFAULT_MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
/** A connection that has not authenticated within this is closed. */
export const AUTH_TIMEOUT_MS = 10_000;

export type AuthVerdict = 'ok' | 'wrong' | 'limited';

export interface WsServer {
  /** Completes an HTTP upgrade the caller has already checked (Host, Origin). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Clients cut off for not reading. */
  readonly cutOff: number;
  close(): void;
}

/**
 * The server half of the WebSocket transport. A connection is nobody until its first frame
 * carries the token (`{t:'auth', token}`); only then does it become a frame peer of the engine.
 * Host and Origin are the HTTP host's job before `handleUpgrade`.
 */
export function createWsServer(opts: {
  endpoint: RpcEndpoint;
  log: Logger;
  /** Judges the token of a connection's first frame; `remote` is its address. */
  authenticate: (token: string, remote: string) => Promise<AuthVerdict>;
  maxBufferedBytes?: number;
  authTimeoutMs?: number;
  onCutOff?: () => void;
}): WsServer {
  const { endpoint, log } = opts;
  const maxBuffered = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES * 4 });
  let cutOff = 0;

  function becomePeer(ws: WebSocket, socket: Duplex): (data: string) => void {
    // Frames sent in one turn of the event loop (the terminal host's coalesced output: several
    // sessions' chunks read at once) leave in one write instead of one each.
    let corked = false;
    const uncork = () => {
      corked = false;
      socket.uncork();
    };
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
        if (!corked) {
          corked = true;
          socket.cork();
          process.nextTick(uncork);
        }
        ws.send(text);
      },
      onClose: (l) => ws.once('close', l),
      isOpen: () => ws.readyState === ws.OPEN,
      router: endpoint.router,
      hub: endpoint.hub,
      log,
    });
    return handleFrame;
  }

  function onConnection(ws: WebSocket, socket: Duplex, remote: string): void {
    let handleFrame: ((text: string) => void) | null = null;
    let judging = false;
    const timer = setTimeout(
      () => ws.close(AUTH_CLOSE.timeout, 'authenticate first'),
      opts.authTimeoutMs ?? AUTH_TIMEOUT_MS,
    );
    timer.unref();
    ws.once('close', () => clearTimeout(timer));
    ws.on('message', (data, isBinary) => {
      try {
        const text = isBinary ? '\u0000binary' : data.toString();
        if (handleFrame) {
          handleFrame(text);
          return;
        }
        // Nothing but the token frame counts before the verdict on it.
        if (judging) return;
        clearTimeout(timer);
        const auth = parseJson(authFrameSchema, text);
        const token = auth.ok ? auth.value.token : '';
        judging = true;
        void opts.authenticate(token, remote).then((verdict) => {
          if (ws.readyState !== ws.OPEN) return;
          if (verdict !== 'ok') {
            ws.close(
              verdict === 'limited' ? AUTH_CLOSE.tooManyGuesses : AUTH_CLOSE.unauthorized,
              verdict === 'limited' ? 'too many wrong tokens, try later' : 'wrong or missing token',
            );
            return;
          }
          ws.send(JSON.stringify({ t: 'auth', ok: true }));
          handleFrame = becomePeer(ws, socket);
        });
      } catch (e) {
        // Last line of defence for one connection: drop it, keep the host.
        log.error('serve', 'a WebSocket frame could not be handled; closing that connection', e);
        ws.terminate();
      }
    });
    ws.on('error', (e) => log.warn('serve', `websocket error: ${e.message}`));
  }

  return {
    handleUpgrade: (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, socket, req.socket.remoteAddress ?? 'unknown')),
    get cutOff() {
      return cutOff;
    },
    close: () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}

import { createServer, type Server, type Socket } from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';
import type { Logger } from '../../engine/core/logger';
import { encodeLine, LineFramer } from '../line-framer';

/** One accepted connection of a line-framed local socket, as text frames. */
export interface SocketConnection {
  send(text: string): void;
  onFrame(listener: (text: string) => void): void;
  /** Called once when the connection ends. */
  onClose(listener: () => void): void;
  isOpen(): boolean;
  close(): void;
  /** Bytes written but not yet taken by the kernel (a slow reader). */
  readonly writableLength: number;
}

export interface SocketListener {
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * The server half of a local socket speaking newline-delimited JSON frames, for any contract:
 * only the data dir's owner can reach it (0600 via umask). A frame past the limit ends the
 * connection after the receiver answered it.
 */
export async function listenLocalSocket(
  socketPath: string,
  onConnection: (conn: SocketConnection) => void,
  log: Logger,
): Promise<SocketListener> {
  if (existsSync(socketPath)) unlinkSync(socketPath);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setEncoding('utf8');
    const frameListeners: Array<(text: string) => void> = [];
    const conn: SocketConnection = {
      send: (text) => {
        if (!socket.destroyed) socket.write(encodeLine(text));
      },
      onFrame: (l) => void frameListeners.push(l),
      onClose: (l) => void socket.once('close', l),
      isOpen: () => !socket.destroyed,
      close: () => socket.end(),
      get writableLength() {
        return socket.writableLength;
      },
    };
    const framer = new LineFramer(
      (line) => {
        for (const l of frameListeners) l(line);
      },
      () => socket.end(),
    );
    socket.on('data', (chunk: string) => {
      try {
        framer.push(chunk);
      } catch (e) {
        // Last line of defence for one connection: drop it, keep the host.
        log.error('rpc', 'a local-socket frame could not be handled; closing that connection', e);
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(conn);
  });
  const oldMask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
  } finally {
    process.umask(oldMask);
  }
  return {
    get connections() {
      return sockets.size;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      if (existsSync(socketPath)) {
        try {
          unlinkSync(socketPath);
        } catch {
          /* already gone */
        }
      }
    },
  };
}

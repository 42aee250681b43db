import { createServer, type Server, type Socket } from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';
import { MAX_FRAME_BYTES } from '../../shared/rpc';
import type { Engine } from '../engine/engine';
import type { Logger } from '../engine/core/logger';
import { attachFramePeer } from './frame-handler';

/**
 * The CLI's transport: newline-delimited JSON frames (the same frames as the WebSocket) over a
 * local socket only the data dir's owner can reach (0600 via umask of the socket file's dir).
 */
export async function startSocketServer(
  engine: Engine,
  socketPath: string,
  log: Logger,
): Promise<{ close(): Promise<void> }> {
  if (existsSync(socketPath)) unlinkSync(socketPath);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setEncoding('utf8');
    let buf = '';
    const { handleFrame } = attachFramePeer({
      kind: 'socket',
      send: (text) => {
        if (!socket.destroyed) socket.write(`${text}\n`);
      },
      onClose: (l) => socket.once('close', l),
      isOpen: () => !socket.destroyed,
      router: engine.router,
      hub: engine.hub,
      log,
    });
    socket.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim()) handleFrame(line);
      }
      if (buf.length > MAX_FRAME_BYTES) {
        handleFrame(buf);
        buf = '';
        socket.end();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
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

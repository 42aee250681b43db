import { createServer, type Server, type Socket } from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';
import type { Logger } from '../../engine/core/logger';
import type { RpcEndpoint } from '../../engine/rpc/endpoint';
import { attachFramePeer } from '../frame-peer';
import { encodeLine, LineFramer } from '../line-framer';

/**
 * The server half of the local-socket transport (the CLI's): newline-delimited JSON frames (the
 * same frames as the WebSocket) over a socket only the data dir's owner can reach (0600 via umask).
 */
export async function startSocketServer(
  endpoint: RpcEndpoint,
  socketPath: string,
  log: Logger,
): Promise<{ close(): Promise<void> }> {
  if (existsSync(socketPath)) unlinkSync(socketPath);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setEncoding('utf8');
    const { handleFrame } = attachFramePeer({
      kind: 'socket',
      send: (text) => {
        if (!socket.destroyed) socket.write(encodeLine(text));
      },
      onClose: (l) => socket.once('close', l),
      isOpen: () => !socket.destroyed,
      router: endpoint.router,
      hub: endpoint.hub,
      log,
    });
    const framer = new LineFramer(handleFrame, () => socket.end());
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

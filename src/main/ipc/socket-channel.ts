import { connect, type Socket } from 'node:net';
import type { FrameChannel } from '../../shared/client';

/** The client end of the local socket transport, as a FrameChannel for FrameClient. */
export function connectSocketChannel(socketPath: string): Promise<FrameChannel> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(socketPath);
    socket.setEncoding('utf8');
    const frameListeners: Array<(f: string) => void> = [];
    const closeListeners: Array<(r: string) => void> = [];
    let buf = '';
    socket.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        for (const l of frameListeners) l(line);
      }
    });
    socket.once('connect', () =>
      resolve({
        send: (f) => void socket.write(`${f}\n`),
        onFrame: (l) => void frameListeners.push(l),
        onClose: (l) => void closeListeners.push(l),
        close: () => socket.end(),
      }),
    );
    socket.once('error', (e) => reject(e));
    socket.on('close', () => {
      for (const l of closeListeners) l('socket closed');
    });
  });
}

import { connect, type Socket } from 'node:net';
import type { FrameChannel } from '../../../shared/client';
import { encodeLine, LineFramer } from '../line-framer';

/** The client half of the local-socket transport, as a FrameChannel for FrameClient. */
export function connectSocketChannel(socketPath: string): Promise<FrameChannel> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(socketPath);
    socket.setEncoding('utf8');
    const frameListeners: Array<(f: string) => void> = [];
    const closeListeners: Array<(r: string) => void> = [];
    const framer = new LineFramer((line) => {
      for (const l of frameListeners) l(line);
    });
    socket.on('data', (chunk: string) => framer.push(chunk));
    socket.once('connect', () =>
      resolve({
        send: (f) => void socket.write(encodeLine(f)),
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

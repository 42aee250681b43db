import type { FrameChannel } from '../../../shared/client';
import type { RpcEndpoint } from '../../engine/rpc/endpoint';
import type { Logger } from '../../engine/core/logger';
import { attachFramePeer } from '../frame-peer';

/**
 * The in-process transport: a FrameChannel to an engine this process owns. Frames still go through the same
 * frame handler and router as the socket and WebSocket transports, so every request is parsed
 * with the contract's schemas; delivery is deferred a tick so neither side re-enters the other.
 */
export function createInProcessChannel(endpoint: RpcEndpoint, log: Logger): FrameChannel {
  const frameListeners: Array<(frame: string) => void> = [];
  const closeListeners: Array<(reason: string) => void> = [];
  const hostCloseListeners: Array<() => void> = [];
  let open = true;
  const { handleFrame } = attachFramePeer({
    kind: 'local',
    send: (text) => {
      if (!open) return;
      setImmediate(() => {
        if (open) for (const l of frameListeners) l(text);
      });
    },
    onClose: (l) => void hostCloseListeners.push(l),
    isOpen: () => open,
    router: endpoint.router,
    hub: endpoint.hub,
    log,
  });
  return {
    send: (frame) => {
      if (!open) throw new Error('channel closed');
      setImmediate(() => {
        if (open) handleFrame(frame);
      });
    },
    onFrame: (l) => void frameListeners.push(l),
    onClose: (l) => void closeListeners.push(l),
    close: () => {
      if (!open) return;
      open = false;
      for (const l of hostCloseListeners.splice(0)) l();
      for (const l of closeListeners.splice(0)) l('closed by client');
    },
  };
}

import { events, type EventName, type EventPayload } from '../../shared/contract';
import type { EventFrame } from '../../shared/rpc';
import type { Logger } from '../engine/core/logger';
import type { EventHub } from '../engine/rpc/event-hub';
import type { Peer } from '../engine/rpc/peer';
import type { Router } from '../engine/rpc/router';
import { assertEventPayload, contractChecksEnabled } from '../engine/rpc/contract-checks';
import { createFrameDispatcher } from './frame-dispatch';

let peerSeq = 0;

/**
 * The text-frame side of a connection, shared by the WebSocket and local-socket transports:
 * parses each frame, answers malformed or oversized ones with a typed error, dispatches the rest
 * through the router, and turns the connection into a Peer that receives events.
 */
export function attachFramePeer(opts: {
  kind: Peer['kind'];
  send: (text: string) => void;
  /** Registered once; the transport calls it when the connection ends. */
  onClose: (listener: () => void) => void;
  isOpen: () => boolean;
  router: Router;
  hub: EventHub;
  log: Logger;
}): { peer: Peer; handleFrame: (text: string) => void } {
  const id = `${opts.kind}-${++peerSeq}`;
  // Events sent to this peer alone (terminal output) bypass the hub's check: checked here.
  const checkEvents = contractChecksEnabled();
  const closeListeners: Array<() => void> = [];
  let open = true;
  opts.onClose(() => {
    open = false;
    for (const l of closeListeners.splice(0)) l();
  });
  const peer: Peer = {
    id,
    kind: opts.kind,
    send<K extends EventName>(name: K, payload: EventPayload<K>) {
      if (!open || !opts.isOpen()) return;
      if (checkEvents) assertEventPayload(events, name, payload);
      const frame: EventFrame = { t: 'evt', name, payload };
      opts.send(JSON.stringify(frame));
    },
    sendFrame(frame: string) {
      if (open && opts.isOpen()) opts.send(frame);
    },
    onClose(listener) {
      if (!open) listener();
      else closeListeners.push(listener);
    },
    isOpen: () => open && opts.isOpen(),
  };
  opts.hub.addPeer(peer);

  const handleFrame = createFrameDispatcher({
    who: id,
    send: opts.send,
    isOpen: () => peer.isOpen(),
    dispatch: (name, input) => opts.router.dispatch(name, input, peer),
    log: opts.log,
  });
  return { peer, handleFrame };
}

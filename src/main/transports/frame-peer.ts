import { events, type EventName, type EventPayload } from '../../shared/contract';
import { parseJsonValue } from '../../shared/json';
import { MAX_FRAME_BYTES, requestFrameSchema, type EventFrame, type ResponseFrame } from '../../shared/rpc';
import type { Logger } from '../engine/core/logger';
import type { EventHub } from '../engine/rpc/event-hub';
import type { Peer } from '../engine/rpc/peer';
import type { Router } from '../engine/rpc/router';
import { assertEventPayload, contractChecksEnabled } from '../engine/rpc/contract-checks';

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
    onClose(listener) {
      if (!open) listener();
      else closeListeners.push(listener);
    },
    isOpen: () => open && opts.isOpen(),
  };
  opts.hub.addPeer(peer);

  const reply = (frame: ResponseFrame) => {
    if (peer.isOpen()) opts.send(JSON.stringify(frame));
  };

  const handleFrame = (text: string) => {
    if (text.length > MAX_FRAME_BYTES) {
      opts.log.warn('rpc', `${id}: refused a ${text.length}-character frame`);
      reply({
        t: 'res',
        id: -1,
        ok: false,
        error: { code: 'FRAME_TOO_LARGE', message: `Frames are limited to ${MAX_FRAME_BYTES} bytes.` },
      });
      return;
    }
    const json = parseJsonValue(text);
    if (!json.ok) {
      opts.log.warn('rpc', `${id}: malformed frame (not JSON)`);
      reply({ t: 'res', id: -1, ok: false, error: { code: 'BAD_INPUT', message: 'Malformed frame: not JSON.' } });
      return;
    }
    const raw = json.value;
    const frame = requestFrameSchema.safeParse(raw);
    if (!frame.success) {
      // Echo the id only when it could be one of ours (a whole number), so the answer is a valid frame.
      const rawId = typeof raw === 'object' && raw !== null && 'id' in raw ? raw.id : undefined;
      const maybeId = typeof rawId === 'number' && Number.isSafeInteger(rawId) ? rawId : -1;
      opts.log.warn('rpc', `${id}: malformed frame (not a request)`);
      reply({
        t: 'res',
        id: maybeId,
        ok: false,
        error: { code: 'BAD_INPUT', message: 'Malformed frame: expected {t:"req", id, name, input}.' },
      });
      return;
    }
    const { id: reqId, name, input } = frame.data;
    void opts.router
      .dispatch(name, input, peer)
      .then((result) => {
        reply(
          result.ok
            ? { t: 'res', id: reqId, ok: true, value: result.value }
            : { t: 'res', id: reqId, ok: false, error: result.error },
        );
      })
      .catch((e: unknown) => {
        // An answer that cannot be encoded or sent is this request's failure, not the host's.
        opts.log.error('rpc', `${id}: could not answer ${name}`, e);
        try {
          reply({
            t: 'res',
            id: reqId,
            ok: false,
            error: { code: 'INTERNAL', message: 'The answer could not be sent.' },
          });
        } catch {
          // The connection is gone.
        }
      });
  };
  return { peer, handleFrame };
}

import { events, type EventName, type EventPayload } from '../../../shared/contract';
import { assertEventPayload, contractChecksEnabled } from './contract-checks';
import type { Peer } from './peer';

type Listener<K extends EventName> = (payload: EventPayload<K>) => void;

/**
 * Fan-out of engine events: to every connected peer (broadcast events) and to in-process
 * listeners (other engine services, tests, the Electron shell for OS notifications).
 */
export class EventHub {
  private readonly peers = new Set<Peer>();
  private readonly listeners = new Map<EventName, Set<Listener<never>>>();
  /** Check every payload against its schema (tests, development): a mismatch throws at the emitter. */
  private readonly checkContract: boolean;

  constructor(opts: { checkContract?: boolean } = {}) {
    this.checkContract = opts.checkContract ?? contractChecksEnabled();
  }

  addPeer(peer: Peer): () => void {
    this.peers.add(peer);
    const remove = () => this.peers.delete(peer);
    peer.onClose(remove);
    return remove;
  }

  peerCount(): number {
    return this.peers.size;
  }

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    if (this.checkContract) assertEventPayload(events, name, payload);
    for (const peer of this.peers) {
      if (peer.isOpen()) peer.send(name, payload);
    }
    const set = this.listeners.get(name);
    if (set) for (const l of set) (l as Listener<K>)(payload);
  }

  on<K extends EventName>(name: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }
}

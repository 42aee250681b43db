import type { EventName, EventPayload } from '../../../shared/contract';
import type { Peer } from '../rpc/peer';
import type { FlowControl, Watermarks } from './flow-control';
import type { ReportedColours } from './headless-screen';
import { QueryFilter } from './query-filter';
import { ViewerSet, type SizePolicy, type TerminalSize } from './viewer-set';

type ViewerEvent = { [K in EventName]: { name: K; payload: EventPayload<K> } }[EventName];

interface Link {
  peer: Peer;
  /** False between the snapshot marker and promotion: events are buffered, not sent. */
  live: boolean;
  buffered: ViewerEvent[];
}

/**
 * The viewers of one terminal as the output sees them: who gets which bytes (the primary viewer
 * the program's output as is, every other one without terminal queries), in order with size
 * changes, and each viewer's flow-control account of what it was actually sent.
 */
export class TerminalViewers {
  readonly set = new ViewerSet();
  private readonly links = new Map<Peer, Link>();
  private readonly filter = new QueryFilter();

  constructor(
    private readonly sessionId: string,
    private readonly flow: FlowControl<Peer | 'host'>,
    private readonly marks: Watermarks,
  ) {}

  get count(): number {
    return this.links.size;
  }

  has(peer: Peer): boolean {
    return this.links.has(peer);
  }

  peers(): Peer[] {
    return [...this.links.keys()];
  }

  /** A new viewer: buffered until `promote`, primary from now on (attaching is using it). */
  add(peer: Peer, wanted: TerminalSize | null, colours: ReportedColours | null): void {
    this.remove(peer);
    this.links.set(peer, { peer, live: false, buffered: [] });
    this.set.add(peer, wanted, colours);
    this.flow.add(peer, this.marks);
  }

  remove(peer: Peer): boolean {
    if (!this.links.delete(peer)) return false;
    this.set.remove(peer);
    this.flow.remove(peer);
    return true;
  }

  clear(): void {
    for (const peer of [...this.links.keys()]) this.remove(peer);
  }

  /** Starts sending to a viewer whose snapshot is on its way: what was buffered first. */
  promote(peer: Peer): void {
    const link = this.links.get(peer);
    if (!link || link.live) return;
    for (const e of link.buffered) if (peer.isOpen()) this.emit(peer, e);
    link.buffered = [];
    link.live = true;
  }

  /**
   * Sends one chunk of output to every viewer. `hostAnswers`: nobody will answer the queries in it
   * (no primary viewer), so the host's headless terminal must; `gone`: viewers found closed (the
   * caller detaches them).
   */
  deliver(data: string): { hostAnswers: boolean; gone: Peer[] } {
    let primary = this.set.primary();
    if (primary && !primary.isOpen()) primary = null;
    let filtered: string | null = null;
    const gone: Peer[] = [];
    for (const link of this.links.values()) {
      if (!link.peer.isOpen()) {
        gone.push(link.peer);
        continue;
      }
      let out = data;
      if (link.peer !== primary) out = filtered ??= this.filter.filter(data);
      if (out.length === 0) continue;
      this.send(link, { name: 'terminals.data', payload: { sessionId: this.sessionId, data: out } });
      this.flow.sent(link.peer, out.length);
    }
    return { hostAnswers: primary === null, gone };
  }

  /** Tells every viewer the terminal's size, in order with its output. */
  announceSize(size: TerminalSize): void {
    for (const link of this.links.values()) {
      if (link.peer.isOpen())
        this.send(link, { name: 'terminals.size', payload: { sessionId: this.sessionId, ...size } });
    }
  }

  decide(policy: SizePolicy): TerminalSize | null {
    return this.set.decide(policy);
  }

  private send(link: Link, e: ViewerEvent): void {
    if (link.live) this.emit(link.peer, e);
    else link.buffered.push(e);
  }

  private emit(peer: Peer, e: ViewerEvent): void {
    (peer.send as (name: EventName, payload: unknown) => void)(e.name, e.payload);
  }
}

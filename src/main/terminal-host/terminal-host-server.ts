import type { EventName, EventPayload } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { EventFrame } from '../../shared/rpc';
import {
  terminalHostRequests,
  type TerminalHostRequests,
  type TerminalInfo,
} from '../../shared/terminal-host-contract';
import type { Logger } from '../engine/core/logger';
import { EventHub } from '../engine/rpc/event-hub';
import type { Peer } from '../engine/rpc/peer';
import { ContractRouter, type HandlersOf } from '../engine/rpc/router';
import { TerminalService, type TerminalServiceOptions } from '../engine/terminals/terminal-service';
import { createFrameDispatcher } from '../transports/frame-dispatch';
import type { SocketConnection } from '../transports/socket/socket-listener';
import { ACK_LINES_ON, decodeAckLine, encodeRelayLine, isAckLine } from './relay-line';
import { RelayOut } from './relay-out';

/** A client that lets this much of our output pile up unread is cut off (it stopped reading). */
const MAX_UNREAD_BYTES = 64 * 1024 * 1024;

export interface TerminalHostServerOptions {
  log: Logger;
  protocol: number;
  appVersion: string;
  bootId: string;
  startedAt: number;
  /** Scrollback, watermarks, activity timing of the terminals. */
  terminals?: Omit<TerminalServiceOptions, 'hub' | 'log'>;
  /** Nothing keeps the host up any more: no client, no running program, no unrecorded exit. */
  onIdleChange: (idle: boolean) => void;
  /** A client asked the host to exit (after stopping programs, when asked to). */
  onShutdown: () => void;
}

/** One engine connected to the terminal host. */
interface Connection {
  id: number;
  conn: SocketConnection;
  /** Every frame to the engine goes through here: terminal output coalesced, the rest in order. */
  out: RelayOut;
  /** The engine said hello with our protocol; until then only the frozen requests are served. */
  compatible: boolean;
  /** The engine takes viewer events as relay lines (relay-line.ts), forwarded to its client as they are. */
  relay: boolean;
  viewers: Map<string, ViewerPeer>;
}

let connectionSeq = 0;

/**
 * A viewer of one engine (a window, a browser tab, a CLI attach) as the terminals see it: a Peer
 * whose events travel as `viewer` events to its engine, which hands them to the real client.
 */
class ViewerPeer implements Peer {
  readonly kind = 'socket' as const;
  readonly id: string;
  private readonly closeListeners: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly c: Connection,
    readonly viewerId: string,
  ) {
    this.id = `${c.id}/${viewerId}`;
  }

  send<K extends EventName>(name: K, payload: EventPayload<K>): void {
    if (!this.isOpen()) return;
    const sessionId = (payload as { sessionId?: unknown }).sessionId;
    if (this.c.relay && typeof sessionId === 'string') {
      const client: EventFrame = { t: 'evt', name, payload };
      const line = encodeRelayLine(this.viewerId, sessionId, name, JSON.stringify(client));
      if (line !== null) {
        this.c.out.relay(line, sessionId);
        return;
      }
    }
    const frame: EventFrame = { t: 'evt', name: 'viewer', payload: { viewerId: this.viewerId, name, payload } };
    this.c.out.send(JSON.stringify(frame));
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  isOpen(): boolean {
    return !this.closed && this.c.conn.isOpen();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closeListeners.splice(0)) l();
  }
}

/**
 * The terminal host's service: the TerminalService (PTYs, headless terminals, flow control, status
 * detection) served to engines over the terminal-host contract. Keeps track of what keeps the
 * process alive — clients, running programs and exits no engine has recorded yet.
 */
export class TerminalHostServer {
  readonly hub = new EventHub();
  readonly service: TerminalService;
  private readonly router: ContractRouter<TerminalHostRequests, Connection>;
  private readonly connections = new Set<Connection>();
  private readonly unhandledExits = new Set<string>();
  private idle = false;

  constructor(private readonly opts: TerminalHostServerOptions) {
    this.service = new TerminalService({ ...opts.terminals, hub: this.hub, log: opts.log });
    this.service.onExit((e) => {
      this.unhandledExits.add(e.sessionId);
      this.checkIdle();
    });
    // The hub carries activity without its source; engines weigh the source in their status decision.
    this.service.onActivity((sessionId, activity, source) => {
      const frame: EventFrame = { t: 'evt', name: 'activity', payload: { sessionId, activity, source } };
      const text = JSON.stringify(frame);
      for (const c of this.connections) if (c.compatible && c.conn.isOpen()) c.out.send(text);
    });
    this.service.onSize((sessionId, cols, rows) => {
      const frame: EventFrame = { t: 'evt', name: 'size', payload: { sessionId, cols, rows } };
      const text = JSON.stringify(frame);
      for (const c of this.connections) if (c.compatible && c.conn.isOpen()) c.out.send(text);
    });
    this.router = new ContractRouter(terminalHostRequests, this.handlers(), opts.log);
    this.checkIdle();
  }

  /** Serves one accepted socket connection. */
  accept(conn: SocketConnection): void {
    const out = new RelayOut((text) => conn.send(text));
    const c: Connection = { id: ++connectionSeq, conn, out, compatible: false, relay: false, viewers: new Map() };
    this.connections.add(c);
    const hubPeer: Peer = {
      id: `engine-${c.id}`,
      kind: 'socket',
      send: (name, payload) => {
        if (conn.writableLength > MAX_UNREAD_BYTES) {
          this.opts.log.warn('terminal-host', `cut off client ${c.id}: it stopped reading`);
          out.dispose();
          conn.close();
          return;
        }
        const frame: EventFrame = { t: 'evt', name: 'hub', payload: { name, payload } };
        out.send(JSON.stringify(frame));
      },
      onClose: (l) => conn.onClose(l),
      isOpen: () => conn.isOpen(),
    };
    this.hub.addPeer(hubPeer);
    const dispatch = createFrameDispatcher({
      who: `engine-${c.id}`,
      send: (text) => out.send(text),
      isOpen: () => conn.isOpen(),
      dispatch: (name, input) => this.router.dispatchWith(name, input, c, `engine-${c.id}`),
      log: this.opts.log,
    });
    conn.onFrame((line) => {
      if (c.relay && isAckLine(line)) this.ackLine(c, line);
      else dispatch(line);
    });
    conn.onClose(() => {
      out.dispose();
      this.connections.delete(c);
      for (const v of c.viewers.values()) v.close();
      c.viewers.clear();
      this.checkIdle();
    });
    this.checkIdle();
  }

  /** Writes every connection's waiting output now (before the host closes its sockets). */
  flushAll(): void {
    for (const c of this.connections) c.out.flush();
  }

  /** Everything the host holds, for `list` and for diagnostics. */
  list(): TerminalInfo[] {
    const s = this.service;
    return s.sessionIds().map((id) => {
      const stats = s.stats(id);
      const size = s.size(id) ?? { cols: 0, rows: 0 };
      return {
        sessionId: id,
        running: s.isRunning(id),
        pid: s.pid(id),
        ...size,
        activity: stats?.activity ?? 'idle',
        outputBytes: stats?.outputBytes ?? 0,
        lastOutputAt: stats?.lastOutputAt ?? null,
        exit: s.lastExit(id),
        exitHandled: !this.unhandledExits.has(id),
      };
    });
  }

  get runningCount(): number {
    return this.service.sessionIds().filter((id) => this.service.isRunning(id)).length;
  }

  /** Stops every program (shutdown, stop-everything). */
  async stopAll(): Promise<void> {
    await this.service.dispose();
  }

  /** An ack line (relay-line.ts): like the `ack` request, without a response. */
  private ackLine(c: Connection, line: string): void {
    const a = decodeAckLine(line);
    const peer = a ? c.viewers.get(a.viewerId) : undefined;
    if (!a || !peer) {
      if (!a) this.opts.log.warn('terminal-host', `engine-${c.id}: malformed ack line`);
      return;
    }
    try {
      this.service.ack(a.sessionId, peer, a.chars);
    } catch {
      // The terminal is gone (released): nothing to acknowledge, as the request would have said.
    }
  }

  private viewer(c: Connection, viewerId: string): ViewerPeer {
    let v = c.viewers.get(viewerId);
    if (!v || !v.isOpen()) {
      v = new ViewerPeer(c, viewerId);
      c.viewers.set(viewerId, v);
    }
    return v;
  }

  private checkIdle(): void {
    const idle = this.connections.size === 0 && this.runningCount === 0 && this.unhandledExits.size === 0;
    if (idle === this.idle) return;
    this.idle = idle;
    this.opts.onIdleChange(idle);
  }

  private handlers(): HandlersOf<TerminalHostRequests, Connection> {
    const s = this.service;
    const ok = { ok: true as const };
    /** Requests of the current protocol need a hello with the same protocol first. */
    const v =
      <I, O>(fn: (input: I, c: Connection) => O) =>
      (input: I, c: Connection): O => {
        if (!c.compatible) {
          throw new AppError(
            'INVALID_STATE',
            `This terminal host speaks protocol ${this.opts.protocol} (Multisession ${this.opts.appVersion}); say hello with that protocol first.`,
          );
        }
        return fn(input, c);
      };
    return {
      hello: (i, c) => {
        c.compatible = i.protocol === this.opts.protocol;
        c.relay = c.compatible && i.relay === true;
        if (c.relay) c.out.send(ACK_LINES_ON);
        return {
          protocol: this.opts.protocol,
          appVersion: this.opts.appVersion,
          pid: process.pid,
          startedAt: this.opts.startedAt,
          bootId: this.opts.bootId,
          sessions: s.sessionIds().map((id) => ({ sessionId: id, pid: s.pid(id), running: s.isRunning(id) })),
        };
      },
      shutdown: async (i) => {
        this.opts.log.info('terminal-host', `shutdown requested (stop programs: ${i.stopPrograms})`);
        if (i.stopPrograms) await this.stopAll();
        setImmediate(() => this.opts.onShutdown());
        return ok;
      },
      // Frozen, like hello: a newer app takes sessions over whatever protocol this host speaks.
      handOver: async (i) => {
        const size = s.size(i.sessionId);
        if (!size) return { found: false, screen: null, cols: 0, rows: 0, exit: null };
        this.opts.log.info('terminal-host', `handing ${i.sessionId} over to a newer app`);
        const exit = await s.stop(i.sessionId, { graceMs: i.graceMs });
        const screen = await s.serialize(i.sessionId);
        s.release(i.sessionId);
        this.unhandledExits.delete(i.sessionId);
        this.checkIdle();
        return { found: true, screen, ...size, exit };
      },
      list: v(() => this.list()),
      spawn: v((i) => {
        this.unhandledExits.delete(i.sessionId);
        const r = s.spawn(i);
        this.checkIdle();
        return r;
      }),
      stop: v((i) => s.stop(i.sessionId, { graceMs: i.graceMs })),
      attach: v((i, c) => s.attach(i.sessionId, this.viewer(c, i.viewerId), i.cols, i.rows, i.colours)),
      detach: v((i, c) => {
        const peer = c.viewers.get(i.viewerId);
        if (peer) s.detach(i.sessionId, peer);
        return ok;
      }),
      detachViewer: v((i, c) => {
        c.viewers.get(i.viewerId)?.close();
        c.viewers.delete(i.viewerId);
        return ok;
      }),
      input: v((i, c) => {
        // Its echo is what the typist waits for: that session's output skips the coalescing.
        c.out.noteInput(i.sessionId);
        s.input(i.sessionId, i.data, i.viewerId ? c.viewers.get(i.viewerId) : undefined);
        return ok;
      }),
      resize: v((i, c) => s.resize(i.sessionId, i.cols, i.rows, i.viewerId ? this.viewer(c, i.viewerId) : undefined)),
      setSizePolicy: v((i) => (s.setSizePolicy(i.policy), ok)),
      ack: v((i, c) => {
        const peer = c.viewers.get(i.viewerId);
        if (peer) s.ack(i.sessionId, peer, i.chars);
        return ok;
      }),
      broadcast: v((i) => s.broadcast(i.sessionIds, i.text, i.enter)),
      serialize: v((i) => s.serialize(i.sessionId)),
      restore: v((i) => {
        this.unhandledExits.delete(i.sessionId);
        s.restore(i.sessionId, i.serialized, i.cols, i.rows);
        this.checkIdle();
        return ok;
      }),
      release: v((i) => {
        this.unhandledExits.delete(i.sessionId);
        s.release(i.sessionId);
        this.checkIdle();
        return ok;
      }),
      exitHandled: v((i) => {
        this.unhandledExits.delete(i.sessionId);
        this.checkIdle();
        return ok;
      }),
      flowStats: v((i) => s.flowStats(i.sessionId)),
      screenLines: v((i) => s.screenLines(i.sessionId)),
    };
  }
}

import { events as appEvents, isEventName, type EventName } from '../../shared/contract';
import type { TerminalActivity } from '../../shared/domain';
import { unwrap } from '../../shared/client';
import { terminalHostEvents, type HandOverReply, type TerminalInfo } from '../../shared/terminal-host-contract';
import { AppError } from '../../shared/errors';
import type { Logger } from '../engine/core/logger';
import type { EventHub } from '../engine/rpc/event-hub';
import type { Peer } from '../engine/rpc/peer';
import type {
  ActivitySource,
  AttachResult,
  ReportedColours,
  SizePolicy,
  IncompatibleHost,
  TerminalBackend,
  TerminalExit,
  TerminalHostLoss,
  TerminalSpawnOptions,
  TerminalStats,
} from '../engine/terminals/terminal-backend';
import { connectTerminalHost, findOtherHosts, type TerminalHostConnection } from './terminal-host-launcher';
import { contractChecksEnabled } from '../engine/rpc/contract-checks';
import { parseJsonValue } from '../../shared/json';
import { decodeRelayLine, encodeAckLine, relayFrameSchema } from './relay-line';

/** `stats` refreshes its figures (output bytes) from the host at most this often. */
const STATS_REFRESH_MS = 1000;

export interface RemoteTerminalsOptions {
  dataDir: string;
  protocol: number;
  appVersion: string;
  /** The engine's hub: terminal events from the host are re-emitted on it. */
  hub: EventHub;
  log: Logger;
}

type Listener<T extends unknown[]> = (...args: T) => void;

/**
 * The engine's terminals in the detached terminal host. Every UI peer becomes its own viewer
 * there; its events come back as `viewer` events and are handed to that peer, and its acks go
 * straight through, so flow control stays end to end. The host is connected lazily — started
 * on the first terminal needed — and a lost host is reported and replaced.
 */
export class RemoteTerminals implements TerminalBackend {
  private connection: TerminalHostConnection | null = null;
  private connecting: Promise<TerminalHostConnection> | null = null;
  private closing = false;
  private readonly mirror = new Map<string, TerminalInfo>();
  private statsAt = 0;
  private statsRefresh: Promise<void> | null = null;
  private readonly viewerIds = new WeakMap<Peer, string>();
  private readonly viewers = new Map<string, Peer>();
  private viewerSeq = 0;
  /** viewer+session → events held back until that attach's response went out. */
  private readonly pendingAttach = new Map<string, Array<() => void>>();
  /** session → hub events held back behind a pending attach (an exit must follow its data). */
  private readonly deferredHub = new Map<string, Array<() => void>>();
  private readonly exitListeners = new Set<Listener<[TerminalExit]>>();
  private readonly activityListeners = new Set<Listener<[string, TerminalActivity, ActivitySource]>>();
  private readonly sizeListeners = new Set<Listener<[string, number, number]>>();
  /** Told to every terminal host connected later (a new one after a crash starts with the default). */
  private sizePolicy: SizePolicy | null = null;
  private readonly lossListeners = new Set<Listener<[TerminalHostLoss]>>();
  private others: IncompatibleHost[] = [];
  private readonly otherConnections = new Map<number, TerminalHostConnection>();
  /** Relayed frames are parsed and checked against the contract before they go out (tests, development). */
  private readonly checkRelayed = contractChecksEnabled();

  constructor(private readonly opts: RemoteTerminalsOptions) {}

  /** Connects to a running host (without starting one) and looks for hosts of other versions. */
  async open(): Promise<void> {
    const c = await connectTerminalHost({ ...this.base(), spawnIfMissing: false, relay: true });
    if (c) this.adopt(c);
    for (const o of await findOtherHosts(this.opts.dataDir, this.opts.protocol, this.opts.appVersion)) {
      this.otherConnections.set(o.hello.pid, o.connection);
      this.others.push({
        protocol: o.hello.protocol,
        appVersion: o.hello.appVersion,
        pid: o.hello.pid,
        sessions: o.hello.sessions,
      });
    }
  }

  /** Connects to the terminal host, starting one when none runs (the benchmark's empty baseline). */
  async start(): Promise<void> {
    await this.ensure();
  }

  /** Whether a terminal host is connected now. */
  get connected(): boolean {
    return this.connection !== null;
  }

  /** The connected host's hello (pid, version, boot), if any. */
  get hostInfo() {
    return this.connection?.hello ?? null;
  }

  async spawn(opts: TerminalSpawnOptions): Promise<{ pid: number }> {
    const c = await this.ensure();
    const r = unwrap(await c.client.request('spawn', opts));
    const prev = this.mirror.get(opts.sessionId);
    this.mirror.set(opts.sessionId, {
      sessionId: opts.sessionId,
      running: true,
      pid: r.pid,
      cols: prev?.cols ?? opts.cols ?? 120,
      rows: prev?.rows ?? opts.rows ?? 32,
      activity: 'idle',
      outputBytes: prev?.outputBytes ?? 0,
      lastOutputAt: prev?.lastOutputAt ?? null,
      exit: null,
      exitHandled: true,
    });
    return r;
  }

  async stop(sessionId: string, opts: { graceMs?: number } = {}): Promise<TerminalExit | null> {
    const c = this.connection;
    if (!c) return null;
    return unwrap(await c.client.request('stop', { sessionId, graceMs: opts.graceMs }));
  }

  async attach(
    sessionId: string,
    peer: Peer,
    cols?: number,
    rows?: number,
    colours?: ReportedColours,
  ): Promise<AttachResult> {
    const c = await this.ensure();
    const viewerId = this.viewerOf(peer);
    const key = `${viewerId}\0${sessionId}`;
    this.pendingAttach.set(key, []);
    if (!this.deferredHub.has(sessionId)) this.deferredHub.set(sessionId, []);
    let r;
    try {
      r = await c.client.request('attach', { sessionId, viewerId, cols, rows, colours });
    } catch (e) {
      this.flushAttach(key, sessionId);
      throw e;
    }
    // The caller's response to its client goes out in the microtasks after this resolves; the
    // output that followed the snapshot goes out after it, like TerminalInstance orders them.
    setImmediate(() => this.flushAttach(key, sessionId));
    return unwrap(r);
  }

  detach(sessionId: string, peer: Peer): void {
    const viewerId = this.viewerIds.get(peer);
    if (viewerId) this.fireAndForget('detach', { sessionId, viewerId });
  }

  async input(sessionId: string, data: string, from?: Peer): Promise<void> {
    const viewerId = from ? this.viewerIds.get(from) : undefined;
    unwrap(await (await this.ensure()).client.request('input', { sessionId, data, viewerId }));
  }

  async resize(sessionId: string, cols: number, rows: number, from?: Peer): Promise<{ cols: number; rows: number }> {
    // A viewer's size counts in the size policy even before it attached.
    const viewerId = from ? this.viewerOf(from) : undefined;
    const r = unwrap(await (await this.ensure()).client.request('resize', { sessionId, viewerId, cols, rows }));
    const m = this.mirror.get(sessionId);
    if (m) this.mirror.set(sessionId, { ...m, ...r });
    return r;
  }

  setSizePolicy(policy: SizePolicy): void {
    this.sizePolicy = policy;
    if (this.connection) this.fireAndForget('setSizePolicy', { policy });
  }

  ack(sessionId: string, peer: Peer, chars: number): void {
    const viewerId = this.viewerIds.get(peer);
    if (!viewerId) return;
    // One-way when the host reads ack lines: no response to send, read and parse.
    const line = this.connection?.readsAckLines ? encodeAckLine(viewerId, sessionId, chars) : null;
    if (line !== null) this.connection!.sendLine(line);
    else this.fireAndForget('ack', { sessionId, viewerId, chars });
  }

  async broadcast(sessionIds: string[], text: string, enter: boolean) {
    return unwrap(await (await this.ensure()).client.request('broadcast', { sessionIds, text, enter }));
  }

  async serialize(sessionId: string): Promise<string | null> {
    const c = this.connection;
    return c ? unwrap(await c.client.request('serialize', { sessionId })) : null;
  }

  async restore(sessionId: string, serialized: string, cols?: number, rows?: number): Promise<void> {
    const c = await this.ensure();
    unwrap(await c.client.request('restore', { sessionId, serialized, cols, rows }));
    this.mirror.set(sessionId, {
      sessionId,
      running: false,
      pid: null,
      cols: cols ?? 120,
      rows: rows ?? 32,
      activity: 'idle',
      outputBytes: 0,
      lastOutputAt: null,
      exit: null,
      exitHandled: true,
    });
  }

  async release(sessionId: string): Promise<void> {
    this.mirror.delete(sessionId);
    const c = this.connection;
    if (c) unwrap(await c.client.request('release', { sessionId }));
  }

  stats(sessionId: string): TerminalStats | null {
    const m = this.mirror.get(sessionId);
    if (Date.now() - this.statsAt > STATS_REFRESH_MS) void this.refreshStats();
    return m ? { outputBytes: m.outputBytes, lastOutputAt: m.lastOutputAt, activity: m.activity } : null;
  }

  async flowStats(sessionId: string) {
    const c = this.connection;
    return c ? unwrap(await c.client.request('flowStats', { sessionId })) : null;
  }

  async screenLines(sessionId: string) {
    const c = this.connection;
    return c ? unwrap(await c.client.request('screenLines', { sessionId })) : null;
  }

  async list(): Promise<TerminalInfo[]> {
    const c = this.connection;
    if (!c) return [];
    const all = unwrap(await c.client.request('list', {}));
    this.statsAt = Date.now();
    this.mirror.clear();
    for (const t of all) this.mirror.set(t.sessionId, t);
    return all;
  }

  exitHandled(sessionId: string): void {
    this.fireAndForget('exitHandled', { sessionId });
  }

  onExit(listener: Listener<[TerminalExit]>): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  onActivity(listener: Listener<[string, TerminalActivity, ActivitySource]>): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  onSize(listener: Listener<[string, number, number]>): () => void {
    this.sizeListeners.add(listener);
    return () => this.sizeListeners.delete(listener);
  }

  onHostLost(listener: Listener<[TerminalHostLoss]>): () => void {
    this.lossListeners.add(listener);
    return () => this.lossListeners.delete(listener);
  }

  incompatibleHosts(): IncompatibleHost[] {
    return this.others;
  }

  async stopIncompatibleHost(pid: number): Promise<void> {
    const c = this.otherConnections.get(pid);
    if (!c) return;
    await c.client.request('shutdown', { stopPrograms: true });
    await c.closed;
    this.otherConnections.delete(pid);
    this.others = this.others.filter((o) => o.pid !== pid);
  }

  async handOverFrom(hostPid: number, sessionId: string): Promise<HandOverReply | 'unsupported' | null> {
    const c = this.otherConnections.get(hostPid);
    if (!c) return null;
    const r = await c.client.request('handOver', { sessionId });
    if (!r.ok) {
      if (r.error.code === 'UNKNOWN_REQUEST') return 'unsupported';
      throw new AppError(
        'INVALID_STATE',
        `The older terminal host (pid ${hostPid}) did not hand ${sessionId} over: ${r.error.message}`,
      );
    }
    this.others = this.others.map((o) =>
      o.pid === hostPid ? { ...o, sessions: o.sessions.filter((x) => x.sessionId !== sessionId) } : o,
    );
    return r.value;
  }

  async retireIncompatibleHost(pid: number): Promise<boolean> {
    const host = this.others.find((o) => o.pid === pid);
    if (!host || host.sessions.some((x) => x.running)) return false;
    // Nothing runs there any more: shutting it down stops nothing.
    await this.stopIncompatibleHost(pid);
    return true;
  }

  async dispose(opts: { stopPrograms: boolean }): Promise<void> {
    this.closing = true;
    for (const c of this.otherConnections.values()) c.client.close();
    const c = this.connection;
    if (!c) return;
    if (opts.stopPrograms) await c.client.request('shutdown', { stopPrograms: true });
    c.client.close();
    await c.closed;
    this.connection = null;
  }

  // ── internals ──────────────────────────────────────────────────────────

  private base() {
    return {
      dataDir: this.opts.dataDir,
      protocol: this.opts.protocol,
      appVersion: this.opts.appVersion,
      log: this.opts.log,
    };
  }

  /** The connected host, started first when none runs. */
  private ensure(): Promise<TerminalHostConnection> {
    if (this.connection) return Promise.resolve(this.connection);
    this.connecting ??= connectTerminalHost({ ...this.base(), spawnIfMissing: true, relay: true })
      .then((c) => {
        if (!c) throw new Error('terminal host did not start');
        this.adopt(c);
        return c;
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  private adopt(c: TerminalHostConnection): void {
    this.connection = c;
    c.client.on('viewer', (raw) => this.onViewerEvent(raw));
    c.onRelay((line) => this.onRelayLine(line));
    c.client.on('hub', (raw) => this.onHubEvent(raw));
    c.client.on('activity', (raw) => this.onActivityEvent(raw));
    c.client.on('size', (raw) => {
      const e = terminalHostEvents.size.safeParse(raw);
      if (e.success) for (const l of this.sizeListeners) l(e.data.sessionId, e.data.cols, e.data.rows);
    });
    if (this.sizePolicy) this.fireAndForget('setSizePolicy', { policy: this.sizePolicy });
    void c.closed.then((reason) => this.onClosed(c, reason));
  }

  private onClosed(c: TerminalHostConnection, reason: string): void {
    if (this.connection !== c) return;
    this.connection = null;
    for (const peer of this.viewers.values()) this.viewerIds.delete(peer);
    this.viewers.clear();
    if (this.closing) return;
    const lost = [...this.mirror.values()].filter((t) => t.running).map((t) => t.sessionId);
    this.mirror.clear();
    this.opts.log.error('terminal-host', `the terminal host went away (${reason}); ${lost.length} program(s) lost`);
    const loss: TerminalHostLoss = {
      sessionIds: lost,
      reason: `The terminal host (pid ${c.hello.pid}) stopped unexpectedly`,
    };
    for (const l of this.lossListeners) l(loss);
    // A new host at once, so the app keeps working.
    void this.ensure().catch((e) => this.opts.log.error('terminal-host', 'could not start a new terminal host', e));
  }

  private viewerOf(peer: Peer): string {
    let id = this.viewerIds.get(peer);
    if (id) return id;
    id = `${peer.kind}-${peer.id}-${++this.viewerSeq}`;
    this.viewerIds.set(peer, id);
    this.viewers.set(id, peer);
    const viewerId = id;
    peer.onClose(() => {
      this.viewers.delete(viewerId);
      this.viewerIds.delete(peer);
      this.fireAndForget('detachViewer', { viewerId });
    });
    return id;
  }

  private onViewerEvent(raw: unknown): void {
    const e = terminalHostEvents.viewer.safeParse(raw);
    if (!e.success || !isEventName(e.data.name)) return;
    const name: EventName = e.data.name;
    const payload = appEvents[name].safeParse(e.data.payload);
    if (!payload.success) {
      this.opts.log.warn('terminal-host', `dropped a malformed ${name} event from the terminal host`);
      return;
    }
    const peer = this.viewers.get(e.data.viewerId);
    if (!peer) return;
    const sessionId = (payload.data as { sessionId?: unknown }).sessionId;
    this.toViewer(e.data.viewerId, typeof sessionId === 'string' ? sessionId : null, () => {
      if (peer.isOpen()) peer.send(name, payload.data as never);
    });
  }

  /**
   * A viewer event as a relay line: its frame goes to the client as the terminal host encoded it
   * (only the header is read), unless the peer's transport does not take text frames (Electron
   * IPC) or contract checks are on — then it is parsed and checked like a `viewer` event.
   */
  private onRelayLine(line: string): void {
    const r = decodeRelayLine(line);
    if (!r || !isEventName(r.name)) {
      this.opts.log.warn('terminal-host', 'dropped a malformed relay line from the terminal host');
      return;
    }
    const peer = this.viewers.get(r.viewerId);
    if (!peer) return;
    const sendFrame = peer.sendFrame?.bind(peer);
    let deliver: () => void;
    if (sendFrame && !this.checkRelayed) {
      deliver = () => sendFrame(r.frame);
    } else {
      const name: EventName = r.name;
      const json = parseJsonValue(r.frame);
      const frame = json.ok ? relayFrameSchema.safeParse(json.value) : null;
      const payload = frame?.success && frame.data.name === name ? appEvents[name].safeParse(frame.data.payload) : null;
      const sessionId = payload?.success ? (payload.data as { sessionId?: unknown }).sessionId : undefined;
      if (!payload?.success || sessionId !== r.sessionId) {
        this.opts.log.error('terminal-host', `dropped a malformed ${name} relay frame from the terminal host`);
        return;
      }
      deliver = sendFrame ? () => sendFrame(r.frame) : () => peer.send(name, payload.data as never);
    }
    this.toViewer(r.viewerId, r.sessionId, () => {
      if (peer.isOpen()) deliver();
    });
  }

  /** Delivers now, or after the pending attach of that viewer to that session answered. */
  private toViewer(viewerId: string, sessionId: string | null, deliver: () => void): void {
    const held = sessionId !== null ? this.pendingAttach.get(`${viewerId}\0${sessionId}`) : undefined;
    if (held) held.push(deliver);
    else deliver();
  }

  private onHubEvent(raw: unknown): void {
    const e = terminalHostEvents.hub.safeParse(raw);
    if (!e.success || !isEventName(e.data.name)) return;
    const name: EventName = e.data.name;
    const parsed = appEvents[name].safeParse(e.data.payload);
    if (!parsed.success) return;
    const payload = parsed.data as { sessionId?: string };
    const sessionId = payload.sessionId;
    const apply = () => {
      if (name === 'terminals.exit') {
        const exit = parsed.data as TerminalExit;
        const m = this.mirror.get(exit.sessionId);
        if (m) this.mirror.set(exit.sessionId, { ...m, running: false, pid: null, exit, exitHandled: false });
        this.opts.hub.emit(name, exit);
        for (const l of this.exitListeners) l(exit);
      } else {
        this.opts.hub.emit(name, parsed.data as never);
      }
    };
    const deferred = sessionId ? this.deferredHub.get(sessionId) : undefined;
    if (deferred) deferred.push(apply);
    else apply();
  }

  /** Activity with its source: the mirror and the engine's listeners (the UI gets the hub's copy). */
  private onActivityEvent(raw: unknown): void {
    const e = terminalHostEvents.activity.safeParse(raw);
    if (!e.success) return;
    const { sessionId, activity, source } = e.data;
    const m = this.mirror.get(sessionId);
    if (m) this.mirror.set(sessionId, { ...m, activity });
    for (const l of this.activityListeners) l(sessionId, activity, source);
  }

  private flushAttach(key: string, sessionId: string): void {
    const held = this.pendingAttach.get(key);
    this.pendingAttach.delete(key);
    for (const f of held ?? []) f();
    const stillPending = [...this.pendingAttach.keys()].some((k) => k.endsWith(`\0${sessionId}`));
    if (!stillPending) {
      const deferred = this.deferredHub.get(sessionId);
      this.deferredHub.delete(sessionId);
      for (const f of deferred ?? []) f();
    }
  }

  private refreshStats(): Promise<void> {
    this.statsAt = Date.now();
    this.statsRefresh ??= this.list()
      .then(() => undefined)
      .catch(() => undefined)
      .finally(() => {
        this.statsRefresh = null;
      });
    return this.statsRefresh;
  }

  private fireAndForget(
    name: 'detach' | 'detachViewer' | 'ack' | 'exitHandled' | 'setSizePolicy',
    input: Record<string, unknown>,
  ): void {
    const c = this.connection;
    if (!c) return;
    void c.client.request(name, input as never).then((r) => {
      if (!r.ok && r.error.code !== 'TERMINAL_NOT_FOUND') {
        this.opts.log.warn('terminal-host', `${name} failed: ${r.error.message}`);
      }
    });
  }
}

import { closeSync, constants as fsConstants, openSync } from 'node:fs';
import { setPriority } from 'node:os';
import * as nodePty from 'node-pty';
import type { TerminalActivity } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { Peer } from '../rpc/peer';
import type { Logger } from '../core/logger';
import { isAlive, killTree } from '../process/process-tree';
import { FlowControl, type FlowSnapshot, type Watermarks } from './flow-control';
import { HeadlessScreen } from './headless-screen';
import { InputWriter } from './input-writer';
import { OutputBatcher } from './output-batcher';
import { StatusDetector, type ActivityTiming } from './status-detector';
import { clampSize } from './terminal-size';

export interface TerminalExit {
  sessionId: string;
  exitCode: number | null;
  signal: number | null;
}

export interface ProgramSpec {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  niceness?: number;
  agent?: string;
}

export interface AttachResult {
  sessionId: string;
  snapshot: string;
  cols: number;
  rows: number;
  running: boolean;
}

export interface InstanceOptions {
  sessionId: string;
  cols: number;
  rows: number;
  scrollback: number;
  peerMarks: Watermarks;
  /** The host's own headless terminal also applies back-pressure, so host memory stays bounded. */
  hostMarks: Watermarks;
  log: Logger;
  timing?: Partial<ActivityTiming>;
  onExit: (exit: TerminalExit) => void;
  onActivity: (activity: TerminalActivity) => void;
}

interface PeerLink {
  peer: Peer;
  /** False between the snapshot marker and promotion: output is buffered, not sent. */
  live: boolean;
  buffered: string[];
}

const HOST = 'host' as const;
/** How often a paused PTY checks whether its program died (node-pty drops unread output 200 ms after). */
const pausedExitPollMs = 100;

/**
 * One session's terminal: the PTY (while a program runs), the headless screen that outlives it,
 * the attached clients with their flow-control accounting, and activity detection.
 */
export class TerminalInstance {
  readonly sessionId: string;
  private readonly screen: HeadlessScreen;
  private readonly batcher: OutputBatcher;
  private readonly flow: FlowControl<Peer | typeof HOST>;
  private readonly peers = new Map<Peer, PeerLink>();
  private detector: StatusDetector;
  private pty: nodePty.IPty | null = null;
  private input: InputWriter | null = null;
  private exitWaiters: ((exit: TerminalExit) => void)[] = [];
  private pausedPoll: NodeJS.Timeout | null = null;
  private slaveFd: number | null = null;
  private released = false;
  /** Between the PTY's exit and its announcement (trailing output still draining). */
  private exitPending = false;
  lastExit: TerminalExit | null = null;
  outputBytes = 0;
  lastOutputAt: number | null = null;

  constructor(private readonly opts: InstanceOptions) {
    this.sessionId = opts.sessionId;
    this.screen = new HeadlessScreen(opts.cols, opts.rows, opts.scrollback);
    this.batcher = new OutputBatcher((data) => this.deliver(data));
    this.flow = new FlowControl({ pause: () => this.pausePty(), resume: () => this.resumePty() });
    this.flow.add(HOST, opts.hostMarks, false);
    this.detector = this.makeDetector(undefined);
  }

  get running(): boolean {
    return this.pty !== null;
  }

  get pid(): number | null {
    return this.pty?.pid ?? null;
  }

  get activity(): TerminalActivity {
    return this.detector.activity;
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.screen.cols, rows: this.screen.rows };
  }

  /** Starts a program in this terminal; a previous program's screen stays as history above it. */
  start(spec: ProgramSpec): number {
    if (this.pty) throw new AppError('INVALID_STATE', `Session ${this.sessionId} already has a running program.`);
    this.screen.resize(spec.cols, spec.rows);
    const pty = nodePty.spawn(spec.file, spec.args, {
      name: 'xterm-256color',
      cols: spec.cols,
      rows: spec.rows,
      cwd: spec.cwd,
      env: spec.env,
      // Decoded by the PTY socket's StringDecoder, which keeps multi-byte characters split
      // across reads intact and turns invalid bytes into U+FFFD.
      encoding: 'utf8',
    });
    this.pty = pty;
    this.slaveFd = this.holdSlave(pty);
    this.lastExit = null;
    this.detector.stop();
    this.detector = this.makeDetector(spec.agent);
    this.input = new InputWriter((data) => pty.write(data));
    this.flow.enable();
    pty.onData((data) => this.batcher.push(data));
    pty.onExit(({ exitCode, signal }) => this.handleExit(pty, exitCode, signal ?? 0));
    if (spec.niceness !== undefined && spec.niceness !== 0) {
      try {
        setPriority(pty.pid, Math.min(19, Math.max(-20, Math.round(spec.niceness))));
      } catch (e) {
        this.opts.log.warn('terminals', `could not set niceness ${spec.niceness} for pid ${pty.pid}: ${String(e)}`);
      }
    }
    return pty.pid;
  }

  /** Fills the screen with saved content (a host restart); no program runs. */
  restoreContent(serialized: string): void {
    this.screen.write(serialized);
  }

  write(data: string, delayMs = 0): void {
    if (!this.pty || !this.input) {
      throw new AppError(
        'TERMINAL_NOT_FOUND',
        `The program of session ${this.sessionId} has exited — restart the session to type into it.`,
        { sessionId: this.sessionId },
      );
    }
    this.detector.noteInput();
    this.input.push(data, delayMs);
  }

  resize(cols: number, rows: number): { cols: number; rows: number } {
    const size = clampSize(cols, rows, this.size);
    // Output produced for the old size must reach every consumer before the new size applies.
    this.batcher.flush();
    if (this.pty) {
      try {
        this.pty.resize(size.cols, size.rows);
      } catch (e) {
        this.opts.log.warn('terminals', `resize of ${this.sessionId} failed: ${String(e)}`);
      }
    }
    this.screen.resize(size.cols, size.rows);
    return size;
  }

  /**
   * Snapshot + subscription in one step. Pending output is flushed, then a marker write is
   * queued on the headless terminal; output flushed after the marker is buffered for this peer.
   * In the marker's callback the screen holds exactly the output before the marker, so its
   * serialization is the snapshot. The promise resolves there; the buffered chunks are sent on
   * the next macrotask (setImmediate). Every transport sends a request's response from the
   * microtasks that follow the handler's promise, so the client receives the snapshot first.
   */
  attach(peer: Peer, cols?: number, rows?: number): Promise<AttachResult> {
    this.detach(peer);
    if (cols !== undefined || rows !== undefined) this.resize(cols ?? this.size.cols, rows ?? this.size.rows);
    this.batcher.flush();
    const link: PeerLink = { peer, live: false, buffered: [] };
    this.peers.set(peer, link);
    this.flow.add(peer, this.opts.peerMarks);
    return new Promise((resolve) => {
      this.screen.afterWrites(() => {
        resolve({ sessionId: this.sessionId, snapshot: this.screen.serialize(), ...this.size, running: this.running });
        setImmediate(() => this.promote(link));
      });
    });
  }

  detach(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    this.flow.remove(peer);
  }

  ack(peer: Peer, chars: number): void {
    if (Number.isFinite(chars) && chars > 0) this.flow.acked(peer, chars);
  }

  isAttached(peer: Peer): boolean {
    return this.peers.has(peer);
  }

  serialize(): string {
    return this.screen.serialize();
  }

  visibleLines(): string[] {
    return this.screen.visibleLines();
  }

  cellAt(x: number, y: number): string {
    return this.screen.cellText(x, y);
  }

  flowStats(): FlowSnapshot & { peers: { peerId: string; unacked: number }[]; hostPending: number } {
    return {
      ...this.flow.snapshot(),
      peers: [...this.peers.keys()].map((p) => ({ peerId: p.id, unacked: this.flow.unacked(p) })),
      hostPending: this.flow.unacked(HOST),
    };
  }

  /** Resolves with the program's exit once it has been drained and announced. */
  waitForExit(): Promise<TerminalExit> {
    if (!this.pty && this.lastExit && !this.exitPending) return Promise.resolve(this.lastExit);
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** Kills the program's whole process tree and resolves when its exit has been handled. */
  async stop(graceMs?: number): Promise<TerminalExit | null> {
    const pty = this.pty;
    if (!pty) return null;
    const exited = this.waitForExit();
    // Let the last output drain instead of sitting behind a stalled client.
    this.flow.release();
    await killTree(pty.pid, { graceMs });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((r) => {
      timer = setTimeout(() => r(null), 5000);
    });
    const exit = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (exit) return exit;
    // node-pty never reported the exit although the tree is dead: close the books ourselves.
    this.opts.log.warn('terminals', `no exit event from ${this.sessionId} after kill; recording it as killed`);
    this.handleExit(pty, 0, 9);
    return this.waitForExit();
  }

  /** Forgets this terminal: no more events, program killed in the background, screen freed. */
  release(): void {
    this.released = true;
    const pid = this.pty?.pid;
    this.closeProgram();
    if (pid !== undefined) void killTree(pid, { graceMs: 1000 });
    this.peers.clear();
    this.batcher.dispose();
    this.screen.dispose();
  }

  private makeDetector(agent: string | undefined): StatusDetector {
    return new StatusDetector({
      agent,
      readScreen: () => this.screen.visibleLines(),
      onChange: (activity) => {
        if (!this.released) this.opts.onActivity(activity);
      },
      timing: this.opts.timing,
    });
  }

  private deliver(data: string): void {
    const n = data.length;
    this.outputBytes += Buffer.byteLength(data, 'utf8');
    this.lastOutputAt = Date.now();
    this.flow.sent(HOST, n);
    this.screen.write(data, () => this.flow.acked(HOST, n));
    let gone: Peer[] | null = null;
    for (const link of this.peers.values()) {
      if (!link.peer.isOpen()) {
        (gone ??= []).push(link.peer);
        continue;
      }
      if (link.live) link.peer.send('terminals.data', { sessionId: this.sessionId, data });
      else link.buffered.push(data);
      this.flow.sent(link.peer, n);
    }
    if (gone) for (const p of gone) this.detach(p);
    this.detector.noteOutput();
  }

  private promote(link: PeerLink): void {
    if (this.peers.get(link.peer) !== link) return;
    for (const data of link.buffered) {
      if (link.peer.isOpen()) link.peer.send('terminals.data', { sessionId: this.sessionId, data });
    }
    link.buffered = [];
    link.live = true;
  }

  private pausePty(): void {
    const pty = this.pty;
    if (!pty) return;
    pty.pause();
    if (!this.pausedPoll) {
      this.pausedPoll = setInterval(() => {
        // A program that exits while paused would lose its unread output: drain it instead.
        if (!isAlive(pty.pid)) this.flow.release();
      }, pausedExitPollMs);
      this.pausedPoll.unref();
    }
  }

  private resumePty(): void {
    if (this.pausedPoll) clearInterval(this.pausedPoll);
    this.pausedPoll = null;
    this.pty?.resume();
  }

  /**
   * Keeps our own handle on the PTY's slave side. Without it, Linux may report EIO on the master
   * as soon as the program exits, before its last output was read, and node-pty drops that
   * output (seen in about one exit in three). With a slave handle open the master never hits
   * EIO; node-pty closes the stream 200 ms after the exit, by when the tail has been read.
   */
  private holdSlave(pty: nodePty.IPty): number | null {
    const name = (pty as unknown as { ptsName?: unknown }).ptsName;
    if (typeof name !== 'string' || process.platform === 'win32') return null;
    try {
      return openSync(name, fsConstants.O_RDWR | fsConstants.O_NOCTTY);
    } catch (e) {
      this.opts.log.warn('terminals', `could not hold ${name} open; trailing output may be cut: ${String(e)}`);
      return null;
    }
  }

  private closeProgram(): void {
    if (this.slaveFd !== null) {
      try {
        closeSync(this.slaveFd);
      } catch {
        // Already closed.
      }
      this.slaveFd = null;
    }
    this.input?.close();
    this.input = null;
    this.pty = null;
    this.detector.stop();
    if (this.pausedPoll) clearInterval(this.pausedPoll);
    this.pausedPoll = null;
  }

  /** Exit as a protocol: trailing output to screen and peers first, then the exit itself. */
  private handleExit(pty: nodePty.IPty, exitCode: number, signal: number): void {
    if (this.pty !== pty) return;
    this.batcher.flush();
    this.flow.release();
    this.closeProgram();
    const exit: TerminalExit = {
      sessionId: this.sessionId,
      exitCode: signal ? null : exitCode,
      signal: signal || null,
    };
    this.lastExit = exit;
    this.exitPending = true;
    // The marker orders this after attaches in progress; setImmediate after their promotions.
    this.screen.afterWrites(() =>
      setImmediate(() => {
        this.exitPending = false;
        if (!this.released) this.opts.onExit(exit);
        const waiters = this.exitWaiters;
        this.exitWaiters = [];
        for (const w of waiters) w(exit);
      }),
    );
  }
}

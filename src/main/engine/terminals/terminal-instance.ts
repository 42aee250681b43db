import { randomBytes } from 'node:crypto';
import { closeSync, constants as fsConstants, openSync, writeSync } from 'node:fs';
import { setPriority } from 'node:os';
import * as nodePty from 'node-pty';
import type { TerminalActivity } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { Peer } from '../rpc/peer';
import type { Logger } from '../core/logger';
import { isAlive, killTree } from '../process/process-tree';
import { isolatedArgv } from '../process/isolated-spawn';
import { FlowControl, type FlowSnapshot, type Watermarks } from './flow-control';
import { defaultReportedColours, HeadlessScreen, type ReportedColours } from './headless-screen';
import { InputWriter } from './input-writer';
import { OutputBatcher } from './output-batcher';
import { StatusDetector, type ActivitySource, type ActivityTiming } from './status-detector';
import { clampSize } from '../../../shared/terminal-size';
import { TerminalViewers } from './terminal-viewers';
import { restartBanner } from './restart-banner';
import type { SizePolicy } from './viewer-set';

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
  /** Why a program starts in a terminal that already showed one (restart, host restart, …). */
  restartReason?: string;
  /** cgroup.procs files the program joins before it execs (its session's kernel limits). */
  cgroupProcs?: string[];
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
  /** How long the screen takes no output before it goes dormant (default SCREEN_DORMANT_AFTER_MS). */
  dormantAfterMs?: number;
  peerMarks: Watermarks;
  /** The host's own headless terminal also applies back-pressure, so host memory stays bounded. */
  hostMarks: Watermarks;
  log: Logger;
  timing?: Partial<ActivityTiming>;
  /** The size policy in force (a setting; read at every decision). */
  sizePolicy: () => SizePolicy;
  /** The colours reported while no viewer of this terminal has reported any (default: the dark theme). */
  fallbackColours?: () => ReportedColours;
  onExit: (exit: TerminalExit) => void;
  onActivity: (activity: TerminalActivity, source: ActivitySource) => void;
  /** The terminal's size changed (a viewer resized it, one left, a program started at a view's size). */
  onSize?: (size: { cols: number; rows: number }) => void;
}

const HOST = 'host' as const;
/** How often a paused PTY checks whether its program died (node-pty drops unread output 200 ms after). */
const pausedExitPollMs = 100;
/** The longest wait for a finished program's last output to be read before its terminal closes. */
const drainCapMs = 5000;

/**
 * One session's terminal: the PTY (while a program runs), the headless screen that outlives it,
 * the attached clients with their flow-control accounting, and activity detection.
 */
export class TerminalInstance {
  readonly sessionId: string;
  private readonly screen: HeadlessScreen;
  private readonly batcher: OutputBatcher;
  private readonly flow: FlowControl<Peer | typeof HOST>;
  private readonly viewers: TerminalViewers;
  private detector: StatusDetector;
  private pty: nodePty.IPty | null = null;
  private input: InputWriter | null = null;
  private exitWaiters: ((exit: TerminalExit) => void)[] = [];
  private pausedPoll: NodeJS.Timeout | null = null;
  private slaveFd: number | null = null;
  /** While the exit drains: the mark written after the program's last output, and what ends the drain. */
  private drainMark: string | null = null;
  private drainCarry = '';
  private drainDone: (() => void) | null = null;
  private released = false;
  /** Between the PTY's exit and its announcement (trailing output still draining). */
  private exitPending = false;
  /** Whether this terminal has shown anything (a program, restored content): a restart draws a separator. */
  private used = false;
  /**
   * The tree kill of a stop in progress. The program (the tree's root) usually dies first; its
   * exit is announced only once the kill is done, so a session never reads stopped or `error`
   * while processes it started still run.
   */
  private killing: Promise<void> | null = null;
  lastExit: TerminalExit | null = null;
  outputBytes = 0;
  lastOutputAt: number | null = null;

  constructor(private readonly opts: InstanceOptions) {
    this.sessionId = opts.sessionId;
    this.screen = new HeadlessScreen(opts.cols, opts.rows, opts.scrollback, opts.dormantAfterMs);
    this.batcher = new OutputBatcher((data) => this.deliver(data));
    this.flow = new FlowControl({ pause: () => this.pausePty(), resume: () => this.resumePty() });
    this.flow.add(HOST, opts.hostMarks, false);
    this.viewers = new TerminalViewers(opts.sessionId, this.flow, opts.peerMarks);
    // Replies of the host's own terminal to the program's queries, when no viewer answers them.
    this.screen.onReply((reply) => this.input?.push(reply, 0));
    this.screen.coloursFrom(() => this.viewers.set.colours() ?? opts.fallbackColours?.() ?? defaultReportedColours);
    this.detector = this.makeDetector(undefined);
  }

  /** How many viewers are attached. */
  get viewerCount(): number {
    return this.viewers.count;
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

  /** A CPU sample of the program's process tree (see CpuWatch). */
  noteCpu(share: number, intervalMs: number): void {
    this.detector.noteCpu(share, intervalMs);
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.screen.cols, rows: this.screen.rows };
  }

  /** Starts a program in this terminal; a previous program's screen stays as history above it. */
  start(spec: ProgramSpec): number {
    if (this.pty) throw new AppError('INVALID_STATE', `Session ${this.sessionId} already has a running program.`);
    // With viewers attached, the program starts at the size they show it at.
    const wanted = this.viewers.decide(this.opts.sizePolicy()) ?? spec;
    const size = clampSize(wanted.cols, wanted.rows);
    spec = { ...spec, ...size };
    this.resizeScreen(size);
    if (this.used) this.deliver(restartBanner(spec.cols, spec.rows, new Date(), spec.restartReason));
    this.used = true;
    // Only its own terminal: the wrapper closes inherited fds (other sessions' PTY masters) before exec.
    const argv = isolatedArgv(spec.file, spec.args, { cgroupProcs: spec.cgroupProcs });
    const pty = nodePty.spawn(argv.file, argv.args, {
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
    this.drainBeforeClose(pty);
    this.lastExit = null;
    this.detector.stop();
    this.detector = this.makeDetector(spec.agent);
    this.input = new InputWriter((data) => pty.write(data));
    this.flow.enable();
    pty.onData((data) => this.fromPty(data));
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
    this.used = true;
    // Viewers already attached get it in order with the output that follows, so every viewer and
    // the host's own screen stay one screen; with none, only the host's screen needs it.
    if (this.viewers.count > 0) this.deliver(serialized);
    else this.screen.write(serialized);
  }

  /** Types into the program; `from` is the viewer that typed (it becomes the most recently used). */
  write(data: string, delayMs = 0, from?: Peer): void {
    if (!this.pty || !this.input) {
      throw new AppError(
        'TERMINAL_NOT_FOUND',
        `The program of session ${this.sessionId} has exited — restart the session to type into it.`,
        { sessionId: this.sessionId },
      );
    }
    this.detector.noteInput();
    this.input.push(data, delayMs);
    if (from && this.viewers.set.touch(from)) this.applySizePolicy();
  }

  /**
   * A viewer's window is `cols`×`rows`; the terminal takes the size the policy gives over all
   * viewers. Without a viewer (`from` undefined or not attached: spawn, tests, the CLI's own
   * engine) the size applies as asked. Returns the terminal's size.
   */
  resize(cols: number, rows: number, from?: Peer): { cols: number; rows: number } {
    const wanted = clampSize(cols, rows, this.size);
    if (from && this.viewers.set.want(from, wanted)) this.applySizePolicy();
    else if (this.viewers.count === 0 || !from) this.resizeTo(wanted);
    return this.size;
  }

  /** Re-applies the size policy (after the setting changed). */
  applySizePolicy(): void {
    const want = this.viewers.decide(this.opts.sizePolicy());
    if (want) this.resizeTo(clampSize(want.cols, want.rows, this.size));
  }

  private resizeTo(size: { cols: number; rows: number }): void {
    if (size.cols === this.size.cols && size.rows === this.size.rows) return;
    // Output produced for the old size must reach every consumer before the new size applies.
    this.batcher.flush();
    if (this.pty) {
      try {
        this.pty.resize(size.cols, size.rows);
      } catch (e) {
        this.opts.log.warn('terminals', `resize of ${this.sessionId} failed: ${String(e)}`);
      }
    }
    this.resizeScreen(size);
  }

  /** Resizes the host's screen and tells every viewer, in order with the output. */
  private resizeScreen(size: { cols: number; rows: number }): void {
    if (size.cols === this.size.cols && size.rows === this.size.rows) return;
    this.screen.resize(size.cols, size.rows);
    this.viewers.announceSize(size);
    this.opts.onSize?.(size);
  }

  /**
   * Snapshot + subscription in one step. Pending output is flushed, then a marker write is
   * queued on the headless terminal; output flushed after the marker is buffered for this peer.
   * In the marker's callback the screen holds exactly the output before the marker, so its
   * serialization is the snapshot. The promise resolves there; the buffered chunks are sent on
   * the next macrotask (setImmediate). Every transport sends a request's response from the
   * microtasks that follow the handler's promise, so the client receives the snapshot first.
   */
  attach(peer: Peer, cols?: number, rows?: number, colours?: ReportedColours): Promise<AttachResult> {
    this.batcher.flush();
    const wanted = cols !== undefined || rows !== undefined ? clampSize(cols, rows, this.size) : null;
    this.viewers.add(peer, wanted, colours ?? null);
    this.applySizePolicy();
    return new Promise((resolve) => {
      this.screen.afterWrites(() => {
        resolve({ sessionId: this.sessionId, snapshot: this.screen.serialize(), ...this.size, running: this.running });
        setImmediate(() => this.viewers.promote(peer));
      });
    });
  }

  /** A viewer leaves; the size the remaining viewers want comes back. */
  detach(peer: Peer): void {
    if (!this.viewers.remove(peer)) return;
    this.applySizePolicy();
  }

  ack(peer: Peer, chars: number): void {
    if (Number.isFinite(chars) && chars > 0) this.flow.acked(peer, chars);
  }

  isAttached(peer: Peer): boolean {
    return this.viewers.has(peer);
  }

  /** The viewer that answers the program's terminal queries (null: the host answers). */
  primaryViewer(): Peer | null {
    return this.viewers.set.primary();
  }

  /** The screen once every write so far is parsed (xterm parses in slices; a snapshot taken between them is partial). */
  serialize(): Promise<string> {
    return new Promise((resolve) => this.screen.afterWrites(() => resolve(this.screen.serialize())));
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
      peers: this.viewers.peers().map((p) => ({ peerId: p.id, unacked: this.flow.unacked(p) })),
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
    const killing = killTree(pty.pid, { graceMs }).then((survivors) => {
      if (survivors.length > 0) {
        this.opts.log.warn(
          'terminals',
          `${survivors.length} process(es) of ${this.sessionId} outlived SIGKILL (uninterruptible?): ${survivors.join(', ')}`,
        );
      }
    });
    this.killing = killing;
    try {
      await killing;
    } finally {
      if (this.killing === killing) this.killing = null;
    }
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
    this.viewers.clear();
    this.batcher.dispose();
    this.screen.dispose();
  }

  private makeDetector(agent: string | undefined): StatusDetector {
    return new StatusDetector({
      agent,
      readScreen: () => this.screen.visibleLines(),
      onChange: (activity, source) => {
        if (!this.released) this.opts.onActivity(activity, source);
      },
      timing: this.opts.timing,
    });
  }

  private deliver(data: string): void {
    const n = data.length;
    this.outputBytes += Buffer.byteLength(data, 'utf8');
    this.lastOutputAt = Date.now();
    this.flow.sent(HOST, n);
    // Decided now, in order with the output: with no primary viewer the host answers this chunk's queries.
    const { hostAnswers, gone } = this.viewers.deliver(data);
    for (const peer of gone) this.detach(peer);
    this.screen.write(data, () => this.flow.acked(HOST, n), hostAnswers);
    this.detector.noteOutput();
  }

  /**
   * The program's last output is read before its terminal closes. node-pty closes the PTY's stream
   * 200 ms after the program exits, whatever is still unread — on a busy machine, or with the
   * stream paused by flow control, that cut the tail (the exit was announced without the last
   * lines). Instead, when node-pty closes the stream, a mark is written through our own handle on
   * the slave side: it arrives after everything the program wrote, and the stream closes once the
   * mark has been read (or after `drainCapMs`, should a daemon keep the terminal busy).
   */
  private drainBeforeClose(pty: nodePty.IPty): void {
    const socket = (pty as unknown as { _socket?: { destroy?: (...args: unknown[]) => unknown } })._socket;
    const destroy = socket?.destroy;
    if (!socket || typeof destroy !== 'function' || this.slaveFd === null) return;
    socket.destroy = (...args: unknown[]) => {
      const slave = this.slaveFd;
      if (this.pty !== pty || slave === null || this.drainMark !== null) return destroy.apply(socket, args);
      const mark = `\x1b]7770;multisession-drained-${randomBytes(6).toString('hex')}\x07`;
      let done = false;
      const close = () => {
        if (done) return;
        done = true;
        clearTimeout(cap);
        this.drainMark = null;
        this.drainCarry = '';
        destroy.apply(socket, args);
      };
      const cap = setTimeout(() => {
        this.opts.log.warn('terminals', `${this.sessionId}: the terminal's last output did not drain in time`);
        close();
      }, drainCapMs);
      cap.unref();
      try {
        writeSync(slave, mark);
      } catch {
        close();
        return socket;
      }
      this.drainMark = mark;
      this.drainDone = close;
      // Read to the end, whatever flow control said: the program is gone.
      pty.resume();
      return socket;
    };
  }

  /** Output as read from the PTY; while draining at exit, the drain mark is cut out and ends it. */
  private fromPty(data: string): void {
    const mark = this.drainMark;
    if (mark === null) {
      this.batcher.push(data);
      return;
    }
    const text = this.drainCarry + data;
    const at = text.indexOf(mark);
    if (at >= 0) {
      const rest = text.slice(0, at) + text.slice(at + mark.length);
      this.drainCarry = '';
      if (rest) this.batcher.push(rest);
      const done = this.drainDone;
      this.drainDone = null;
      done?.();
      return;
    }
    // Hold back what could be the start of the mark, split across reads.
    let keep = Math.min(mark.length - 1, text.length);
    while (keep > 0 && !mark.startsWith(text.slice(text.length - keep))) keep--;
    this.drainCarry = text.slice(text.length - keep);
    const out = text.slice(0, text.length - keep);
    if (out) this.batcher.push(out);
  }

  private pausePty(): void {
    const pty = this.pty;
    if (!pty || this.drainMark !== null) return;
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
    const announce = () => {
      this.exitPending = false;
      if (!this.released) this.opts.onExit(exit);
      const waiters = this.exitWaiters;
      this.exitWaiters = [];
      for (const w of waiters) w(exit);
    };
    this.screen.afterWrites(() =>
      setImmediate(() => {
        // A stop's tree kill still running: the rest of the tree may be alive — wait for it.
        const killing = this.killing;
        if (killing) void killing.then(announce, announce);
        else announce();
      }),
    );
  }
}

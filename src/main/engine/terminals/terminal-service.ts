import type { TerminalActivity } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { Peer } from '../rpc/peer';
import type { EventHub } from '../rpc/event-hub';
import type { Logger } from '../core/logger';
import type { ActivityTiming } from './status-detector';
import { checkWorkingDirectory, resolveProgram } from './program-resolver';
import { TerminalInstance, type AttachResult, type TerminalExit } from './terminal-instance';
import { clampSize } from '../../../shared/terminal-size';
import { defaultReportedColours, type ReportedColours } from './headless-screen';
import { coloursInMemory, type ColourMemory } from './viewer-memory';
import type { SizePolicy } from './viewer-set';
import { CpuWatch } from './cpu-watch';
import type { ActivitySource } from './status-detector';
import { FLOW_HIGH_CHARS, FLOW_LOW_CHARS } from '../../../shared/terminal-flow';

export { buildPtyEnv } from './pty-env';
export type { TerminalExit, AttachResult } from './terminal-instance';

export interface TerminalSpawnOptions {
  sessionId: string;
  file: string;
  args: string[];
  cwd: string;
  /** Already the final environment (see buildPtyEnv). */
  env: Record<string, string>;
  /** Default 120x32, clamped. */
  cols?: number;
  rows?: number;
  /** 0..19, applied with os.setPriority right after spawn. */
  niceness?: number;
  /** cgroup.procs files the program joins before exec (its session's kernel limits). */
  cgroupProcs?: string[];
  /** Agent preset id, selects the confirmation prompts used to detect `waiting`. */
  agent?: string;
  /** Shown on the separator line when this terminal already showed a program (default "restarted"). */
  restartReason?: string;
}

export interface TerminalServiceOptions {
  hub: EventHub;
  log: Logger;
  /** Lines of scrollback kept per terminal (default 5000). */
  scrollback?: number;
  /** Unacknowledged characters per client above which the PTY is paused (default FLOW_HIGH_CHARS). */
  highWatermark?: number;
  /** The PTY resumes once every client is below this (default FLOW_LOW_CHARS). */
  lowWatermark?: number;
  /** Tuning of busy/idle/waiting detection (tests and benchmarks). */
  activityTiming?: Partial<ActivityTiming>;
  /** How often running programs' process trees are sampled for CPU use (default 2 s). */
  cpuSampleMs?: number;
  /** How long a screen takes no output before it goes dormant (default SCREEN_DORMANT_AFTER_MS; tests). */
  dormantAfterMs?: number;
  /**
   * The colours a viewer last reported, kept across terminals: a program started with no viewer
   * (auto-started from the wizard, by the CLI, after a restart) that asks for the terminal's
   * colours gets the theme the user last looked at, not the dark default (default: in memory).
   */
  colours?: ColourMemory;
}

export interface TerminalFlowStats {
  paused: boolean;
  maxUnacked: number;
  pauses: number;
  peers: { peerId: string; unacked: number }[];
  hostPending: number;
}

/** Separator written between the text of a broadcast and its Enter: TUIs treat one fast write as a paste. */
const broadcastEnterDelayMs = 30;

/**
 * The host-side terminal pipeline: one PTY per running session program, a headless screen per
 * session that outlives the program, snapshot+subscribe for clients, ack-based flow control,
 * and busy/idle/waiting detection. `terminals.data` goes only to attached peers; exit and
 * activity are broadcast on the hub.
 */
export class TerminalService {
  private readonly terminals = new Map<string, TerminalInstance>();
  private readonly exitListeners = new Set<(e: TerminalExit) => void>();
  private readonly sizeListeners = new Set<(sessionId: string, cols: number, rows: number) => void>();
  private readonly activityListeners = new Set<
    (sessionId: string, activity: TerminalActivity, source: ActivitySource) => void
  >();
  private readonly cpu: CpuWatch;
  private readonly watchedPeers = new WeakSet<Peer>();
  private readonly scrollback: number;
  private readonly high: number;
  private readonly low: number;
  private sizePolicy: SizePolicy = 'latest';
  private readonly colours: ColourMemory;

  constructor(private readonly opts: TerminalServiceOptions) {
    this.scrollback = opts.scrollback ?? 5000;
    this.high = opts.highWatermark ?? FLOW_HIGH_CHARS;
    this.low = Math.min(opts.lowWatermark ?? FLOW_LOW_CHARS, this.high);
    this.colours = opts.colours ?? coloursInMemory();
    this.cpu = new CpuWatch({
      roots: () => {
        const roots = new Map<string, number>();
        for (const [id, t] of this.terminals) if (t.pid !== null) roots.set(id, t.pid);
        return roots;
      },
      onSample: (id, share, intervalMs) => this.terminals.get(id)?.noteCpu(share, intervalMs),
      intervalMs: opts.cpuSampleMs,
    });
  }

  spawn(opts: TerminalSpawnOptions): { pid: number } {
    const existing = this.terminals.get(opts.sessionId);
    if (existing?.running) {
      throw new AppError('INVALID_STATE', `Session ${opts.sessionId} is already running a program — stop it first.`);
    }
    checkWorkingDirectory(opts.cwd);
    const file = resolveProgram(opts.file, opts.cwd, opts.env.PATH);
    const size = clampSize(opts.cols, opts.rows, existing?.size);
    const term = existing ?? this.create(opts.sessionId, size);
    let pid: number;
    try {
      pid = term.start({ ...opts, file, ...size });
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (!existing) this.drop(opts.sessionId);
      throw new AppError(
        'PROGRAM_NOT_FOUND',
        `Could not start \`${opts.file}\`: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    this.cpu.wake();
    this.opts.log.info(
      'terminals',
      `started ${opts.file} for ${opts.sessionId} (pid ${pid}, ${size.cols}x${size.rows})`,
    );
    return { pid };
  }

  isRunning(sessionId: string): boolean {
    return this.terminals.get(sessionId)?.running ?? false;
  }

  pid(sessionId: string): number | null {
    return this.terminals.get(sessionId)?.pid ?? null;
  }

  /** Kills the program's process tree; resolves with its exit after trailing output drained (null if none ran). */
  stop(sessionId: string, opts: { graceMs?: number } = {}): Promise<TerminalExit | null> {
    const term = this.terminals.get(sessionId);
    return term ? term.stop(opts.graceMs) : Promise.resolve(null);
  }

  attach(
    sessionId: string,
    peer: Peer,
    cols?: number,
    rows?: number,
    colours?: ReportedColours,
  ): Promise<AttachResult> {
    const term = this.get(sessionId);
    this.watchPeer(peer);
    if (colours) this.colours.note(colours);
    return term.attach(peer, cols, rows, colours);
  }

  /** The colours reported to programs of terminals that no viewer with colours has attached to yet. */
  fallbackColours(): ReportedColours {
    return this.colours.get() ?? defaultReportedColours;
  }

  detach(sessionId: string, peer: Peer): void {
    this.terminals.get(sessionId)?.detach(peer);
  }

  /** Types into a session's program; `from` is the viewer that typed (it becomes the most recently used). */
  input(sessionId: string, data: string, from?: Peer): void {
    this.get(sessionId).write(data, 0, from);
  }

  /** A viewer's window size (see TerminalInstance.resize); returns the terminal's size. */
  resize(sessionId: string, cols: number, rows: number, from?: Peer): { cols: number; rows: number } {
    return this.get(sessionId).resize(cols, rows, from);
  }

  /** The size policy over several viewers (the `terminalSizePolicy` setting); applied at once. */
  setSizePolicy(policy: SizePolicy): void {
    if (policy === this.sizePolicy) return;
    this.sizePolicy = policy;
    for (const term of this.terminals.values()) term.applySizePolicy();
  }

  /** The viewer that answers a terminal's queries, null when the host does (tests, diagnostics). */
  primaryViewer(sessionId: string): Peer | null {
    return this.terminals.get(sessionId)?.primaryViewer() ?? null;
  }

  ack(sessionId: string, peer: Peer, chars: number): void {
    this.get(sessionId).ack(peer, chars);
  }

  /** Types `text` (and Enter) into each running session; reports which ones could not take it. */
  broadcast(
    sessionIds: string[],
    text: string,
    enter: boolean,
  ): { delivered: string[]; failed: { sessionId: string; message: string }[] } {
    const delivered: string[] = [];
    const failed: { sessionId: string; message: string }[] = [];
    for (const sessionId of new Set(sessionIds)) {
      try {
        const term = this.get(sessionId);
        term.write(text);
        if (enter) term.write('\r', text.length > 0 ? broadcastEnterDelayMs : 0);
        delivered.push(sessionId);
      } catch (e) {
        failed.push({ sessionId, message: e instanceof Error ? e.message : String(e) });
      }
    }
    return { delivered, failed };
  }

  /** The terminal's whole state once every write so far is parsed; null for no such terminal. */
  async serialize(sessionId: string): Promise<string | null> {
    return (await this.terminals.get(sessionId)?.serialize()) ?? null;
  }

  /** A terminal showing saved content with no program (after a host restart), so attach shows what was there. */
  restore(sessionId: string, serialized: string, cols?: number, rows?: number): void {
    const existing = this.terminals.get(sessionId);
    if (existing?.running) {
      throw new AppError('INVALID_STATE', `Session ${sessionId} is running — its terminal cannot be replaced.`);
    }
    // Viewers attached to it (a tab opened on a session whose program ran in an older host) stay
    // attached: the content goes into the same terminal, so they follow the program started next.
    if (existing && existing.viewerCount > 0) return existing.restoreContent(serialized);
    if (existing) this.drop(sessionId);
    this.create(sessionId, clampSize(cols, rows)).restoreContent(serialized);
  }

  release(sessionId: string): void {
    this.drop(sessionId);
  }

  stats(sessionId: string): { outputBytes: number; lastOutputAt: number | null; activity: TerminalActivity } | null {
    const term = this.terminals.get(sessionId);
    return term ? { outputBytes: term.outputBytes, lastOutputAt: term.lastOutputAt, activity: term.activity } : null;
  }

  /** Flow-control counters (benchmarks, diagnostics): paused state and the most unacked chars any client reached. */
  flowStats(sessionId: string): TerminalFlowStats | null {
    return this.terminals.get(sessionId)?.flowStats() ?? null;
  }

  /** The visible screen's lines (status views, tests). */
  screenLines(sessionId: string): string[] | null {
    return this.terminals.get(sessionId)?.visibleLines() ?? null;
  }

  /** The characters of one cell of the visible screen (tests, diagnostics). */
  cellAt(sessionId: string, x: number, y: number): string | null {
    return this.terminals.get(sessionId)?.cellAt(x, y) ?? null;
  }

  /** The terminal's size, or null when there is no terminal. */
  size(sessionId: string): { cols: number; rows: number } | null {
    return this.terminals.get(sessionId)?.size ?? null;
  }

  /** The last program's exit, or null while one runs or none ran. */
  lastExit(sessionId: string): TerminalExit | null {
    const term = this.terminals.get(sessionId);
    return term && !term.running ? term.lastExit : null;
  }

  sessionIds(): string[] {
    return [...this.terminals.keys()];
  }

  onExit(listener: (e: TerminalExit) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Size changes of a terminal, whoever caused them (a viewer in this process or a CLI attached elsewhere). */
  onSize(listener: (sessionId: string, cols: number, rows: number) => void): () => void {
    this.sizeListeners.add(listener);
    return () => this.sizeListeners.delete(listener);
  }

  /** Activity changes, with what decided them (screen rules, output, CPU). */
  onActivity(listener: (sessionId: string, activity: TerminalActivity, source: ActivitySource) => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  async dispose(): Promise<void> {
    this.cpu.stop();
    const terms = [...this.terminals.values()];
    await Promise.all(terms.map((t) => t.stop(1000).catch(() => null)));
    for (const t of terms) t.release();
    this.terminals.clear();
  }

  private get(sessionId: string): TerminalInstance {
    const term = this.terminals.get(sessionId);
    if (!term) {
      throw new AppError('TERMINAL_NOT_FOUND', `Session ${sessionId} has no terminal — start the session first.`, {
        sessionId,
      });
    }
    return term;
  }

  private create(sessionId: string, size: { cols: number; rows: number }): TerminalInstance {
    const term = new TerminalInstance({
      sessionId,
      ...size,
      scrollback: this.scrollback,
      dormantAfterMs: this.opts.dormantAfterMs,
      peerMarks: { high: this.high, low: this.low },
      hostMarks: { high: Math.max(1_000_000, this.high * 4), low: Math.max(250_000, this.low) },
      log: this.opts.log,
      timing: this.opts.activityTiming,
      sizePolicy: () => this.sizePolicy,
      fallbackColours: () => this.fallbackColours(),
      onExit: (exit) => this.announceExit(exit),
      onActivity: (activity, source) => this.announceActivity(sessionId, activity, source),
      onSize: ({ cols, rows }) => {
        for (const l of this.sizeListeners) l(sessionId, cols, rows);
      },
    });
    this.terminals.set(sessionId, term);
    return term;
  }

  private drop(sessionId: string): void {
    const term = this.terminals.get(sessionId);
    if (!term) return;
    this.terminals.delete(sessionId);
    term.release();
  }

  /** Peers that go away are detached from every terminal (Peer.onClose cannot be unsubscribed, so once per peer). */
  private watchPeer(peer: Peer): void {
    if (this.watchedPeers.has(peer)) return;
    this.watchedPeers.add(peer);
    peer.onClose(() => {
      for (const term of this.terminals.values()) term.detach(peer);
    });
  }

  private announceExit(exit: TerminalExit): void {
    this.opts.log.info('terminals', `${exit.sessionId} exited (code ${exit.exitCode}, signal ${exit.signal})`);
    this.opts.hub.emit('terminals.exit', exit);
    for (const l of this.exitListeners) l(exit);
  }

  private announceActivity(sessionId: string, activity: TerminalActivity, source: ActivitySource): void {
    this.opts.hub.emit('terminals.activity', { sessionId, activity });
    for (const l of this.activityListeners) l(sessionId, activity, source);
  }
}

import type { TerminalActivity } from '../../../shared/domain';
import type { HandOverReply, TerminalInfo } from '../../../shared/terminal-host-contract';
import type { Peer } from '../rpc/peer';
import type { ReportedColours } from './headless-screen';
import type { ActivitySource } from './status-detector';
import type { AttachResult, TerminalExit, TerminalFlowStats, TerminalSpawnOptions } from './terminal-service';
import type { SizePolicy } from './viewer-set';

export type {
  ActivitySource,
  AttachResult,
  ReportedColours,
  SizePolicy,
  TerminalExit,
  TerminalFlowStats,
  TerminalSpawnOptions,
  TerminalInfo,
};

export interface TerminalStats {
  outputBytes: number;
  lastOutputAt: number | null;
  activity: TerminalActivity;
}

/** Terminals that were running when the terminal host went away (it crashed or was killed). */
export interface TerminalHostLoss {
  sessionIds: string[];
  reason: string;
}

/** A terminal host of another protocol version that still runs programs (found on start). */
export interface IncompatibleHost {
  protocol: number;
  appVersion: string;
  pid: number;
  sessions: { sessionId: string; pid: number | null; running: boolean }[];
}

/**
 * What the engine needs of terminals, wherever they live: in this process (`LocalTerminals`, unit
 * tests) or in the detached terminal host (`RemoteTerminals`, every UI host and the CLI). Anything
 * that may cross a process boundary is a promise; `stats` answers from what the backend last knew.
 */
export interface TerminalBackend {
  spawn(opts: TerminalSpawnOptions): Promise<{ pid: number }>;
  /** Kills the program's process tree; resolves with its exit once drained (null if none ran). */
  stop(sessionId: string, opts?: { graceMs?: number }): Promise<TerminalExit | null>;
  /** A viewer opens the terminal; `colours` is its theme (answers programs' colour queries). */
  attach(sessionId: string, peer: Peer, cols?: number, rows?: number, colours?: ReportedColours): Promise<AttachResult>;
  detach(sessionId: string, peer: Peer): void;
  /** Types into the program; `from` is the viewer that typed (the size policy's most recent one). */
  input(sessionId: string, data: string, from?: Peer): Promise<void>;
  resize(sessionId: string, cols: number, rows: number, peer?: Peer): Promise<{ cols: number; rows: number }>;
  ack(sessionId: string, peer: Peer, chars: number): void;
  /** How a terminal with several viewers is sized (the `terminalSizePolicy` setting). */
  setSizePolicy(policy: SizePolicy): void;
  broadcast(
    sessionIds: string[],
    text: string,
    enter: boolean,
  ): Promise<{ delivered: string[]; failed: { sessionId: string; message: string }[] }>;
  serialize(sessionId: string): Promise<string | null>;
  restore(sessionId: string, serialized: string, cols?: number, rows?: number): Promise<void>;
  release(sessionId: string): Promise<void>;
  stats(sessionId: string): TerminalStats | null;
  flowStats(sessionId: string): Promise<TerminalFlowStats | null>;
  screenLines(sessionId: string): Promise<string[] | null>;
  /** Every terminal the backend holds, live or exited (start-up re-adoption). */
  list(): Promise<TerminalInfo[]>;
  /** The engine recorded this terminal's exit (the terminal host may now forget it when idle). */
  exitHandled(sessionId: string): void;
  onExit(listener: (e: TerminalExit) => void): () => void;
  onActivity(listener: (sessionId: string, activity: TerminalActivity, source: ActivitySource) => void): () => void;
  /** A terminal's size changed, whoever changed it. */
  onSize(listener: (sessionId: string, cols: number, rows: number) => void): () => void;
  /** The terminal host died with programs running; a new one is already being started. */
  onHostLost(listener: (loss: TerminalHostLoss) => void): () => void;
  /** Hosts of another protocol version still running programs (empty for LocalTerminals). */
  incompatibleHosts(): IncompatibleHost[];
  /** Stops an incompatible host and every program in it (after the user chose to restore them here). */
  stopIncompatibleHost(pid: number): Promise<void>;
  /**
   * Takes one session over from an incompatible host (its frozen `handOver`): the program is stopped
   * there and its terminal's screen comes back serialized. Null when no such host is connected;
   * `unsupported` when that host predates `handOver` (only stopping it as a whole is left).
   */
  handOverFrom(hostPid: number, sessionId: string): Promise<HandOverReply | 'unsupported' | null>;
  /** Lets an incompatible host that runs no program any more exit; true when it did. */
  retireIncompatibleHost(pid: number): Promise<boolean>;
  /**
   * Lets go of the terminals. `stopPrograms` stops every program (quit without "keep running",
   * stop-everything); otherwise programs keep running in the terminal host.
   */
  dispose(opts: { stopPrograms: boolean }): Promise<void>;
}

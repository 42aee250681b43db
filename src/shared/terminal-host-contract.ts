import { z } from 'zod';
import { reportedColoursSchema } from './contract';
import { terminalActivitySchema, terminalSizePolicySchema } from './domain';
import { req, type RequestDefs, type EventDefs } from './rpc';

/**
 * The terminal host's contract: what an engine (the UI host, or a CLI command that opened the
 * data dir) asks of the detached process that owns the PTYs and their headless terminals. Same
 * frames and framing as every other transport (rpc.ts), its own requests and events.
 *
 * Versioning: `hello`, `shutdown` and `handOver` are frozen — every protocol version answers them
 * with these exact shapes (`handOver` since it was added; a host without it answers BAD_INPUT) — so
 * an app can always find out who it is talking to, take its sessions over one by one and stop an
 * older host. Every
 * other request belongs to `TERMINAL_HOST_PROTOCOL`; a change to any of them bumps the number.
 */
export const TERMINAL_HOST_PROTOCOL = 1;

const sessionId = z.string().min(1).max(64);
/** One UI peer (window, browser tab, CLI attach) as a viewer of terminals. */
const viewerId = z.string().min(1).max(128);
const dimension = z.number().int().min(1).max(100_000);
const ok = z.object({ ok: z.literal(true) });
const noInput = z.object({}).optional().default({});
const nul = (s: string) => !s.includes('\u0000');

export const terminalExitSchema = z.object({
  sessionId: z.string(),
  exitCode: z.number().nullable(),
  signal: z.number().nullable(),
});

export const terminalInfoSchema = z.object({
  sessionId: z.string(),
  /** A program runs in this terminal now. */
  running: z.boolean(),
  pid: z.number().nullable(),
  cols: z.number(),
  rows: z.number(),
  activity: terminalActivitySchema,
  outputBytes: z.number(),
  lastOutputAt: z.number().nullable(),
  /** The last program's exit, when it exited. */
  exit: terminalExitSchema.nullable(),
  /** An engine recorded that exit (until then the host keeps the terminal and stays up). */
  exitHandled: z.boolean(),
});
export type TerminalInfo = z.infer<typeof terminalInfoSchema>;

export const helloReplySchema = z.object({
  protocol: z.number(),
  appVersion: z.string(),
  pid: z.number(),
  startedAt: z.number(),
  /** Identifies the boot the host started in; a different one means the machine restarted. */
  bootId: z.string(),
  /** Terminals the host holds: enough to report or stop them whatever the protocol. */
  sessions: z.array(z.object({ sessionId: z.string(), pid: z.number().nullable(), running: z.boolean() })),
});
export type HelloReply = z.infer<typeof helloReplySchema>;

export const handOverReplySchema = z.object({
  found: z.boolean(),
  /** The terminal serialized (screen and scrollback) after the program stopped; null when none. */
  screen: z.string().nullable(),
  cols: z.number(),
  rows: z.number(),
  exit: terminalExitSchema.nullable(),
});
export type HandOverReply = z.infer<typeof handOverReplySchema>;

export const spawnInputSchema = z.object({
  sessionId,
  file: z.string().min(1).max(4096).refine(nul),
  args: z.array(z.string().max(65_536).refine(nul)).max(1024),
  cwd: z.string().min(1).max(4096).refine(nul),
  /** The program's whole environment, already built by the engine (allow-list + session vars). */
  env: z.record(z.string().max(256), z.string().max(65_536).refine(nul)),
  cols: z.number().int().optional(),
  rows: z.number().int().optional(),
  niceness: z.number().int().min(-20).max(19).optional(),
  agent: z.string().max(64).optional(),
  /** cgroup.procs files the program joins before exec: its session's kernel limits (engine/limits). */
  cgroupProcs: z.array(z.string().min(1).max(4096).refine(nul)).max(8).optional(),
  /** Shown on the separator line when this terminal already showed a program. */
  restartReason: z.string().max(500).optional(),
});

export const attachReplySchema = z.object({
  sessionId: z.string(),
  snapshot: z.string(),
  cols: z.number(),
  rows: z.number(),
  running: z.boolean(),
});

export const flowStatsSchema = z.object({
  paused: z.boolean(),
  maxUnacked: z.number(),
  pauses: z.number(),
  peers: z.array(z.object({ peerId: z.string(), unacked: z.number() })),
  hostPending: z.number(),
});

/** Versioned requests fail INVALID_STATE until the connection said hello with this protocol. */
const versioned = ['INVALID_STATE'] as const;
/** …and those on one terminal fail TERMINAL_NOT_FOUND when the session has none. */
const onTerminal = ['INVALID_STATE', 'TERMINAL_NOT_FOUND'] as const;
const none = [] as const;

export const terminalHostRequests = {
  // ── frozen ──
  /**
   * `relay` (optional, so hosts and engines older than it still understand each other): the engine
   * takes viewer events as relay lines (terminal-host/relay-line.ts) instead of `viewer` events.
   */
  hello: req(
    z.object({ protocol: z.number().int(), appVersion: z.string().max(100), relay: z.boolean().optional() }),
    helloReplySchema,
    none,
  ),
  shutdown: req(z.object({ stopPrograms: z.boolean() }), ok, none),
  /**
   * Gives one session up to a newer app: its program is stopped (trailing output drained), the
   * terminal's screen and scrollback are returned serialized, and the terminal is forgotten here
   * (the host exits once nothing else keeps it). `found` false: this host has no such terminal.
   */
  handOver: req(
    z.object({ sessionId, graceMs: z.number().int().min(0).max(60_000).optional() }),
    handOverReplySchema,
    none,
  ),
  // ── protocol 1 ──
  list: req(noInput, z.array(terminalInfoSchema), versioned),
  spawn: req(spawnInputSchema, z.object({ pid: z.number() }), [...versioned, 'PROGRAM_NOT_FOUND']),
  stop: req(
    z.object({ sessionId, graceMs: z.number().int().min(0).max(60_000).optional() }),
    terminalExitSchema.nullable(),
    versioned,
  ),
  attach: req(
    z.object({
      sessionId,
      viewerId,
      cols: dimension.optional(),
      rows: dimension.optional(),
      colours: reportedColoursSchema.optional(),
    }),
    attachReplySchema,
    onTerminal,
  ),
  detach: req(z.object({ sessionId, viewerId }), ok, versioned),
  /** A UI peer went away: detach it from every terminal. */
  detachViewer: req(z.object({ viewerId }), ok, versioned),
  input: req(z.object({ sessionId, data: z.string().max(1_000_000), viewerId: viewerId.optional() }), ok, onTerminal),
  resize: req(
    z.object({ sessionId, viewerId: viewerId.optional(), cols: dimension, rows: dimension }),
    z.object({ cols: z.number(), rows: z.number() }),
    onTerminal,
  ),
  ack: req(z.object({ sessionId, viewerId, chars: z.number().int().min(0).max(1e9) }), ok, onTerminal),
  setSizePolicy: req(z.object({ policy: terminalSizePolicySchema }), ok, versioned),
  broadcast: req(
    z.object({ sessionIds: z.array(sessionId).min(1).max(1000), text: z.string().max(100_000), enter: z.boolean() }),
    z.object({
      delivered: z.array(z.string()),
      failed: z.array(z.object({ sessionId: z.string(), message: z.string() })),
    }),
    versioned,
  ),
  serialize: req(z.object({ sessionId }), z.string().nullable(), versioned),
  /** A terminal showing saved content with no program (a stopped session opened after a restart). */
  restore: req(
    z.object({
      sessionId,
      serialized: z.string().max(64 * 1024 * 1024),
      cols: dimension.optional(),
      rows: dimension.optional(),
    }),
    ok,
    versioned,
  ),
  release: req(z.object({ sessionId }), ok, versioned),
  /** The engine recorded this terminal's exit: the host no longer needs to stay up for it. */
  exitHandled: req(z.object({ sessionId }), ok, versioned),
  flowStats: req(z.object({ sessionId }), flowStatsSchema.nullable(), versioned),
  screenLines: req(z.object({ sessionId }), z.array(z.string()).nullable(), versioned),
} as const satisfies RequestDefs;

export const terminalHostEvents = {
  /** An event of the app contract for one viewer (terminal data, …); the engine hands it to that peer. */
  viewer: z.object({ viewerId: z.string(), name: z.string(), payload: z.unknown() }),
  /** An event the terminals announce to everyone (exit, activity, …); the engine re-emits it on its hub. */
  hub: z.object({ name: z.string(), payload: z.unknown() }),
  /** A terminal's activity with where the verdict came from (the engine's status decision weighs it). */
  activity: z.object({
    sessionId: z.string(),
    activity: terminalActivitySchema,
    source: z.enum(['screen', 'output', 'cpu']),
  }),
  /** A terminal's size changed (e.g. a CLI attached straight to the terminal host resized it). */
  size: z.object({ sessionId: z.string(), cols: z.number().int(), rows: z.number().int() }),
} as const satisfies EventDefs;

export type TerminalHostRequests = typeof terminalHostRequests;
export type TerminalHostEvents = typeof terminalHostEvents;

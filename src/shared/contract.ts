import { z } from 'zod';
import type { Result } from './errors';
import {
  agentChoiceSchema,
  agentPresetSchema,
  approvalPolicySchema,
  argListSchema,
  argString,
  batchSchema,
  cleanupReportSchema,
  commandRecordSchema,
  commandString,
  diffSummarySchema,
  envSchema,
  passEnvSchema,
  limitsPatchSchema,
  metricsSeriesSchema,
  pathString,
  poolStatusSchema,
  prioritySchema,
  quarantinedRecordSchema,
  repoInfoSchema,
  sessionMetricsSchema,
  sessionNameSchema,
  sessionSchema,
  sessionStatusSchema,
  sessionTypeInfoSchema,
  sessionTypeSchema,
  settingsPatchSchema,
  settingsSchema,
  usageSummarySchema,
  skillSchema,
  systemStatusSchema,
  terminalActivitySchema,
} from './domain';
import { sessionPlanSchema } from './session-plan';
import {
  repoScriptSchema,
  trustedScriptSchema,
  trustScriptsInputSchema,
  untrustScriptInputSchema,
} from './repo-scripts';
import { reviewEvents, reviewRequests } from './review-contract';
import { lifetimeRequests } from './lifetime-contract';
import { removalVerdictSchema, userCommitPlanSchema } from './removal';

import {
  gitErrors,
  noErrors as none,
  removalErrors,
  sessionErrors,
  terminalErrors,
  type AppErrorOf,
  type BoundaryErrorCode,
} from './errors';
import { req, type RequestDef } from './rpc';

export type { RequestDef };

const id = z.string().min(1).max(64);
const sessionRef = z.object({ sessionId: id });
const empty = z.object({}).optional().default({});
const ok = z.object({ ok: z.literal(true) });

/** What `sessions.create` takes. Omitted fields come from the session type's template. */
export const createSessionInputSchema = z
  .object({
    name: sessionNameSchema,
    repoPath: pathString,
    type: sessionTypeSchema.default('general'),
    /** Create the branch from this base (default: the repository's current branch). */
    baseBranch: z.string().min(1).max(255).optional(),
    /** Work on this existing branch instead of creating one. */
    existingBranch: z.string().min(1).max(255).optional(),
    /** Branch name to create; default derived from the name and the branch template. */
    branchName: z.string().min(1).max(255).optional(),
    agent: z.string().max(64).optional(),
    program: commandString.optional(),
    args: argListSchema.optional(),
    prompt: z.string().max(100_000).optional(),
    /** Type the prompt into a program that takes none (a shell: it runs as a command). Off by default. */
    typePrompt: z.boolean().optional(),
    /** Approval policy (default off: the agent's own default behaviour). */
    approval: approvalPolicySchema.optional(),
    priority: prioritySchema.optional(),
    limits: limitsPatchSchema.optional(),
    background: z.boolean().optional(),
    env: envSchema.optional(),
    /** Host variables to pass through on top of the allow-list (see `status` for the list). */
    passEnv: passEnvSchema.optional(),
    skills: z.array(z.string().max(64)).max(50).optional(),
    copyInPatterns: z.array(z.string().max(512)).max(100).optional(),
    setupScript: z.string().max(100_000).optional(),
    /** Neither run the repository's own setup script nor apply its .worktreeinclude (no trust needed). */
    skipRepoScripts: z.boolean().optional(),
    /** Start the program once the worktree is ready (default true). */
    autoStart: z.boolean().default(true),
    copies: z.number().int().min(1).max(50).default(1),
    cols: z.number().int().optional(),
    rows: z.number().int().optional(),
    /** Correlates progress events with the caller's UI. */
    operationId: z.string().max(64).optional(),
    /** Fan-out group shared by sessions created together (several calls of one wizard); default: one per call with copies > 1. */
    groupId: z.string().min(1).max(64).optional(),
  })
  .refine((v) => !(v.baseBranch && v.existingBranch), {
    message: 'Choose either a base branch to branch from or an existing branch to work on, not both.',
    path: ['existingBranch'],
  });
export type CreateSessionInput = z.input<typeof createSessionInputSchema>;

export const sessionFilterSchema = z
  .object({
    status: sessionStatusSchema.optional(),
    type: sessionTypeSchema.optional(),
    repoPath: z.string().max(4096).optional(),
    search: z.string().max(200).optional(),
    includeTerminated: z.boolean().default(true),
  })
  .optional()
  .default({ includeTerminated: true });

export const executeInputSchema = z.object({
  sessionId: id,
  kind: z.enum(['shell', 'skill']).default('shell'),
  /** Program (kind shell) or `skill:action` / skill name (kind skill). */
  command: commandString,
  args: argListSchema.default([]),
  /** Run through /bin/sh -c; only when the user asks for a shell. */
  shell: z.boolean().default(false),
  params: z.record(z.string(), argString).default({}),
  timeoutSec: z.number().positive().max(86_400).optional(),
});

// Strict branches with a required filter: a mistyped selector ({} or {sessionIds: []}) must be
// refused, not read as "no filter" and run on every session.
export const batchSelectorSchema = z.union([
  z.strictObject({ all: z.literal(true) }),
  z.strictObject({ sessionIds: z.array(id).min(1).max(1000) }),
  z.strictObject({ filter: sessionFilterSchema.unwrap().unwrap() }),
]);

export const batchRunInputSchema = z.object({
  selector: batchSelectorSchema,
  command: commandString,
  args: argListSchema.default([]),
  shell: z.boolean().default(false),
  concurrency: z.number().int().min(1).max(64).default(4),
  timeoutSec: z.number().positive().max(86_400).optional(),
});

/** A removal verdict's fingerprint (`sessions.removalCheck`, cleanup items). */
const fingerprint = z.string().min(1).max(64);

export const pauseInputSchema = z.object({
  sessionId: id,
  /** The fingerprint of the verdict a WORK_AT_RISK refusal of pause listed: exactly that loss is accepted. */
  acceptLoss: fingerprint.optional(),
});

export const terminateInputSchema = z.object({
  sessionId: id,
  /** Delete the branch too (only if nothing on it would be lost, or that loss was accepted). */
  deleteBranch: z.boolean().default(false),
  /**
   * Commit the user's changed and new files to the branch first (never files the app placed and
   * nobody edited); then remove the worktree.
   */
  commitMessage: z.string().min(1).max(10_000).optional(),
  /**
   * Force: the fingerprint of the `sessions.removalCheck` verdict the user was shown. Exactly that
   * loss is accepted; anything not in it (a file edited or created since) is kept and refused.
   */
  acceptLoss: fingerprint.optional(),
});

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour is #rrggbb.');
/** A viewer's theme, reported to programs that ask the terminal for its colours (OSC 10/11/12). */
export const reportedColoursSchema = z.object({ foreground: hexColour, background: hexColour, cursor: hexColour });

const terminalSize = {
  cols: z.number().int().min(1).max(100_000),
  rows: z.number().int().min(1).max(100_000),
};

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'browser', 'cli']),
  platform: z.string(),
  dataDir: z.string(),
  pid: z.number(),
  startedAt: z.number(),
  homeDir: z.string(),
});

/** Every request the host answers. Add one here and one handler in the engine — nothing else. */
export const requests = {
  'app.info': req(empty, appInfoSchema, none),
  'settings.get': req(empty, settingsSchema, none),
  'settings.update': req(settingsPatchSchema, settingsSchema, ['UNSAFE_PATH']),
  'agents.list': req(
    z
      .object({ refresh: z.boolean().default(false) })
      .optional()
      .default({ refresh: false }),
    z.array(agentPresetSchema),
    none,
  ),
  /** The default program and each type's program on this machine, with the reasons. */
  'agents.defaults': req(
    empty,
    z.object({
      defaultProgram: agentChoiceSchema,
      types: z.array(agentChoiceSchema.extend({ type: sessionTypeSchema })),
    }),
    none,
  ),
  'sessionTypes.list': req(empty, z.array(sessionTypeInfoSchema), none),
  'skills.list': req(
    z
      .object({ repoPath: z.string().max(4096).optional() })
      .optional()
      .default({}),
    z.array(skillSchema),
    none,
  ),
  'repos.inspect': req(z.object({ path: pathString }), repoInfoSchema, gitErrors),
  /** The repository's own setup script and .worktreeinclude as they are now, each marked trusted or not. */
  'repos.scripts': req(z.object({ path: pathString }), z.array(repoScriptSchema), gitErrors),
  /** Trust these exact contents (by SHA-256) of the repository's scripts; a changed file asks again. */
  'repos.trustScripts': req(trustScriptsInputSchema, z.array(repoScriptSchema), gitErrors),
  /** Every trust given to repository scripts (Settings lists them to take back). */
  'repos.trustedScripts': req(empty, z.array(trustedScriptSchema), none),
  /** Takes one trust back: the next create using that content asks again. */
  'repos.untrustScripts': req(untrustScriptInputSchema, z.array(trustedScriptSchema), none),
  'repos.complete': req(z.object({ prefix: z.string().max(4096) }), z.array(z.string()), none),
  'sessions.list': req(sessionFilterSchema, z.array(sessionSchema), none),
  'sessions.get': req(sessionRef, sessionSchema, ['NOT_FOUND']),
  /**
   * What a person typed → one session: exact id, exact unique name, unique id prefix among live
   * sessions (not when `destructive`); several matches → AMBIGUOUS_REFERENCE with the candidates.
   */
  'sessions.resolve': req(
    z.object({ ref: z.string().min(1).max(200), destructive: z.boolean().default(false) }),
    sessionSchema,
    ['NOT_FOUND', 'AMBIGUOUS_REFERENCE'],
  ),
  'sessions.create': req(createSessionInputSchema, z.array(sessionSchema), [
    ...gitErrors,
    'INVALID_STATE',
    'PROGRAM_NOT_FOUND',
    'BUSY',
    'UNTRUSTED_SCRIPT',
    'UNSAFE_PATH',
  ]),
  /** What sessions.create would make of this input (names, branches, program, limits…), creating nothing. */
  'sessions.plan': req(createSessionInputSchema, z.array(sessionPlanSchema), [
    ...gitErrors,
    'INVALID_STATE',
    'PROGRAM_NOT_FOUND',
  ]),
  'sessions.start': req(sessionRef, sessionSchema, sessionErrors),
  'sessions.stop': req(sessionRef, sessionSchema, sessionErrors),
  'sessions.restart': req(sessionRef, sessionSchema, sessionErrors),
  /** Stops an idle session's program to free memory; worktree, branch, scrollback and conversation stay. */
  'sessions.hibernate': req(sessionRef, sessionSchema, sessionErrors),
  /** Starts a hibernated session again; its agent continues the conversation where it can. */
  'sessions.wake': req(sessionRef, sessionSchema, sessionErrors),
  /**
   * Commits the work in progress (tracked changes and new files; the staged state is kept aside)
   * to the session's branch and frees its worktree folder; a running program is stopped first.
   * Ignored files (node_modules, .env…) would be lost: refused with WORK_AT_RISK listing them
   * unless `acceptLoss` is that verdict's fingerprint. Submodules, a locked worktree, a merge or
   * rebase under way: NOT_PAUSABLE, nothing changed.
   */
  'sessions.pause': req(pauseInputSchema, sessionSchema, [
    ...sessionErrors,
    ...gitErrors,
    ...removalErrors,
    'NOT_PAUSABLE',
  ]),
  /**
   * Recreates a paused session's worktree at the same path on its branch, gives back the files,
   * staged state and the app's copied-in files as they were, and starts the program continuing
   * the agent's conversation. The folder must be absent or empty (else FOLDER_IN_USE).
   */
  'sessions.resume': req(sessionRef, sessionSchema, [...sessionErrors, ...gitErrors, 'FOLDER_IN_USE', 'UNSAFE_PATH']),
  'sessions.update': req(
    z.object({
      sessionId: id,
      priority: prioritySchema.optional(),
      limits: limitsPatchSchema.optional(),
      name: sessionNameSchema.optional(),
    }),
    sessionSchema,
    sessionErrors,
  ),
  'sessions.terminate': req(terminateInputSchema, sessionSchema, [...sessionErrors, ...gitErrors, ...removalErrors]),
  /**
   * Changes the approval policy. Auto-yes and off take effect at once; an agent mode is an argument
   * of the agent, so a running one gets it at its next start (or now, with `restart`).
   */
  'sessions.setApproval': req(
    z.object({ sessionId: id, approval: approvalPolicySchema, restart: z.boolean().default(false) }),
    sessionSchema,
    sessionErrors,
  ),
  /** What terminating (and deleting the branch) would lose — show it before accepting it. */
  'sessions.removalCheck': req(
    z.object({ sessionId: id, deleteBranch: z.boolean().default(false) }),
    removalVerdictSchema,
    ['NOT_FOUND'],
  ),
  /** What a commit for the user (terminate with a message, pause) would take and leave out. */
  'sessions.commitPreview': req(sessionRef, userCommitPlanSchema, [...sessionErrors, ...gitErrors]),
  /** Keep the worktree of a creation the host was stopped in the middle of (`recovery`). */
  'sessions.recover': req(sessionRef, sessionSchema, [...sessionErrors, ...gitErrors]),
  /** Stored session records that failed validation: kept aside, shown, their worktrees protected. */
  'sessions.quarantined': req(empty, z.array(quarantinedRecordSchema), none),
  'sessions.diff': req(sessionRef, diffSummarySchema, [...sessionErrors, ...gitErrors]),
  'sessions.metrics': req(sessionRef, sessionMetricsSchema, ['NOT_FOUND']),
  'commands.execute': req(executeInputSchema, commandRecordSchema, [
    ...sessionErrors,
    'SKILL_NOT_FOUND',
    'PROGRAM_NOT_FOUND',
    'CANCELLED',
  ]),
  'commands.history': req(
    z.object({ sessionId: id, limit: z.number().int().min(1).max(1000).default(100) }),
    z.array(commandRecordSchema),
    none,
  ),
  'batch.run': req(batchRunInputSchema, batchSchema, ['NOT_FOUND']),
  'batch.runPreset': req(
    z.object({ presetId: z.string().min(1).max(64).optional(), sessionIds: z.array(id).max(1000).default([]) }),
    batchSchema,
    ['NOT_FOUND'],
  ),
  'batch.get': req(z.object({ batchId: id }), batchSchema, ['NOT_FOUND']),
  'batch.list': req(empty, z.array(batchSchema), none),
  'batch.cancel': req(z.object({ batchId: id }), batchSchema, ['NOT_FOUND']),
  'batch.rerunFailed': req(z.object({ batchId: id }), batchSchema, ['NOT_FOUND', 'INVALID_STATE']),
  'cleanup.preview': req(empty, cleanupReportSchema, gitErrors),
  'cleanup.run': req(
    z
      .object({
        /** Fingerprints of kept items' verdicts the user accepts losing (from `cleanup.preview`). */
        accept: z.array(fingerprint).max(10_000).default([]),
      })
      .optional()
      .default({ accept: [] }),
    cleanupReportSchema,
    gitErrors,
  ),
  'metrics.system': req(empty, systemStatusSchema, none),
  /** A session's tokens and estimated cost, in total and per model. */
  'usage.session': req(
    sessionRef,
    z.object({
      summary: usageSummarySchema.nullable(),
      byModel: z.array(
        z.object({
          model: z.string(),
          input: z.number(),
          output: z.number(),
          cacheRead: z.number(),
          cacheWrite: z.number(),
          cost: z.number().nullable(),
          calls: z.number(),
        }),
      ),
    }),
    ['NOT_FOUND'],
  ),
  /** Cost and tokens per session per minute in a time range (analytics). */
  'usage.series': req(
    z.object({ from: z.number(), to: z.number().optional() }),
    z.object({
      points: z.array(z.object({ t: z.number(), sessionId: z.string(), costUsd: z.number(), tokens: z.number() })),
      /** Who each session of the points is (name null once removed): charts by agent and by type. */
      sessions: z
        .array(
          z.object({
            sessionId: z.string(),
            name: z.string().nullable(),
            agent: z.string(),
            type: z.string().nullable(),
          }),
        )
        .default([]),
      pricesAsOf: z.string(),
    }),
    none,
  ),
  /** Reads the agents' records now instead of at the next scan; how many sessions changed. */
  'usage.refresh': req(
    z
      .object({ sessionIds: z.array(id).max(1000).optional() })
      .optional()
      .default({}),
    z.object({ changed: z.number() }),
    none,
  ),
  'metrics.sessions': req(empty, z.array(sessionMetricsSchema), none),
  'metrics.series': req(
    z.object({
      from: z.number(),
      to: z.number().optional(),
      maxPoints: z.number().int().min(10).max(20_000).default(2000),
    }),
    metricsSeriesSchema,
    none,
  ),
  'terminals.attach': req(
    z.object({ sessionId: id, ...terminalSize, colours: reportedColoursSchema.optional() }),
    z.object({ sessionId: id, snapshot: z.string(), cols: z.number(), rows: z.number(), running: z.boolean() }),
    [...terminalErrors, 'INVALID_STATE'],
  ),
  'terminals.detach': req(sessionRef, ok, none),
  /**
   * What a terminal of this client looks like (its theme colours; its size once a tab measured it),
   * sent when the app connects and when its theme changes. Programs that start before anybody views
   * them are told these colours and start at this size.
   */
  'terminals.view': req(
    z.object({
      colours: reportedColoursSchema,
      cols: terminalSize.cols.optional(),
      rows: terminalSize.rows.optional(),
    }),
    ok,
    none,
  ),
  'terminals.input': req(z.object({ sessionId: id, data: z.string().max(1_000_000) }), ok, terminalErrors),
  'terminals.resize': req(
    z.object({ sessionId: id, ...terminalSize }),
    z.object({ cols: z.number(), rows: z.number() }),
    terminalErrors,
  ),
  'terminals.ack': req(z.object({ sessionId: id, chars: z.number().int().min(0).max(1e9) }), ok, [
    'TERMINAL_NOT_FOUND',
  ]),
  'terminals.broadcast': req(
    z.object({
      sessionIds: z.array(id).min(1).max(1000),
      text: z.string().max(100_000),
      enter: z.boolean().default(true),
    }),
    z.object({
      delivered: z.array(z.string()),
      failed: z.array(z.object({ sessionId: z.string(), message: z.string() })),
    }),
    ['NOT_FOUND'],
  ),
  'pool.status': req(empty, poolStatusSchema, none),
  'pool.drain': req(
    z.object({ repoPath: pathString.optional() }).optional().default({}),
    z.object({ removed: z.array(z.string()), kept: z.array(z.object({ path: z.string(), reason: z.string() })) }),
    gitErrors,
  ),
  'system.openPath': req(
    z.object({ path: pathString, with: z.enum(['fileManager', 'editor']).default('fileManager') }),
    ok,
    ['PROGRAM_NOT_FOUND'],
  ),
  ...reviewRequests,
  ...lifetimeRequests,
} as const satisfies Record<string, RequestDef>;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type RequestInput<K extends RequestName> = z.input<Requests[K]['input']>;
export type RequestParsedInput<K extends RequestName> = z.output<Requests[K]['input']>;
export type RequestOutput<K extends RequestName> = z.output<Requests[K]['output']>;
export const requestNames = Object.keys(requests) as RequestName[];
/** The codes request K can fail with: its declared ones plus the boundary codes every request has. */
export type RequestErrorCode<K extends RequestName> = Requests[K]['errors'][number] | BoundaryErrorCode;
/** The error a client can get from request K — a union per request, not every code there is. */
export type RequestError<K extends RequestName> = AppErrorOf<RequestErrorCode<K>>;
export type RequestResult<K extends RequestName> = Result<RequestOutput<K>, RequestError<K>>;

export const progressSchema = z.object({
  operationId: z.string(),
  sessionId: z.string().nullable(),
  step: z.string(),
  message: z.string(),
  /** 0–1 when known. */
  fraction: z.number().nullable(),
  done: z.boolean(),
  error: z.string().nullable(),
});

export const notificationSchema = z.object({
  /** `finished`: an agent ended its turn (its own hooks said so); `limit`: a rate limit or quota notice. */
  kind: z.enum(['waiting', 'exited', 'error', 'info', 'finished', 'limit']),
  sessionId: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  at: z.number(),
});

/** Every event the host pushes. */
export const events = {
  'sessions.changed': z.object({ session: sessionSchema }),
  'sessions.removed': z.object({ sessionId: z.string() }),
  /** Terminal output, sent only to clients attached to that terminal; acknowledge with terminals.ack. */
  'terminals.data': z.object({ sessionId: z.string(), data: z.string() }),
  'terminals.exit': z.object({ sessionId: z.string(), exitCode: z.number().nullable(), signal: z.number().nullable() }),
  'terminals.activity': z.object({ sessionId: z.string(), activity: terminalActivitySchema }),
  /** The terminal's size changed (size policy over its viewers); sent to every attached viewer. */
  'terminals.size': z.object({ sessionId: z.string(), cols: z.number(), rows: z.number() }),
  'metrics.sample': z.object({ t: z.number(), sessions: z.array(sessionMetricsSchema) }),
  'commands.finished': z.object({ command: commandRecordSchema }),
  'batch.progress': z.object({ batch: batchSchema }),
  progress: progressSchema,
  notify: notificationSchema,
  'settings.changed': z.object({ settings: settingsSchema }),
  ...reviewEvents,
} as const satisfies Record<string, z.ZodType>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
export const eventNames = Object.keys(events) as EventName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

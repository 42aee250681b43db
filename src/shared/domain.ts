import { z } from 'zod';
import { branchTemplateProblem } from './branch-names';
import { removalVerdictSchema } from './removal';

/** Session types from the seed; each is a template of defaults (see session-types.ts). */
export const sessionTypes = [
  'general',
  'spec_driven',
  'code_generation',
  'data_analysis',
  'web_research',
  'background',
] as const;
export const sessionTypeSchema = z.enum(sessionTypes);
export type SessionType = z.infer<typeof sessionTypeSchema>;

/**
 * Session statuses. The seed's seven plus what the product needs:
 * `queued` (waiting for a running slot), `waiting` (the program asks the user something),
 * `stopped` (program not running, worktree kept), `hibernated` (program stopped to free memory,
 * conversation resumes on wake), `paused` (work committed to the branch, worktree folder freed;
 * resume recreates it). Transitions live in session-state.ts.
 */
export const sessionStatuses = [
  'initializing',
  'queued',
  'active',
  'busy',
  'idle',
  'waiting',
  'stopped',
  'completed',
  'error',
  'terminated',
  'hibernated',
  'paused',
] as const;
export const sessionStatusSchema = z.enum(sessionStatuses);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

/** Names are shown everywhere and feed branch names: printable, 1–100 characters. */
export const sessionNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the session a name.')
  .max(100, 'Session names are at most 100 characters.')
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Session names cannot contain control characters.');

export const prioritySchema = z
  .number()
  .int('Priority is a whole number.')
  .min(1, 'Priority is 1 (lowest) to 10 (normal).')
  .max(10, 'Priority is 1 (lowest) to 10 (normal).');

const limitFields = {
  /** Memory of the whole process tree, in MB. */
  memoryMb: z
    .number()
    .int('The memory limit is a whole number of MB.')
    .positive('Limits are positive numbers.')
    .max(1_048_576, 'The memory limit is at most 1 048 576 MB (1 TB).')
    .nullable(),
  /** Maximum runtime of the program, in seconds. */
  runtimeSec: z
    .number()
    .int('The time limit is a whole number of seconds.')
    .positive('Limits are positive numbers.')
    .max(31_536_000, 'The time limit is at most a year.')
    .nullable(),
  /** Default timeout for each command run in the session, in seconds. */
  commandTimeoutSec: z
    .number()
    .int('The command timeout is a whole number of seconds.')
    .positive('Limits are positive numbers.')
    .max(86_400, 'The command timeout is at most a day (86 400 s).')
    .nullable(),
};
export const limitsSchema = z.object(limitFields);
/** Overrides of some limits; absent keys keep the template's value, null removes a limit. */
export const limitsPatchSchema = z.object({
  memoryMb: limitFields.memoryMb.optional(),
  runtimeSec: limitFields.runtimeSec.optional(),
  commandTimeoutSec: limitFields.commandTimeoutSec.optional(),
});
export type Limits = z.infer<typeof limitsSchema>;

// eslint-disable-next-line no-control-regex
const noNul = (s: string) => !/\u0000/.test(s);
/** Absolute (POSIX, Windows drive or UNC) or home-relative: a client's relative path means nothing to the host. */
const isAbsolutePath = (s: string) => /^(\/|~$|~[\\/]|[A-Za-z]:[\\/]|\\\\)/.test(s.trim());
const pathString = z
  .string()
  .min(1)
  .max(4096)
  .refine(noNul, 'Paths cannot contain NUL characters.')
  .refine(isAbsolutePath, 'Give an absolute path — a relative one would be resolved against the host’s own folder.');
/** A program or command to run: no NUL (the OS would cut it there). */
const commandString = z.string().min(1).max(4096).refine(noNul, 'Commands cannot contain NUL characters.');
const argString = z.string().max(65_536).refine(noNul, 'Arguments cannot contain NUL characters.');

/** Names of host variables a session passes through: shell variable names, a few dozen at most. */
export const passEnvSchema = z
  .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'a variable name: letters, digits and _'))
  .max(64);

export const envSchema = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Environment variable names are letters, digits and _.'),
    z.string().max(32_768).refine(noNul, 'Environment values cannot contain NUL.'),
  )
  .default({});

/** How a session's initial prompt is handed over. */
export const promptDeliverySchema = z.enum(['arg', 'flag', 'typed', 'not-sent', 'none']);
export type PromptDelivery = z.infer<typeof promptDeliverySchema>;

/**
 * Approval policy: `off` leaves the agent's own default; `agent` starts it in one of its own modes
 * (`mode` is the mode id from agents.list); `auto-yes` answers the agent's known confirmation prompts.
 */
export const approvalPolicySchema = z.object({
  policy: z.enum(['off', 'agent', 'auto-yes']),
  mode: z.string().max(64).nullable().default(null),
});
export type ApprovalPolicy = z.infer<typeof approvalPolicySchema>;

/** hooks: the agent's own notifications; screen: on-screen rules; output: output/CPU heuristics. */
export const statusSourceSchema = z.enum(['hooks', 'screen', 'output', 'cpu']);
export type StatusSource = z.infer<typeof statusSourceSchema>;

export const portBlockSchema = z.object({ base: z.number().int(), count: z.number().int() });
export type PortBlock = z.infer<typeof portBlockSchema>;

export const usageTotalsSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number(),
  cacheWriteTokens: z.number(),
  /** Estimated USD from the price table (or the agent's own figure); null when no model had a price. */
  costUsd: z.number().nullable(),
});
export type UsageTotals = z.infer<typeof usageTotalsSchema>;

export const usageSummarySchema = usageTotalsSchema.extend({
  /** Models seen, most used first. */
  models: z.array(z.string()),
  /** Tokens of models missing from the price table (their cost is not in costUsd). */
  unpricedTokens: z.number(),
  updatedAt: z.number(),
});
export type UsageSummary = z.infer<typeof usageSummarySchema>;

/**
 * A paused session's saved state: the branch tip before pause (`base`), the work-in-progress
 * commit pause put on the branch (null when nothing was uncommitted), and the git ref holding the
 * staged state and the app's own placed files (`refs/multisession/paused/<id>`), so resume gives
 * back HEAD, index and folder as they were.
 */
export const pausedWorkSchema = z.object({
  base: z.string(),
  wip: z.string().nullable(),
  /** The pause record ref (index tree + placed files); null when there was nothing to record. */
  ref: z.string().nullable(),
  at: z.number(),
  /** true once the folder is gone (pause finished); false while pause is under way. */
  folderFreed: z.boolean(),
  /** The worktree root the folder was created under (its ownership is claimed again on resume). */
  worktreeRoot: z.string().nullable(),
  /** The folder's sparse checkout at pause (resume checks out the same folders), or null for a full one. */
  sparse: z
    .object({ cone: z.boolean(), patterns: z.array(z.string()) })
    .nullable()
    .default(null),
});
export type PausedWork = z.infer<typeof pausedWorkSchema>;

export const sessionSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: sessionTypeSchema,
  status: sessionStatusSchema,
  priority: prioritySchema,
  limits: limitsSchema,
  background: z.boolean(),
  repoPath: z.string(),
  baseBranch: z.string(),
  branch: z.string(),
  /** true when the session works on a branch that existed before it. */
  existingBranch: z.boolean(),
  worktreePath: z.string(),
  /** Agent preset id or 'custom'. */
  agent: z.string(),
  program: z.string(),
  args: z.array(z.string()),
  prompt: z.string(),
  env: z.record(z.string(), z.string()),
  /** Host variables this session passes through on top of the allow-list (e.g. NPM_TOKEN). */
  passEnv: z.array(z.string()).default([]),
  /** What enforced this session's limits when its program last started (null: never started). */
  limitMechanism: z.enum(['cgroup-v2', 'cgroup-v1', 'sampling']).nullable().default(null),
  skills: z.array(z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
  startedAt: z.number().nullable(),
  stoppedAt: z.number().nullable(),
  lastActivityAt: z.number().nullable(),
  exitCode: z.number().nullable(),
  errorReason: z.string().nullable(),
  pid: z.number().nullable(),
  /** Why the worktree is missing, when it is (reconciliation). */
  worktreeMissing: z.string().nullable(),
  /** The initial prompt has been handed to the program (only the first start gets it). */
  promptSent: z.boolean(),
  /** Terminal size last used, so a restart reopens at the same size. */
  cols: z.number(),
  rows: z.number(),
  /** Fan-out group: sessions created together (copies, or a mix of agents from one prompt). */
  groupId: z.string().nullable().default(null),
  /** Why this program was chosen when none was named (e.g. "first installed agent"). */
  agentReason: z.string().nullable().default(null),
  /** How the initial prompt reaches the program, or why it does not. */
  promptDelivery: promptDeliverySchema.default('none'),
  /** Who may approve the agent's actions (see approvalPolicySchema). */
  approval: approvalPolicySchema.default({ policy: 'off', mode: null }),
  /** Where the current busy / idle / waiting status comes from. */
  statusSource: statusSourceSchema.nullable().default(null),
  /** The session's own port block, exported as PORT, MULTISESSION_PORT… */
  ports: portBlockSchema.nullable().default(null),
  /** Tokens and cost read from the agent's own records; null until any was found. */
  usage: usageSummarySchema.nullable().default(null),
  /** Auto-yes answers given so far. */
  autoApproved: z.number().int().default(0),
  /**
   * Set when the host stopped in the middle of creating the session and its worktree exists:
   * the user chooses to keep it (`sessions.recover`) or remove it (`sessions.terminate`).
   */
  recovery: z.enum(['interrupted-create']).nullable().default(null),
  /**
   * How the program came back after it was lost to a restart of the machine, or woken/resumed:
   * `resumed` (the agent continued its conversation), `restarted` (started afresh). Cleared by
   * the next ordinary start.
   */
  restoredAs: z.enum(['resumed', 'restarted']).nullable().default(null),
  /** What pause saved, so resume restores the folder exactly (set from pause until resume finished). */
  paused: pausedWorkSchema.nullable().default(null),
});
export type Session = z.infer<typeof sessionSchema>;

/**
 * A stored session record that failed JSON parsing or validation. It is kept as it is, shown
 * (list, status, UI) and its worktree protected from cleanup — never silently dropped.
 */
export const quarantinedRecordSchema = z.object({
  id: z.string(),
  /** What was wrong with it (the parse or validation error). */
  reason: z.string(),
  /** Whatever could still be read from it, to recognise the session. */
  name: z.string().nullable(),
  repoPath: z.string().nullable(),
  worktreePath: z.string().nullable(),
  branch: z.string().nullable(),
  updatedAt: z.number().nullable(),
});
export type QuarantinedRecord = z.infer<typeof quarantinedRecordSchema>;

export const sessionMetricsSchema = z.object({
  sessionId: z.string(),
  uptimeSec: z.number(),
  commandsExecuted: z.number(),
  commandsSucceeded: z.number(),
  successRate: z.number(),
  tasksCompleted: z.number(),
  cpuPercent: z.number(),
  memoryMb: z.number(),
  outputBytes: z.number(),
});
export type SessionMetrics = z.infer<typeof sessionMetricsSchema>;

/** What enforces limits and isolation on this host (see docs/reliability.md). */
export const isolationFactsSchema = z.object({
  limits: z.enum(['cgroup-v2', 'cgroup-v1', 'sampling']),
  controllers: z.array(z.string()),
  reason: z.string().nullable(),
  fdCloser: z.enum(['perl', 'bash', 'none']),
  /** Host variables every child gets (exact names and prefixes); sessions may add their own. */
  envAllowList: z.object({ names: z.array(z.string()), prefixes: z.array(z.string()) }),
});
export type IsolationFactsInfo = z.infer<typeof isolationFactsSchema>;

export const systemStatusSchema = z.object({
  totalSessions: z.number(),
  activeSessions: z.number(),
  sessionsByStatus: z.record(z.string(), z.number()),
  gitWorktrees: z.number(),
  commandsExecuted: z.number(),
  successRate: z.number(),
  uptimeSec: z.number(),
  runningPrograms: z.number(),
  queuedSessions: z.number(),
  /** Tokens and estimated cost of every session so far (agents' own records). */
  usage: usageTotalsSchema.optional(),
  isolation: isolationFactsSchema.optional(),
  /** Stored session records that failed validation, kept aside (`sessions.quarantined`). */
  quarantinedSessions: z.number().default(0),
});
export type SystemStatus = z.infer<typeof systemStatusSchema>;

export const commandKindSchema = z.enum(['shell', 'skill']);

export const commandRecordSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  kind: commandKindSchema,
  command: z.string(),
  args: z.array(z.string()),
  shell: z.boolean(),
  exitCode: z.number().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.boolean(),
  durationMs: z.number(),
  timedOut: z.boolean(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  batchId: z.string().nullable(),
});
export type CommandRecord = z.infer<typeof commandRecordSchema>;

export const batchItemStatusSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled']);
export const batchItemSchema = z.object({
  sessionId: z.string(),
  sessionName: z.string(),
  status: batchItemStatusSchema,
  exitCode: z.number().nullable(),
  durationMs: z.number().nullable(),
  outputTail: z.string(),
  timedOut: z.boolean(),
  commandId: z.string().nullable(),
});
export type BatchItem = z.infer<typeof batchItemSchema>;

export const batchSchema = z.object({
  id: z.string(),
  command: z.string(),
  args: z.array(z.string()),
  shell: z.boolean(),
  concurrency: z.number(),
  status: z.enum(['running', 'done', 'cancelled']),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
  items: z.array(batchItemSchema),
});
export type Batch = z.infer<typeof batchSchema>;

export const commandPresetSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(100),
  command: z.string().min(1).max(4096),
  args: z.array(argString).max(256).default([]),
  shell: z.boolean().default(false),
});
export type CommandPreset = z.infer<typeof commandPresetSchema>;

export const skillParamSchema = z.object({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]*$/),
  description: z.string().default(''),
  required: z.boolean().default(false),
});

/** A named, parameterised command template. `{param}` placeholders in args are filled per call. */
export const skillSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'Skill names are lower-case letters, digits, - and _.'),
  description: z.string().default(''),
  actions: z.record(
    z.string(),
    z.object({
      description: z.string().default(''),
      command: z.string().min(1),
      args: z.array(z.string()).default([]),
      params: z.array(skillParamSchema).default([]),
    }),
  ),
  source: z.enum(['builtin', 'settings', 'repository']).default('settings'),
});
export type Skill = z.infer<typeof skillSchema>;

export const themeSchema = z.enum(['system', 'light', 'dark']);

export const terminalSizePolicySchema = z.enum(['latest', 'smallest']);
export type TerminalSizePolicy = z.infer<typeof terminalSizePolicySchema>;

/** A folder of the repository for cone-mode sparse checkout: relative, no `..`, no leading `/`. */
export const sparsePatternSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine(noNul, 'Paths cannot contain NUL characters.')
  .refine(
    (s) => !s.startsWith('/') && !s.split('/').includes('..') && !s.startsWith('!'),
    'Sparse folders are relative to the repository root (no leading /, no .., no !).',
  );

export const poolSettingsSchema = z.object({
  enabled: z.boolean(),
  /** Warm worktrees kept per repository (for its most recently used base). */
  size: z.number().int().min(0, 'The pool size is 0 or more.').max(50, 'At most 50 warm worktrees per repository.'),
  /** Disk the pool may use in all, in MB; preparing stops at the budget. */
  diskBudgetMb: z.number().int().min(0).max(10_000_000),
  /** Repositories kept warm: the most recently used ones. */
  repos: z.number().int().min(1).max(50),
});
export type PoolSettings = z.infer<typeof poolSettingsSchema>;

/** The warm worktree pool as Settings shows it. */
export const poolStatusSchema = z.object({
  enabled: z.boolean(),
  budgetBytes: z.number(),
  usedBytes: z.number(),
  budgetReached: z.boolean(),
  repos: z.array(
    z.object({
      repoRoot: z.string(),
      baseBranch: z.string(),
      enabled: z.boolean(),
      ready: z.number(),
      preparing: z.number(),
      target: z.number(),
      bytes: z.number(),
      sparse: z.array(z.string()),
    }),
  ),
});
export type PoolStatus = z.infer<typeof poolStatusSchema>;

/**
 * The memory-pressure policy: while memory is short, the idlest sessions are hibernated (program
 * stopped; worktree, scrollback and conversation kept) until it is not. Off by default.
 */
export const memoryPressureSettingsSchema = z.object({
  enabled: z.boolean(),
  /** Pressure when the machine's available memory falls below this many MB (null: not watched). */
  minAvailableMb: z
    .number()
    .int('Memory is a whole number of MB.')
    .min(64, 'At least 64 MB.')
    .max(16_000_000, 'At most 16 000 000 MB.')
    .nullable(),
  /** Pressure when the running sessions together use more than this many MB (null: not watched). */
  maxSessionsMb: z
    .number()
    .int('Memory is a whole number of MB.')
    .min(16, 'At least 16 MB.')
    .max(16_000_000, 'At most 16 000 000 MB.')
    .nullable(),
});
export type MemoryPressureSettings = z.infer<typeof memoryPressureSettingsSchema>;

/** Why an enabled memory-pressure policy cannot act, or null. */
export function memoryPressureProblem(p: MemoryPressureSettings): string | null {
  return p.enabled && p.minAvailableMb === null && p.maxSessionsMb === null
    ? 'Give at least one threshold: available memory or what the sessions use.'
    : null;
}

export const settingsSchema = z.object({
  /** Where worktrees are created; empty means `<data dir>/worktrees`. */
  worktreeRoot: z
    .string()
    .max(4096)
    .refine(noNul, 'Paths cannot contain NUL characters.')
    .refine(
      (s) => s === '' || isAbsolutePath(s),
      'The worktree folder must be an absolute path (or empty for the default).',
    ),
  /**
   * Ignored files that are work, not build output: new or edited ones are listed before a
   * worktree is removed (glob patterns; without a slash they match at any depth).
   */
  keepIgnoredPatterns: z.array(z.string().min(1).max(512).refine(noNul, 'Patterns cannot contain NUL.')).max(100),
  /** Untracked files copied into every new worktree (glob-like patterns, relative to the repo). */
  copyInPatterns: z.array(z.string().max(512)).max(100),
  /** Per-repository overrides of copy-in patterns and setup script. */
  repoSettings: z.record(
    z.string(),
    z.object({
      copyInPatterns: z.array(z.string().max(512)).optional(),
      setupScript: z.string().optional(),
      /** How "update from base" brings in the base: rebase (default) or merge. */
      updateStrategy: z.enum(['rebase', 'merge']).optional(),
      /** How sessions are merged into the base: merge commit (default), squash or rebase. */
      mergeStrategy: z.enum(['merge', 'squash', 'rebase']).optional(),
      /** false turns the warm worktree pool off for this repository. */
      pool: z.boolean().optional(),
      /** Sparse checkout (cone mode): only these folders are checked out in the repository's worktrees. */
      sparse: z.array(sparsePatternSchema).max(200).optional(),
    }),
  ),
  /** Warm worktree pool: worktrees prepared ahead for recently used repositories, claimed by creates. */
  pool: poolSettingsSchema,
  /** Most programs running at once; others wait as queued. */
  maxRunning: z
    .number()
    .int('The running cap is a whole number.')
    .min(1, 'At least 1 — to pause everything, stop the sessions instead (Stop all).')
    .max(500, 'At most 500 programs at once.'),
  presets: z.array(commandPresetSchema).max(100),
  /** Which preset the toolbar's one-click Batch run uses. */
  defaultPresetId: z.string().nullable(),
  skills: z.array(skillSchema).max(100),
  theme: themeSchema,
  notifications: z.boolean(),
  branchTemplate: z.string().max(200),
  recentRepos: z.array(z.string()).max(20),
  /** The program new sessions run when none is named: an agent id, `shell`, or `auto` (first installed agent, else the shell). */
  // No .default() on settings fields: `.partial()` patches would apply it and reset the setting.
  defaultAgent: z.string().max(64),
  /** Per-type program overrides (agent id or `shell`); a type without one uses its preference, else the default. */
  typeAgents: z.record(z.string(), z.string().max(64)),
  /**
   * How a terminal shown by several viewers (tabs, windows, `attach`) is sized, as tmux's
   * window-size: the most recently used viewer's size, or the smallest of all.
   */
  terminalSizePolicy: terminalSizePolicySchema,
  /**
   * App commands whose shortcuts still work while a terminal has focus (VS Code's
   * commandsToSkipShell); every other key goes to the program. Null: the documented defaults.
   */
  commandsToSkipShell: z.array(z.string().min(1).max(64)).max(100).nullable(),
  /** Quitting the app leaves the sessions' programs running in the terminal host. */
  keepSessionsRunning: z.boolean(),
  /** After a restart of the machine, sessions that were running come back (resumed where the agent can). */
  restoreAfterRestart: z.boolean(),
  /** Hibernate the idlest sessions while memory is short (Settings → Running). */
  memoryPressure: memoryPressureSettingsSchema,
});
export type Settings = z.infer<typeof settingsSchema>;

/**
 * What `settings.update` accepts: any subset of the settings, and a branch template only when it
 * can name sessions apart (it needs {name}). Stored settings are read with `settingsSchema`, so an
 * older stored template is never a reason to throw the other settings away.
 */
export const settingsPatchSchema = settingsSchema.partial().superRefine((v, ctx) => {
  if (v.memoryPressure) {
    const pressure = memoryPressureProblem(v.memoryPressure);
    if (pressure) ctx.addIssue({ code: 'custom', path: ['memoryPressure'], message: pressure });
  }
  if (v.branchTemplate === undefined) return;
  const problem = branchTemplateProblem(v.branchTemplate);
  if (problem) ctx.addIssue({ code: 'custom', path: ['branchTemplate'], message: problem });
});

export const agentPresetSchema = z.object({
  id: z.string(),
  name: z.string(),
  command: z.string(),
  /** How the initial prompt is passed: last argument, after a flag, typed once the agent is ready, or not at all. */
  promptMode: z.enum(['arg', 'flag', 'type-when-ready', 'none']),
  promptFlag: z.string().nullable(),
  defaultArgs: z.array(z.string()),
  installed: z.boolean(),
  resolvedPath: z.string().nullable(),
  /** `PATH`, or `install-place` for a usual install folder the host's PATH lacks (~/.local/bin, nvm…). */
  foundIn: z.enum(['PATH', 'install-place']).nullable(),
  description: z.string(),
  /** How the agent reports its own status to the app (per-session injection), or `none`. */
  statusHooks: z.string(),
  /** The agent's own approval modes a session can start in. */
  approvalModes: z.array(z.object({ id: z.string(), label: z.string(), args: z.array(z.string()) })),
  /** Whether auto-yes knows this agent's confirmation prompts. */
  autoYes: z.boolean(),
});

/** A resolved program choice and the reason shown to the user. */
export const agentChoiceSchema = z.object({ agent: z.string(), reason: z.string() });
export type AgentChoice = z.infer<typeof agentChoiceSchema>;
export type AgentPreset = z.infer<typeof agentPresetSchema>;

export const sessionTypeInfoSchema = z.object({
  type: sessionTypeSchema,
  title: z.string(),
  description: z.string(),
  /** The program this type starts by default on this machine (resolved against what is installed). */
  agent: z.string(),
  /** Why: the type's preference, a setting, or the default program. */
  agentReason: z.string(),
  /** The agent the type prefers when installed, or null for the default program. */
  preferredAgent: z.string().nullable(),
  priority: z.number(),
  limits: limitsSchema,
  promptPrefix: z.string(),
  skills: z.array(z.string()),
  background: z.boolean(),
});
export type SessionTypeInfo = z.infer<typeof sessionTypeInfoSchema>;

export const repoInfoSchema = z.object({
  path: z.string(),
  root: z.string(),
  name: z.string(),
  currentBranch: z.string().nullable(),
  branches: z.array(z.string()),
  dirty: z.boolean(),
  changedFiles: z.number(),
  headCommit: z.string().nullable(),
});
export type RepoInfo = z.infer<typeof repoInfoSchema>;

export const diffSummarySchema = z.object({
  sessionId: z.string(),
  base: z.string(),
  ahead: z.number(),
  behind: z.number(),
  additions: z.number(),
  deletions: z.number(),
  files: z.array(
    z.object({
      path: z.string(),
      status: z.string(),
      additions: z.number(),
      deletions: z.number(),
    }),
  ),
  uncommitted: z.number(),
  patch: z.string(),
  patchTruncated: z.boolean(),
});
export type DiffSummary = z.infer<typeof diffSummarySchema>;

export const cleanupItemSchema = z.object({
  kind: z.enum(['worktree', 'branch', 'record', 'orphan-worktree', 'orphan-directory']),
  sessionId: z.string().nullable(),
  sessionName: z.string().nullable(),
  path: z.string().nullable(),
  branch: z.string().nullable(),
  repoPath: z.string().nullable(),
  reason: z.string(),
  /**
   * What removing it would lose (the one removal check). A kept item can be removed by accepting
   * its fingerprint in `cleanup.run`; null when it can never be removed by the app (a folder it
   * did not create, one belonging to a quarantined record) or for records.
   */
  verdict: removalVerdictSchema.nullable().default(null),
});
export type CleanupItem = z.infer<typeof cleanupItemSchema>;

export const cleanupReportSchema = z.object({
  dryRun: z.boolean(),
  removed: z.array(cleanupItemSchema),
  kept: z.array(cleanupItemSchema),
});
export type CleanupReport = z.infer<typeof cleanupReportSchema>;

export const metricSampleSchema = z.object({
  t: z.number(),
  sessionId: z.string(),
  cpuPercent: z.number(),
  memoryMb: z.number(),
  status: sessionStatusSchema,
});
export type MetricSample = z.infer<typeof metricSampleSchema>;

export const metricsSeriesSchema = z.object({
  from: z.number(),
  to: z.number(),
  /** Per-session resource samples, oldest first. */
  samples: z.array(metricSampleSchema),
  /** Session count per status at each sample time. */
  statusCounts: z.array(z.object({ t: z.number(), counts: z.record(z.string(), z.number()) })),
  /** Finished commands in the range: when, how long, success. */
  commands: z.array(z.object({ t: z.number(), durationMs: z.number(), ok: z.boolean(), sessionId: z.string() })),
});
export type MetricsSeries = z.infer<typeof metricsSeriesSchema>;

export const terminalActivitySchema = z.enum(['busy', 'idle', 'waiting']);
export type TerminalActivity = z.infer<typeof terminalActivitySchema>;

export const argListSchema = z.array(argString).max(1024);
export { pathString, argString, commandString };

import { z } from 'zod';

/** How "update from base" brings the base's new commits into a session branch (per repository). */
export const updateStrategySchema = z.enum(['rebase', 'merge']);
export type UpdateStrategy = z.infer<typeof updateStrategySchema>;

/** How a session branch is integrated into its base (per repository). */
export const mergeStrategySchema = z.enum(['merge', 'squash', 'rebase']);
export type MergeStrategy = z.infer<typeof mergeStrategySchema>;

/** One file of a commit or a diff with its line counts (binary files count 0/0). */
export const fileStatSchema = z.object({
  path: z.string(),
  /** The path before a rename or copy. */
  oldPath: z.string().nullable(),
  /** git's letter: A added, M modified, D deleted, R renamed, C copied, T type change, ? untracked, U unmerged. */
  status: z.string(),
  additions: z.number(),
  deletions: z.number(),
  binary: z.boolean(),
});
export type FileStat = z.infer<typeof fileStatSchema>;

export const commitInfoSchema = z.object({
  sha: z.string(),
  shortSha: z.string(),
  subject: z.string(),
  body: z.string(),
  authorName: z.string(),
  authorEmail: z.string(),
  /** Author time, ms since the epoch. */
  authoredAt: z.number(),
  parents: z.array(z.string()),
  files: z.array(fileStatSchema),
});
export type CommitInfo = z.infer<typeof commitInfoSchema>;

/** Commits on a session branch since it left its base, newest first. */
export const commitListSchema = z.object({
  sessionId: z.string(),
  base: z.string(),
  /** The merge base the list starts after (null for unrelated histories). */
  mergeBase: z.string().nullable(),
  commits: z.array(commitInfoSchema),
  /** More commits exist than were listed. */
  truncated: z.boolean(),
});
export type CommitList = z.infer<typeof commitListSchema>;

/** One path with changes in a worktree: what is staged, what is not, and whether it conflicts. */
export const changedFileSchema = z.object({
  path: z.string(),
  oldPath: z.string().nullable(),
  /** Index status letter (X of `git status`), '.' when nothing is staged, '?' untracked. */
  staged: z.string(),
  /** Worktree status letter (Y of `git status`), '.' when nothing is unstaged, '?' untracked. */
  unstaged: z.string(),
  untracked: z.boolean(),
  conflicted: z.boolean(),
  additions: z.number(),
  deletions: z.number(),
});
export type ChangedFile = z.infer<typeof changedFileSchema>;

/** A rebase or merge stopped in the worktree, waiting for conflicts to be resolved. */
export const pendingOperationSchema = z.object({
  kind: z.enum(['rebase', 'merge']),
  /** What is being brought in (the base ref) when git recorded it. */
  onto: z.string().nullable(),
  /** Rebase progress: step n of total, when known. */
  step: z.number().nullable(),
  total: z.number().nullable(),
});
export type PendingOperation = z.infer<typeof pendingOperationSchema>;

export const conflictFileSchema = z.object({
  path: z.string(),
  /** both-modified, both-added, deleted-by-session, deleted-by-base, added-by-session, added-by-base… */
  kind: z.string(),
});
export type ConflictFile = z.infer<typeof conflictFileSchema>;

export const workingChangesSchema = z.object({
  sessionId: z.string(),
  branch: z.string(),
  files: z.array(changedFileSchema),
  operation: pendingOperationSchema.nullable(),
  conflicts: z.array(conflictFileSchema),
});
export type WorkingChanges = z.infer<typeof workingChangesSchema>;

export const diffScopeSchema = z.enum(['branch', 'staged', 'unstaged', 'commit']);
export type DiffScope = z.infer<typeof diffScopeSchema>;

/** One file's patch, ready for a diff viewer. */
export const fileDiffSchema = fileStatSchema.extend({
  /** The file's unified diff including its `diff --git` header; empty for binary files. */
  patch: z.string(),
  /** The patch was cut at the size limit. */
  truncated: z.boolean(),
});
export type FileDiff = z.infer<typeof fileDiffSchema>;

export const diffResultSchema = z.object({
  sessionId: z.string(),
  scope: diffScopeSchema,
  /** What the diff compares against: the merge base (branch), the commit's parent, HEAD or the index. */
  from: z.string(),
  files: z.array(fileDiffSchema),
  additions: z.number(),
  deletions: z.number(),
  /** Some files' patches were left out to stay under the size limit. */
  truncated: z.boolean(),
});
export type DiffResult = z.infer<typeof diffResultSchema>;

/** Where a session stands against its base. */
export const baseStatusSchema = z.object({
  sessionId: z.string(),
  base: z.string(),
  /** The ref compared against: the base's upstream when it has one and is not behind it, else the base. */
  baseRef: z.string(),
  remote: z.string().nullable(),
  fetched: z.boolean(),
  fetchError: z.string().nullable(),
  ahead: z.number(),
  behind: z.number(),
  strategy: updateStrategySchema,
  operation: pendingOperationSchema.nullable(),
  conflicts: z.array(conflictFileSchema),
});
export type BaseStatus = z.infer<typeof baseStatusSchema>;

export const updateResultSchema = z.object({
  outcome: z.enum(['up-to-date', 'updated', 'conflicts', 'aborted', 'resolved']),
  status: baseStatusSchema,
});
export type UpdateResult = z.infer<typeof updateResultSchema>;

export const mergeResultSchema = z.object({
  sessionId: z.string(),
  strategy: mergeStrategySchema,
  base: z.string(),
  /** Base tip before and after. */
  before: z.string(),
  after: z.string(),
  /** How the base was moved: a ref update, a fast-forward of its clean checkout, or a temporary worktree. */
  via: z.enum(['ref-update', 'checkout-fast-forward', 'temporary-worktree']),
  /** Where the base is checked out (then updated there too), if anywhere. */
  baseCheckout: z.string().nullable(),
  commits: z.number(),
  mergedAt: z.number(),
});
export type MergeResult = z.infer<typeof mergeResultSchema>;

export const pushResultSchema = z.object({
  sessionId: z.string(),
  remote: z.string(),
  branch: z.string(),
  /** Commits the remote did not have before. */
  pushed: z.number(),
  /** The branch had no upstream before; it now tracks `<remote>/<branch>`. */
  setUpstream: z.boolean(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

export const prStateSchema = z.enum(['OPEN', 'CLOSED', 'MERGED', 'DRAFT', 'UNKNOWN']);
export const pullRequestSchema = z.object({
  url: z.string(),
  number: z.number().nullable(),
  state: prStateSchema,
  title: z.string(),
  base: z.string(),
  checkedAt: z.number(),
});
export type PullRequest = z.infer<typeof pullRequestSchema>;

export const prResultSchema = z.object({
  sessionId: z.string(),
  /** `gh`: a pull request was opened (or found); `compare`: open `url` in a browser to open one. */
  kind: z.enum(['gh', 'compare']),
  url: z.string(),
  pullRequest: pullRequestSchema.nullable(),
  /** Why the compare URL is shown instead of a pull request (gh missing, signed out, not GitHub). */
  reason: z.string().nullable(),
  push: pushResultSchema.nullable(),
});
export type PrResult = z.infer<typeof prResultSchema>;

/** What review remembers about a session: its last merge and its pull request. */
export const reviewStateSchema = z.object({
  sessionId: z.string(),
  merged: mergeResultSchema.nullable(),
  pullRequest: pullRequestSchema.nullable(),
});
export type ReviewState = z.infer<typeof reviewStateSchema>;

export const forecastPairSchema = z.object({
  a: z.string(),
  b: z.string(),
  conflict: z.boolean(),
  files: z.array(z.string()),
});
export type ForecastPair = z.infer<typeof forecastPairSchema>;

export const forecastBaseSchema = z.object({
  sessionId: z.string(),
  conflict: z.boolean(),
  files: z.array(z.string()),
  behind: z.number(),
});

/** Would the live sessions of one repository conflict with each other or their base? */
export const repoForecastSchema = z.object({
  repoPath: z.string(),
  base: z.string(),
  sessionIds: z.array(z.string()),
  pairs: z.array(forecastPairSchema),
  vsBase: z.array(forecastBaseSchema),
  /** Session ids in a merge order that meets the fewest conflicts, with one reason each. */
  order: z.array(z.object({ sessionId: z.string(), reason: z.string() })),
  /** Sessions whose state could not be read (worktree gone, git failed), with why. */
  skipped: z.array(z.object({ sessionId: z.string(), reason: z.string() })),
  computedAt: z.number(),
  /** Merge checks run for this answer (the rest came from the cache). */
  checksRun: z.number(),
});
export type RepoForecast = z.infer<typeof repoForecastSchema>;

export const compareEntrySchema = z.object({
  sessionId: z.string(),
  name: z.string(),
  agent: z.string(),
  status: z.string(),
  branch: z.string(),
  ahead: z.number(),
  behind: z.number(),
  additions: z.number(),
  deletions: z.number(),
  files: z.array(fileStatSchema),
  uncommitted: z.number(),
  /** The latest finished batch command that ran on this session (e.g. the test command). */
  latestRun: z
    .object({
      batchId: z.string().nullable(),
      command: z.string(),
      exitCode: z.number().nullable(),
      durationMs: z.number(),
      timedOut: z.boolean(),
      outputTail: z.string(),
      finishedAt: z.number().nullable(),
    })
    .nullable(),
  /** Program run time so far, seconds. */
  runTimeSec: z.number(),
  /** Cost in USD when the agent reports it; null when unknown. */
  costUsd: z.number().nullable(),
  merged: z.boolean(),
  error: z.string().nullable(),
});
export type CompareEntry = z.infer<typeof compareEntrySchema>;

export const compareResultSchema = z.object({
  groupId: z.string(),
  prompt: z.string(),
  entries: z.array(compareEntrySchema),
  /** Files changed by more than one candidate. */
  sharedFiles: z.array(z.string()),
});
export type CompareResult = z.infer<typeof compareResultSchema>;

export const pickResultSchema = z.object({
  merge: mergeResultSchema,
  terminated: z.array(z.string()),
  /** Other candidates not terminated, with why (kept by request, or the removal check said keep). */
  kept: z.array(z.object({ sessionId: z.string(), reason: z.string() })),
});
export type PickResult = z.infer<typeof pickResultSchema>;

import { z } from 'zod';
import {
  baseStatusSchema,
  commitInfoSchema,
  commitListSchema,
  compareResultSchema,
  diffResultSchema,
  diffScopeSchema,
  mergeResultSchema,
  mergeStrategySchema,
  pickResultSchema,
  prResultSchema,
  pushResultSchema,
  repoForecastSchema,
  reviewStateSchema,
  updateResultSchema,
  updateStrategySchema,
  workingChangesSchema,
} from './review';
import { req } from './rpc';

const id = z.string().min(1).max(64);
// A path inside a worktree as git prints it: relative, no NUL, never an option.
const repoPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => !s.includes('\u0000'), 'Paths cannot contain NUL characters.')
  .refine((s) => !s.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(s), 'Give the path relative to the worktree.')
  .refine((s) => !s.split(/[\\/]/).includes('..'), 'Paths cannot leave the worktree (..).');
const paths = z.array(repoPath).min(1).max(10_000);
const sha = z.string().regex(/^[0-9a-f]{4,64}$/i, 'A commit id is 4–64 hexadecimal characters.');
const message = z
  .string()
  .max(100_000)
  .refine((s) => s.trim().length > 0, 'Give a commit message.')
  .refine((s) => !s.includes('\u0000'), 'Messages cannot contain NUL characters.');

/** Review requests, spread into the contract's `requests`. */
export const reviewRequests = {
  'review.commits': req(
    z.object({ sessionId: id, limit: z.number().int().min(1).max(5000).default(500) }),
    commitListSchema,
  ),
  'review.changes': req(z.object({ sessionId: id }), workingChangesSchema),
  'review.diff': req(
    z
      .object({
        sessionId: id,
        scope: diffScopeSchema.default('branch'),
        /** For scope `commit`. */
        commit: sha.optional(),
        paths: z.array(repoPath).max(1000).optional(),
        /** Lines of context around each change (default 3). */
        context: z.number().int().min(0).max(1000).default(3),
      })
      .refine((v) => v.scope !== 'commit' || v.commit, { message: 'Name the commit to show.', path: ['commit'] }),
    diffResultSchema,
  ),
  'review.stage': req(z.object({ sessionId: id, paths }), workingChangesSchema),
  'review.unstage': req(z.object({ sessionId: id, paths }), workingChangesSchema),
  'review.discard': req(
    z.object({ sessionId: id, paths }),
    z.object({
      changes: workingChangesSchema,
      discarded: z.array(z.string()),
      /** A commit holding the discarded state, so it can be recovered (`git checkout <it> -- <path>`). */
      recoveryCommit: z.string().nullable(),
    }),
  ),
  'review.commit': req(
    z.object({
      sessionId: id,
      message,
      /** Stage every change (untracked files included) before committing. */
      all: z.boolean().default(false),
    }),
    commitInfoSchema,
  ),
  'review.baseStatus': req(z.object({ sessionId: id, fetch: z.boolean().default(true) }), baseStatusSchema),
  'review.update': req(
    z.object({ sessionId: id, strategy: updateStrategySchema.optional(), fetch: z.boolean().default(true) }),
    updateResultSchema,
  ),
  'review.resolve': req(
    z.object({
      sessionId: id,
      path: repoPath,
      /** Keep the session's version, the base's version, or mark the edited file resolved. */
      take: z.enum(['session', 'base', 'resolved']),
    }),
    updateResultSchema,
  ),
  'review.continue': req(z.object({ sessionId: id }), updateResultSchema),
  'review.abort': req(z.object({ sessionId: id }), updateResultSchema),
  'review.merge': req(
    z.object({
      sessionId: id,
      strategy: mergeStrategySchema.optional(),
      message: message.optional(),
      /** Merge the committed work even though the worktree has uncommitted changes. */
      ignoreUncommitted: z.boolean().default(false),
    }),
    mergeResultSchema,
  ),
  'review.push': req(
    z.object({
      sessionId: id,
      remote: z.string().min(1).max(255).optional(),
      forceWithLease: z.boolean().default(false),
    }),
    pushResultSchema,
  ),
  'review.pr': req(
    z.object({
      sessionId: id,
      title: z.string().min(1).max(256).optional(),
      body: z.string().max(65_536).optional(),
      draft: z.boolean().default(false),
      /** Push the branch first (default true). */
      push: z.boolean().default(true),
    }),
    prResultSchema,
  ),
  'review.state': req(z.object({ sessionId: id, refreshPr: z.boolean().default(false) }), reviewStateSchema),
  'review.forecast': req(
    z
      .object({ repoPath: z.string().max(4096).optional() })
      .optional()
      .default({}),
    z.array(repoForecastSchema),
  ),
  'review.compare': req(z.object({ groupId: id }), compareResultSchema),
  'review.pick': req(
    z.object({
      sessionId: id,
      strategy: mergeStrategySchema.optional(),
      /** Terminate the other candidates after the merge (their branches are kept unless deleteBranches). */
      terminateOthers: z.boolean().default(false),
      deleteBranches: z.boolean().default(false),
    }),
    pickResultSchema,
  ),
} as const;

/** Review events, spread into the contract's `events`. */
export const reviewEvents = {
  /** A session's worktree or git state changed (files, index, HEAD, refs); refetch what shows it. */
  'review.changed': z.object({ sessionId: z.string(), reason: z.enum(['worktree', 'git', 'operation']) }),
  /** A repository's conflict forecast was recomputed. */
  'review.forecast': z.object({ forecast: repoForecastSchema }),
  /** A session was merged or its pull request changed. */
  'review.state': z.object({ state: reviewStateSchema }),
} as const;

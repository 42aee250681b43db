import { z } from 'zod';

/**
 * Kinds of work that removing a worktree or deleting a branch can lose. Each is listed by name so
 * a person can decide; `foreign-branch` is a branch the session did not create.
 */
export const lossKinds = [
  'uncommitted',
  'untracked',
  'ignored-work',
  'commits',
  'reflog-commits',
  'stash',
  'submodule',
  'locked',
  'foreign-branch',
] as const;
export const lossKindSchema = z.enum(lossKinds);
export type LossKind = z.infer<typeof lossKindSchema>;

export const lossItemSchema = z.object({
  kind: lossKindSchema,
  /** The file, folder, branch or commit the item is about (relative to the worktree for files). */
  subject: z.string(),
  /** One line a person can read: what it is and why it counts as work. */
  detail: z.string(),
  /**
   * Identity of the item including its content (file hash, commit ids), so an accepted loss never
   * covers a file edited or a commit made after the user looked.
   */
  key: z.string(),
});
export type LossItem = z.infer<typeof lossItemSchema>;

/** What would be removed: a worktree folder, a branch, or both. */
export const removalTargetSchema = z.object({
  repoPath: z.string(),
  worktreePath: z.string().nullable(),
  branch: z.string().nullable(),
  deleteBranch: z.boolean(),
});
export type RemovalTarget = z.infer<typeof removalTargetSchema>;

/**
 * The one answer to "what would this removal lose?". `cannot-tell` is fail-closed: git could not
 * answer, so the removal is refused unless the user accepts this very verdict. The fingerprint
 * covers the target and every item with its content; forcing echoes it back.
 */
export const removalVerdictSchema = z.discriminatedUnion('verdict', [
  z.object({ verdict: z.literal('safe'), target: removalTargetSchema, fingerprint: z.string() }),
  z.object({
    verdict: z.literal('loses'),
    target: removalTargetSchema,
    fingerprint: z.string(),
    /** At most `MAX_LISTED_ITEMS`; `total` counts them all (the fingerprint covers all). */
    items: z.array(lossItemSchema),
    total: z.number(),
  }),
  z.object({
    verdict: z.literal('cannot-tell'),
    target: removalTargetSchema,
    fingerprint: z.string(),
    reason: z.string(),
  }),
]);
export type RemovalVerdict = z.infer<typeof removalVerdictSchema>;

/** Items shown in a verdict; the rest are counted. */
export const MAX_LISTED_ITEMS = 200;

/** One line per verdict for CLI output, errors and logs. */
export function describeVerdict(v: RemovalVerdict): string {
  if (v.verdict === 'safe') return 'nothing would be lost';
  if (v.verdict === 'cannot-tell') return `cannot tell what would be lost: ${v.reason}`;
  const shown = v.items
    .slice(0, 5)
    .map((i) => i.detail)
    .join('; ');
  return `would lose ${v.total} item(s): ${shown}${v.total > 5 ? '; …' : ''}`;
}

/** What a commit made for the user would take, and what it leaves out (the app's own placed files). */
export const userCommitPlanSchema = z.object({
  commit: z.array(z.object({ path: z.string(), change: z.string() })),
  excluded: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type UserCommitPlanShape = z.infer<typeof userCommitPlanSchema>;

import { z } from 'zod';

/** Files a repository provides that the app would run or apply in a new worktree. */
export const repoScriptKindSchema = z.enum(['setup-script', 'worktree-include']);
export type RepoScriptKind = z.infer<typeof repoScriptKindSchema>;

/**
 * One repository-provided file, as the user must review it: its exact content and that content's
 * SHA-256. Trust is given to the hash, so any change to the file asks again.
 */
export const repoScriptSchema = z.object({
  kind: repoScriptKindSchema,
  /** Where it is (absolute). */
  path: z.string(),
  content: z.string(),
  sha256: z.string(),
  /** The user trusted this exact content for this repository. */
  trusted: z.boolean(),
});
export type RepoScript = z.infer<typeof repoScriptSchema>;

/** `repos.trustScripts`: trust these exact contents (by hash) of this repository's scripts. */
export const trustScriptsInputSchema = z.object({
  repoPath: z.string().min(1).max(4096),
  scripts: z
    .array(z.object({ kind: repoScriptKindSchema, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 in hex.') }))
    .min(1)
    .max(10),
});

/** One trust the user gave: this content (hash) of this kind of file in this repository. */
export const trustedScriptSchema = z.object({
  repoRoot: z.string(),
  kind: repoScriptKindSchema,
  sha256: z.string(),
  trustedAt: z.number(),
});
export type TrustedScript = z.infer<typeof trustedScriptSchema>;

/** `repos.untrustScripts`: take back one trust (that repository, kind and content). */
export const untrustScriptInputSchema = z.object({
  repoRoot: z.string().min(1).max(4096),
  kind: repoScriptKindSchema,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 in hex.'),
});

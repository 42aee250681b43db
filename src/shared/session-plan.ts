import { z } from 'zod';
import { repoScriptSchema } from './repo-scripts';
import { approvalPolicySchema, limitsSchema, promptDeliverySchema, sessionTypeSchema } from './domain';

/**
 * What `sessions.create` would make of one copy, computed by the engine without creating anything
 * (`sessions.plan`): the wizard's review page shows exactly these values.
 */
export const sessionPlanSchema = z.object({
  name: z.string(),
  type: sessionTypeSchema,
  /** Agent preset id or 'custom'. */
  agent: z.string(),
  /** Why this program, when none was named (the type's default on this machine). */
  agentReason: z.string().nullable(),
  /** How the prompt reaches the program (`not-sent`: a shell or unknown program, not asked to type it). */
  promptDelivery: promptDeliverySchema,
  approval: approvalPolicySchema,
  /** The program as found on PATH. */
  program: z.string(),
  args: z.array(z.string()),
  /** The prompt the program gets, with the session type's prefix. */
  prompt: z.string(),
  priority: z.number(),
  limits: limitsSchema,
  background: z.boolean(),
  skills: z.array(z.string()),
  repoRoot: z.string(),
  baseBranch: z.string(),
  branch: z.string(),
  /** Works on a branch that exists already. */
  existingBranch: z.boolean(),
  /** Why the branch differs from the plain derived name (made unique), when it does. */
  branchNote: z.string().nullable(),
  copyInPatterns: z.array(z.string()),
  /** Where the copy-in list comes from: this request, the repository's settings, or the global default. */
  copyInSource: z.enum(['request', 'repository', 'settings']),
  /** The repository's `.worktreeinclude`, when it has one: the ignored files it lists are copied too. */
  worktreeInclude: z.string().nullable().default(null),
  setupScript: z.string().nullable(),
  /** request: this request; repository: the repository's settings in the app; repository-file: the repository's own file. */
  setupScriptSource: z.enum(['request', 'repository', 'repository-file']).nullable(),
  /**
   * The repository-provided files this copy would run or apply (its setup script, its
   * .worktreeinclude), with their exact content: create refuses with UNTRUSTED_SCRIPT until each is trusted.
   */
  repoScripts: z.array(repoScriptSchema).default([]),
  /** The folder new worktrees go under. */
  worktreeRoot: z.string(),
  /** now: a running slot is free; queued: waits for the running cap; stopped: autoStart is off. */
  starts: z.enum(['now', 'queued', 'stopped']),
});
export type SessionPlan = z.infer<typeof sessionPlanSchema>;

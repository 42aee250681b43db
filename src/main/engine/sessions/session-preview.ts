import { join } from 'node:path';
import type { RequestParsedInput } from '../../../shared/contract';
import type { RepoInfo, Settings } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import {
  branchClashes,
  branchNameFromTemplate,
  branchNameProblem,
  firstFreeBranchName,
} from '../../../shared/branch-names';
import type { SessionPlan } from '../../../shared/session-plan';
import type { RepoScript } from '../../../shared/repo-scripts';
import { WORKTREE_INCLUDE } from '../git/worktree-include';
import { planSessions, type AgentContext } from './session-planner';

export interface PreviewContext {
  repo: RepoInfo;
  settings: Settings;
  worktreeRoot: string;
  /** Programs running or queued now, against the running cap. */
  busySlots: number;
  agents: AgentContext;
  /** The repository's own scripts as read now, each marked trusted or not. */
  repoFiles: RepoScript[];
}

/**
 * `sessions.plan`: every copy of a create request as it would be made — the same planner
 * `sessions.create` uses (type template, program on PATH, copy-in and setup sources), the same
 * branch naming and uniqueness rules, checked against the repository's branches — and nothing
 * created. Fails with the same typed errors create would (PROGRAM_NOT_FOUND, BRANCH_EXISTS, …).
 * A branch taken between plan and create still gets the next free name at create time.
 */
export function previewSessions(input: RequestParsedInput<'sessions.create'>, ctx: PreviewContext): SessionPlan[] {
  const { repo, settings } = ctx;
  const plans = planSessions(input, repo, settings, ctx.agents, ctx.repoFiles);
  const overrides = settings.repoSettings[repo.root] ?? {};
  const base = input.baseBranch ?? repo.currentBranch ?? '';
  if (input.baseBranch && !repo.branches.includes(input.baseBranch)) {
    throw new AppError('BRANCH_NOT_FOUND', `Base branch \`${input.baseBranch}\` does not exist in ${repo.root}.`, {
      branch: input.baseBranch,
      branches: repo.branches,
    });
  }
  const taken = [...repo.branches];
  return plans.map((p, i) => {
    let branch: string;
    let note: string | null = null;
    if (input.existingBranch) {
      branch = input.existingBranch;
      if (!repo.branches.includes(branch)) {
        throw new AppError('BRANCH_NOT_FOUND', `Branch \`${branch}\` does not exist in ${repo.root}.`, {
          branch,
          branches: repo.branches,
        });
      }
    } else if (p.branchName !== undefined) {
      branch = p.branchName.trim();
      const problem = branchNameProblem(branch);
      if (problem) throw new AppError('INVALID_BRANCH_NAME', `\`${branch}\`: ${problem}`, { branch });
      if (branchClashes(branch, taken)) {
        throw new AppError('BRANCH_EXISTS', `A branch named \`${branch}\` already exists — choose another name.`, {
          branch,
        });
      }
    } else {
      const candidate = branchNameFromTemplate(settings.branchTemplate, { name: p.session.name, type: input.type });
      const free = firstFreeBranchName(candidate, taken);
      if (!free) throw new AppError('BRANCH_EXISTS', `No free branch name for \`${candidate}\` — choose a name.`);
      branch = free;
      if (free !== candidate) note = `${candidate} exists already`;
    }
    taken.push(branch);
    const slot = ctx.busySlots + i;
    return {
      name: p.session.name,
      type: p.session.type,
      agent: p.session.agent,
      agentReason: p.session.agentReason,
      promptDelivery: p.session.promptDelivery,
      approval: p.session.approval,
      program: p.session.program,
      args: p.session.args,
      prompt: p.session.prompt,
      priority: p.session.priority,
      limits: p.session.limits,
      background: p.session.background,
      skills: p.session.skills,
      repoRoot: repo.root,
      baseBranch: input.existingBranch ? input.existingBranch : base,
      branch,
      existingBranch: Boolean(input.existingBranch),
      branchNote: note,
      copyInPatterns: p.copyInPatterns,
      copyInSource: input.copyInPatterns ? 'request' : overrides.copyInPatterns ? 'repository' : 'settings',
      worktreeInclude: p.worktreeInclude !== null ? join(repo.root, WORKTREE_INCLUDE) : null,
      setupScript: p.setupScript ?? null,
      setupScriptSource: p.setupScriptSource,
      repoScripts: p.repoScripts,
      worktreeRoot: ctx.worktreeRoot,
      starts: !input.autoStart ? 'stopped' : slot < settings.maxRunning ? 'now' : 'queued',
    };
  });
}

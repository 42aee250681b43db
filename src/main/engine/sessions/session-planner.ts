import { randomBytes } from 'node:crypto';
import type { RequestParsedInput } from '../../../shared/contract';
import type { RepoInfo, Session, Settings } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { splitCommandLine } from '../../../shared/command-line';
import { CUSTOM_AGENT, findAgent, whichSync } from './agents';
import { sessionTypeTemplates } from './session-types';

/** What one copy of a create request will be, before any disk work. */
export interface PlannedSession {
  session: Omit<Session, 'id' | 'status' | 'createdAt' | 'updatedAt'>;
  branchName: string | undefined;
  copyInPatterns: string[];
  setupScript: string | undefined;
}

/**
 * Applies the session type's template, resolves the program (typed error when it is not on PATH)
 * and names the copies — all validation that needs no disk writes happens here.
 */
export function planSessions(
  input: RequestParsedInput<'sessions.create'>,
  repo: RepoInfo,
  settings: Settings,
): PlannedSession[] {
  const template = sessionTypeTemplates[input.type];
  let agentId = input.agent ?? (input.program ? CUSTOM_AGENT : template.agent);
  const agent = agentId === CUSTOM_AGENT ? undefined : findAgent(agentId);
  if (agentId !== CUSTOM_AGENT && !agent) {
    throw new AppError(
      'BAD_INPUT',
      `Unknown agent \`${agentId}\` — use one of claude, codex, gemini, aider, opencode, shell, or custom.`,
    );
  }
  let program: string;
  let args: string[];
  if (input.program) {
    // A program line may carry its own arguments ("node agent.mjs --fast"); split without a shell.
    const argv = splitCommandLine(input.program);
    if (argv.length === 0) throw new AppError('BAD_INPUT', 'The program is empty — give a command to run.');
    program = argv[0];
    args = [...argv.slice(1), ...(input.args ?? [])];
    if (agent && program !== agent.command) agentId = CUSTOM_AGENT;
  } else {
    program = agent!.command;
    args = [...agent!.defaultArgs, ...(input.args ?? [])];
  }
  const resolved = whichSync(program);
  if (!resolved) {
    throw new AppError(
      'PROGRAM_NOT_FOUND',
      `\`${program}\` was not found on PATH — install it, give its full path, or pick another program.`,
      { program },
    );
  }
  const repoOverrides = settings.repoSettings[repo.root] ?? {};
  const copyInPatterns = input.copyInPatterns ?? repoOverrides.copyInPatterns ?? settings.copyInPatterns;
  const setupScript = input.setupScript ?? repoOverrides.setupScript;
  const prompt = input.prompt ? `${template.promptPrefix}${input.prompt}` : '';
  const limits = { ...template.limits, ...(input.limits ?? {}) };
  const background = input.background ?? template.background;
  const priority =
    input.priority ?? (background && input.type !== 'background' ? Math.min(template.priority, 5) : template.priority);
  const copies = input.copies;
  // Copies made together are candidates for one task: one fan-out group (the compare view's unit).
  const groupId = input.groupId ?? (copies > 1 ? randomBytes(6).toString('hex') : null);
  return Array.from({ length: copies }, (_, i) => ({
    session: {
      name: copies > 1 ? `${input.name} ${i + 1}` : input.name,
      type: input.type,
      priority,
      limits,
      background,
      repoPath: repo.root,
      baseBranch: input.baseBranch ?? repo.currentBranch ?? '',
      branch: input.existingBranch ?? '',
      existingBranch: Boolean(input.existingBranch),
      worktreePath: '',
      agent: agentId,
      program: resolved,
      args,
      prompt,
      env: input.env ?? {},
      skills: input.skills ?? template.skills,
      startedAt: null,
      stoppedAt: null,
      lastActivityAt: null,
      exitCode: null,
      errorReason: null,
      pid: null,
      worktreeMissing: null,
      promptSent: false,
      cols: clamp(input.cols ?? 120, 20, 500),
      rows: clamp(input.rows ?? 32, 5, 200),
      groupId,
    },
    branchName: input.branchName && copies > 1 ? `${input.branchName}-${i + 1}` : input.branchName,
    copyInPatterns,
    setupScript,
  }));
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

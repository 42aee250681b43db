import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { RequestParsedInput } from '../../../shared/contract';
import type { AgentChoice, ApprovalPolicy, PromptDelivery, RepoInfo, Session, Settings } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { RepoScript } from '../../../shared/repo-scripts';
import { splitCommandLine } from '../../../shared/command-line';
import { clampSize } from '../../../shared/terminal-size';
import { CUSTOM_AGENT, SHELL_AGENT, agentCatalog, findAgentDef, type AgentDef } from '../agents/agent-catalog';
import type { AgentDetector } from '../agents/agent-detection';
import { sessionTypeTemplates } from './session-types';

/** What one copy of a create request will be, before any disk work. */
export interface PlannedSession {
  session: Omit<Session, 'id' | 'status' | 'createdAt' | 'updatedAt'>;
  branchName: string | undefined;
  copyInPatterns: string[];
  setupScript: string | undefined;
  /** Where the setup script comes from; 'repository-file' runs only once trusted. */
  setupScriptSource: 'request' | 'repository' | 'repository-file' | null;
  /** The repository's .worktreeinclude content applied to this copy (null: none, or skipped). */
  worktreeInclude: string | null;
  /** The repository-provided scripts this copy would run or apply (each needs the user's trust). */
  repoScripts: RepoScript[];
}

/** What planning needs from the agents room: detection, and the type's program on this machine. */
export interface AgentContext {
  detector: Pick<AgentDetector, 'list' | 'locate'>;
  /** The type's default program (resolved against what is installed, with the reason). */
  typeChoice: AgentChoice;
}

type CreateInput = RequestParsedInput<'sessions.create'>;

/** Which program runs, and why. A program line naming an agent's command is that agent. */
function chooseProgram(
  input: CreateInput,
  ctx: AgentContext,
): { agentId: string; def: AgentDef | undefined; program: string; args: string[]; reason: string | null } {
  if (input.program) {
    // A program line may carry its own arguments ("node agent.mjs --fast"); split without a shell.
    const argv = splitCommandLine(input.program);
    if (argv.length === 0) throw new AppError('BAD_INPUT', 'The program is empty — give a command to run.');
    const byCommand = agentCatalog.find((a) => a.id !== SHELL_AGENT && a.command === basename(argv[0]));
    const named = input.agent && input.agent !== CUSTOM_AGENT ? findAgentDef(input.agent) : undefined;
    const def = named && named.command === basename(argv[0]) ? named : byCommand;
    return {
      agentId: def?.id ?? CUSTOM_AGENT,
      def,
      program: argv[0],
      args: [...argv.slice(1), ...(input.args ?? [])],
      reason: null,
    };
  }
  const agentId = input.agent ?? ctx.typeChoice.agent;
  if (agentId === CUSTOM_AGENT) {
    throw new AppError('BAD_INPUT', 'A custom agent needs a program — give the command to run.');
  }
  const def = findAgentDef(agentId);
  if (!def) {
    throw new AppError(
      'BAD_INPUT',
      `Unknown agent \`${agentId}\` — use one of ${agentCatalog.map((a) => a.id).join(', ')}, or custom with a program.`,
    );
  }
  return {
    agentId,
    def,
    program: def.command,
    args: [...def.defaultArgs, ...(input.args ?? [])],
    reason: input.agent ? null : ctx.typeChoice.reason,
  };
}

function promptDelivery(def: AgentDef | undefined, prompt: string, typeAsked: boolean): PromptDelivery {
  if (!prompt) return 'none';
  switch (def?.prompt) {
    case 'arg':
      return 'arg';
    case 'flag':
      return 'flag';
    case 'type-when-ready':
      return 'typed';
    default:
      // A plain shell or an unknown program: typing would run the prompt as a command.
      return typeAsked ? 'typed' : 'not-sent';
  }
}

/** Validates an approval policy against the session's agent (typed error for a mode it lacks). */
export function checkApproval(
  approval: ApprovalPolicy | undefined,
  def: AgentDef | undefined,
  agentId: string,
): ApprovalPolicy {
  if (!approval || approval.policy === 'off') return { policy: 'off', mode: null };
  if (approval.policy === 'auto-yes') {
    if (agentId === SHELL_AGENT) {
      throw new AppError('BAD_INPUT', 'Auto-yes answers an agent’s confirmations — a plain shell has none.');
    }
    return { policy: 'auto-yes', mode: null };
  }
  const modes = def?.approvalModes ?? [];
  if (!modes.some((m) => m.id === approval.mode)) {
    throw new AppError(
      'BAD_INPUT',
      modes.length
        ? `\`${approval.mode ?? ''}\` is not an approval mode of ${def?.name} — use one of ${modes.map((m) => m.id).join(', ')}.`
        : `${def?.name ?? 'This program'} has no approval modes of its own — use off or auto-yes.`,
    );
  }
  return { policy: 'agent', mode: approval.mode };
}

/**
 * Applies the session type's template, resolves the program (the type's default on this machine
 * when none is named; a typed error when it is not installed) and names the copies — all
 * validation that needs no disk writes happens here.
 */
export function planSessions(
  input: CreateInput,
  repo: RepoInfo,
  settings: Settings,
  ctx: AgentContext,
  /** The repository's own scripts as read now (empty when the request skips them). */
  repoFiles: RepoScript[] = [],
): PlannedSession[] {
  const template = sessionTypeTemplates[input.type];
  const choice = chooseProgram(input, ctx);
  const found = ctx.detector.locate(choice.program);
  if (!found) {
    const installed = ctx.detector
      .list()
      .filter((d) => d.resolvedPath)
      .map((d) => d.def.id);
    throw new AppError(
      'PROGRAM_NOT_FOUND',
      choice.def
        ? `${choice.def.name} (\`${choice.program}\`) is not installed — install it, or pick another program (installed here: ${installed.join(', ')}).`
        : `\`${choice.program}\` was not found on PATH — install it, give its full path, or pick another program.`,
      { program: choice.program, installed },
    );
  }
  const repoOverrides = settings.repoSettings[repo.root] ?? {};
  const copyInPatterns = input.copyInPatterns ?? repoOverrides.copyInPatterns ?? settings.copyInPatterns;
  // A script the user gave (this request, or the repository's settings in the app) wins; the
  // repository's own file is the last resort and is the only one needing trust.
  const fileScript = input.skipRepoScripts ? undefined : repoFiles.find((f) => f.kind === 'setup-script');
  const setupScript = input.setupScript ?? repoOverrides.setupScript ?? fileScript?.content;
  const setupScriptSource =
    input.setupScript !== undefined
      ? 'request'
      : repoOverrides.setupScript !== undefined
        ? 'repository'
        : fileScript
          ? 'repository-file'
          : null;
  const include = input.skipRepoScripts ? undefined : repoFiles.find((f) => f.kind === 'worktree-include');
  const repoScripts = [
    ...(setupScriptSource === 'repository-file' && fileScript ? [fileScript] : []),
    ...(include ? [include] : []),
  ];
  const isAgent = choice.def !== undefined && choice.agentId !== SHELL_AGENT;
  // The type's instructions are for an agent; a shell or unknown program gets the user's text only.
  const prompt = input.prompt ? `${isAgent ? template.promptPrefix : ''}${input.prompt}` : '';
  const delivery = promptDelivery(choice.def, prompt, input.typePrompt === true);
  const approval = checkApproval(input.approval, choice.def, choice.agentId);
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
      agent: choice.agentId,
      program: found.path,
      args: choice.args,
      prompt,
      env: input.env ?? {},
      passEnv: input.passEnv ?? [],
      limitMechanism: null,
      skills: input.skills ?? template.skills,
      startedAt: null,
      stoppedAt: null,
      lastActivityAt: null,
      exitCode: null,
      errorReason: null,
      pid: null,
      worktreeMissing: null,
      promptSent: false,
      recovery: null,
      ...clampSize(input.cols, input.rows),
      groupId,
      agentReason: choice.reason,
      promptDelivery: delivery,
      approval,
      statusSource: null,
      ports: null,
      usage: null,
      autoApproved: 0,
      restoredAs: null,
      paused: null,
    },
    branchName: input.branchName && copies > 1 ? `${input.branchName}-${i + 1}` : input.branchName,
    copyInPatterns,
    setupScript,
    setupScriptSource,
    worktreeInclude: include?.content ?? null,
    repoScripts,
  }));
}

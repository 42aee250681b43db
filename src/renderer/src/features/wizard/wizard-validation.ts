import type { AgentPreset, RepoInfo, SessionTypeInfo } from '../../../../shared/domain';
import { limitsSchema, passEnvSchema, pathString, prioritySchema, sessionNameSchema } from '../../../../shared/domain';
import { createSessionInputSchema } from '../../../../shared/contract';
import { branchNameProblem } from '../../../../shared/branch-names';
import { parseNumberField, problemOf } from '../../lib/field-problems';
import { parseCommandLine } from '../../../../shared/command-line';
import { isApprovalChoice } from '../agents/approval';
import { passEnvNames, rowBranchName, totalCopies, type AgentRow, type WizardDraft } from './wizard-draft';

/** A field of the wizard; row fields carry the row's key. */
export type WizardField =
  | 'repoPath'
  | 'name'
  | 'prompt'
  | 'copies'
  | `program:${number}`
  | `count:${number}`
  | `approval:${number}`
  | 'branchName'
  | 'baseBranch'
  | 'existingBranch'
  | 'copyIn'
  | 'setupScript'
  | 'priority'
  | 'memoryMb'
  | 'runtimeMin'
  | 'passEnv';

export type WizardProblems = Partial<Record<WizardField, string>>;

export interface ValidationContext {
  repo: RepoInfo | undefined;
  /** The host's answer to repos.inspect, in words, when it refused the folder. */
  repoError: string | null;
  agents: AgentPreset[];
  types: SessionTypeInfo[];
  /** Problems the host found while planning (sessions.plan), by field. */
  planProblems: WizardProblems;
}

/** The wizard step that holds a field (0-based). */
export function stepOf(field: WizardField): number {
  if (field === 'repoPath') return 0;
  if (field === 'name' || field === 'prompt' || field === 'copies' || /^(program|count|approval):/.test(field))
    return 1;
  if (['branchName', 'baseBranch', 'existingBranch', 'copyIn', 'setupScript'].includes(field)) return 2;
  return 3;
}

/** Fields in the order the wizard shows them, so "the first problem" is the one highest on screen. */
export function fieldOrder(d: WizardDraft): WizardField[] {
  return [
    'repoPath',
    ...d.rows.flatMap((r) => [`count:${r.key}` as const, `program:${r.key}` as const, `approval:${r.key}` as const]),
    'copies',
    'prompt',
    'name',
    'baseBranch',
    'existingBranch',
    'branchName',
    'copyIn',
    'setupScript',
    'priority',
    'memoryMb',
    'runtimeMin',
    'passEnv',
  ];
}

const copiesSchema = createSessionInputSchema.shape.copies;
const promptSchema = createSessionInputSchema.shape.prompt;
const setupSchema = createSessionInputSchema.shape.setupScript;

function programProblem(row: AgentRow, d: WizardDraft, ctx: ValidationContext): string | null {
  if (row.agent === 'custom') {
    const parsed = parseCommandLine(row.command);
    if (!parsed.ok) return parsed.error;
    if (parsed.argv.length === 0) return 'Type the command to run, e.g. my-agent --flag.';
    return null;
  }
  const id = row.agent || ctx.types.find((t) => t.type === d.type)?.agent;
  const agent = id ? ctx.agents.find((a) => a.id === id) : undefined;
  if (agent && !agent.installed) {
    return row.agent
      ? `${agent.name} is not installed on this machine — install \`${agent.command}\` or pick another program.`
      : `${agent.name}, the default for this type, is not installed — pick an installed program or a custom command.`;
  }
  return null;
}

/** An agent mode the row's program does not have (the type's program changed under it). */
function approvalProblem(row: AgentRow, d: WizardDraft, ctx: ValidationContext): string | null {
  if (!row.approval || row.approval === 'off') return null;
  const id = row.agent === 'custom' ? 'custom' : row.agent || ctx.types.find((t) => t.type === d.type)?.agent;
  if (!id) return null;
  const preset = ctx.agents.find((a) => a.id === id);
  if (isApprovalChoice(row.approval, id, preset)) return null;
  return `${preset?.name ?? 'This program'} has no such approval mode — choose one it lists.`;
}

/**
 * Every problem of the draft, by field, in the words the wizard shows next to the field. The
 * checks are the contract's own schemas and git's branch rules, so what passes here is what the
 * host accepts; what only the host can know (program on PATH, branch taken) comes from sessions.plan.
 */
export function validateDraft(d: WizardDraft, ctx: ValidationContext): WizardProblems {
  const p: WizardProblems = {};
  const repoPath = d.repoPath.trim();
  if (!repoPath) p.repoPath = 'Choose a repository folder.';
  else p.repoPath = problemOf(pathString, repoPath) ?? ctx.repoError ?? undefined;

  for (const row of d.rows) {
    const count = problemOf(copiesSchema, row.count);
    if (count) p[`count:${row.key}`] = 'Copies are a whole number from 1 to 50.';
    const program = programProblem(row, d, ctx);
    if (program) p[`program:${row.key}`] = program;
    const approval = approvalProblem(row, d, ctx);
    if (approval) p[`approval:${row.key}`] = approval;
  }
  if (totalCopies(d) > 50) p.copies = `At most 50 sessions at once — this makes ${totalCopies(d)}.`;
  p.prompt = problemOf(promptSchema, d.prompt) ?? undefined;
  p.name = problemOf(sessionNameSchema, d.name) ?? undefined;

  const branches = ctx.repo?.branches ?? [];
  if (d.branchMode === 'existing') {
    if (!d.existingBranch) p.existingBranch = 'Choose the existing branch to work on.';
    else if (ctx.repo && !branches.includes(d.existingBranch))
      p.existingBranch = `There is no branch \`${d.existingBranch}\` in this repository.`;
    else if (totalCopies(d) > 1)
      p.existingBranch = 'A branch can be checked out in one worktree only — use a new branch for several copies.';
  } else {
    if (d.baseBranch && ctx.repo && !branches.includes(d.baseBranch))
      p.baseBranch = `There is no branch \`${d.baseBranch}\` in this repository.`;
    const typed = d.branchName.trim();
    if (typed) {
      const problem = branchNameProblem(typed);
      if (problem) p.branchName = problem;
      else {
        const taken = d.rows.map((r) => rowBranchName(d, r)).find((b) => b && branches.includes(b));
        if (taken) p.branchName = `A branch named \`${taken}\` exists already — choose another name or leave it empty.`;
      }
    }
  }
  const patterns = d.copyInPatterns
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (patterns.length > 100) p.copyIn = 'At most 100 patterns.';
  else if (patterns.some((l) => l.length > 512)) p.copyIn = 'A pattern is at most 512 characters.';
  p.setupScript = problemOf(setupSchema, d.setupScript || undefined) ?? undefined;

  p.priority = problemOf(prioritySchema, d.priority) ?? undefined;
  const passEnv = passEnvNames(d.passEnv);
  const badName = passEnv.find((n) => !passEnvSchema.element.safeParse(n).success);
  if (badName)
    p.passEnv = `\`${badName.slice(0, 40)}\` is not a variable name — letters, digits and _, not starting with a digit.`;
  else p.passEnv = problemOf(passEnvSchema, passEnv) ?? undefined;
  const mem = parseNumberField(d.memoryMb, 'the memory limit');
  p.memoryMb = mem.problem ?? problemOf(limitsSchema.shape.memoryMb, mem.value) ?? undefined;
  const min = parseNumberField(d.runtimeMin, 'the time limit');
  p.runtimeMin =
    min.problem ??
    problemOf(limitsSchema.shape.runtimeSec, min.value === null ? null : Math.round(min.value * 60)) ??
    undefined;

  // The host's findings fill fields the local checks left clean.
  for (const [k, v] of Object.entries(ctx.planProblems) as Array<[WizardField, string]>) {
    if (!p[k]) p[k] = v;
  }
  for (const k of Object.keys(p) as WizardField[]) if (!p[k]) delete p[k];
  return p;
}

/** The first problem of a step (what its footer says and why Next is disabled), or null. */
export function stepProblem(step: number, d: WizardDraft, problems: WizardProblems): string | null {
  for (const f of fieldOrder(d)) {
    if (stepOf(f) === step && problems[f]) return problems[f] ?? null;
  }
  return null;
}

/** The field a host error code belongs to, so it is shown beside that field. */
export function fieldOfError(code: string, d: WizardDraft, rowKey: number): WizardField | null {
  switch (code) {
    case 'NOT_A_REPOSITORY':
    case 'NOT_A_DIRECTORY':
    case 'BARE_REPOSITORY':
    case 'EMPTY_REPOSITORY':
      return 'repoPath';
    case 'PROGRAM_NOT_FOUND':
      return `program:${rowKey}`;
    case 'INVALID_NAME':
      return 'name';
    case 'BRANCH_EXISTS':
    case 'INVALID_BRANCH_NAME':
      return d.branchMode === 'existing' ? 'existingBranch' : 'branchName';
    case 'BRANCH_NOT_FOUND':
      return d.branchMode === 'existing' ? 'existingBranch' : 'baseBranch';
    default:
      return null;
  }
}

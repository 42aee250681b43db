import type { CreateSessionInput } from '../../../../shared/contract';
import type { SessionType } from '../../../../shared/domain';
import { splitCommandLine } from '../../../../shared/command-line';
import { parseNumberField } from '../../lib/field-problems';
import { approvalFromValue } from '../agents/approval';

/** One "N × program" line of the wizard; each becomes one `sessions.create` with `copies`. */
export interface AgentRow {
  key: number;
  agent: string;
  count: number;
  /** Command line when agent is 'custom'. */
  command: string;
  /** Approval policy as a select value: 'off', 'auto-yes' or 'agent:<mode>' (features/agents/approval.ts). */
  approval: string;
}

/** Everything the wizard collects before calling `sessions.create`. */
export interface WizardDraft {
  repoPath: string;
  type: SessionType;
  rows: AgentRow[];
  prompt: string;
  name: string;
  branchMode: 'new' | 'existing';
  baseBranch: string;
  existingBranch: string;
  branchName: string;
  copyInPatterns: string;
  setupScript: string;
  /** Neither run the repository's own setup script nor apply its .worktreeinclude. */
  skipRepoScripts: boolean;
  /** Host variables passed through on top of the allow-list (names, space or comma separated). */
  passEnv: string;
  priority: number;
  memoryMb: string;
  runtimeMin: string;
  background: boolean;
}

export const wizardSteps = ['Repository', 'Session', 'Workspace', 'Resources', 'Review'] as const;

export function newDraft(repoPath: string | null): WizardDraft {
  return {
    repoPath: repoPath ?? '',
    type: 'general',
    rows: [{ key: 1, agent: '', count: 1, command: '', approval: 'off' }],
    prompt: '',
    name: '',
    branchMode: 'new',
    baseBranch: '',
    existingBranch: '',
    branchName: '',
    copyInPatterns: '',
    setupScript: '',
    skipRepoScripts: false,
    passEnv: '',
    priority: 10,
    memoryMb: '',
    runtimeMin: '',
    background: false,
  };
}

export function totalCopies(d: WizardDraft): number {
  return d.rows.reduce((n, r) => n + r.count, 0);
}

/** A name for a row when several rows share one session name. */
export function rowName(d: WizardDraft, row: AgentRow): string {
  if (d.rows.length === 1) return d.name.trim();
  const label = row.agent === 'custom' ? splitCommandLine(row.command)[0]?.split('/').pop() || 'custom' : row.agent;
  return `${d.name.trim()} ${label}`.slice(0, 100);
}

/**
 * The `sessions.create` input for one row; `size` is the terminal pane's (the view that will show
 * the session), so the program starts at the size it is shown at.
 */
export function createInput(
  d: WizardDraft,
  row: AgentRow,
  operationId: string,
  size?: { cols: number; rows: number } | null,
): CreateSessionInput {
  const patterns = d.copyInPatterns
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);
  const mem = parseNumberField(d.memoryMb, 'the memory limit');
  const min = parseNumberField(d.runtimeMin, 'the time limit');
  const custom = row.agent === 'custom' ? splitCommandLine(row.command) : [];
  const input: CreateSessionInput = {
    name: rowName(d, row),
    repoPath: d.repoPath.trim(),
    type: d.type,
    priority: d.priority,
    background: d.background,
    copies: row.count,
    operationId,
    ...(size ? { cols: size.cols, rows: size.rows } : {}),
  };
  if (row.agent === 'custom') {
    input.agent = 'custom';
    input.program = custom[0];
    input.args = custom.slice(1);
  } else if (row.agent) {
    input.agent = row.agent;
  }
  if (row.approval && row.approval !== 'off') input.approval = approvalFromValue(row.approval);
  if (d.prompt.trim()) input.prompt = d.prompt;
  if (d.branchMode === 'existing' && d.existingBranch) input.existingBranch = d.existingBranch;
  if (d.branchMode === 'new' && d.baseBranch) input.baseBranch = d.baseBranch;
  const branch = rowBranchName(d, row);
  if (branch) input.branchName = branch;
  if (patterns.length > 0) input.copyInPatterns = patterns;
  if (d.setupScript.trim()) input.setupScript = d.setupScript;
  if (d.skipRepoScripts) input.skipRepoScripts = true;
  const passEnv = passEnvNames(d.passEnv);
  if (passEnv.length > 0) input.passEnv = passEnv;
  // Typed limits go to the host as typed; validation (wizard-validation.ts) keeps bad ones from
  // being sent at all — nothing is silently dropped or rounded to something else.
  const limits: { memoryMb?: number; runtimeSec?: number } = {};
  if (mem.value !== null) limits.memoryMb = mem.value;
  if (min.value !== null) limits.runtimeSec = Math.round(min.value * 60);
  if (Object.keys(limits).length > 0) input.limits = limits;
  return input;
}

/** The branch name a row asks for when the user typed one (several programs get a suffix each). */
export function rowBranchName(d: WizardDraft, row: AgentRow): string | undefined {
  const typed = d.branchName.trim();
  if (d.branchMode !== 'new' || !typed) return undefined;
  return d.rows.length > 1 ? `${typed}-${row.agent || 'custom'}` : typed;
}

/** The variable names typed in the wizard's pass-through field (space, comma or newline separated). */
export function passEnvNames(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

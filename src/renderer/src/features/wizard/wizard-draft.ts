import type { CreateSessionInput } from '../../../../shared/contract';
import type { SessionType } from '../../../../shared/domain';
import { splitArgs } from '../../lib/split-args';

/** One "N × program" line of the wizard; each becomes one `sessions.create` with `copies`. */
export interface AgentRow {
  key: number;
  agent: string;
  count: number;
  /** Command line when agent is 'custom'. */
  command: string;
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
    rows: [{ key: 1, agent: '', count: 1, command: '' }],
    prompt: '',
    name: '',
    branchMode: 'new',
    baseBranch: '',
    existingBranch: '',
    branchName: '',
    copyInPatterns: '',
    setupScript: '',
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
  const label = row.agent === 'custom' ? splitArgs(row.command)[0]?.split('/').pop() || 'custom' : row.agent;
  return `${d.name.trim()} ${label}`.slice(0, 100);
}

/** The `sessions.create` input for one row. */
export function createInput(d: WizardDraft, row: AgentRow, operationId: string): CreateSessionInput {
  const patterns = d.copyInPatterns
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);
  const mem = Number(d.memoryMb);
  const min = Number(d.runtimeMin);
  const custom = row.agent === 'custom' ? splitArgs(row.command) : [];
  const input: CreateSessionInput = {
    name: rowName(d, row),
    repoPath: d.repoPath.trim(),
    type: d.type,
    priority: d.priority,
    background: d.background,
    copies: row.count,
    operationId,
  };
  if (row.agent === 'custom') {
    input.agent = 'custom';
    input.program = custom[0];
    input.args = custom.slice(1);
  } else if (row.agent) {
    input.agent = row.agent;
  }
  if (d.prompt.trim()) input.prompt = d.prompt;
  if (d.branchMode === 'existing' && d.existingBranch) input.existingBranch = d.existingBranch;
  if (d.branchMode === 'new' && d.baseBranch) input.baseBranch = d.baseBranch;
  if (d.branchMode === 'new' && d.branchName.trim()) {
    input.branchName = d.rows.length > 1 ? `${d.branchName.trim()}-${row.agent || 'custom'}` : d.branchName.trim();
  }
  if (patterns.length > 0) input.copyInPatterns = patterns;
  if (d.setupScript.trim()) input.setupScript = d.setupScript;
  const limits: { memoryMb?: number; runtimeSec?: number } = {};
  if (mem > 0) limits.memoryMb = Math.round(mem);
  if (min > 0) limits.runtimeSec = Math.round(min * 60);
  if (limits.memoryMb || limits.runtimeSec) input.limits = limits;
  return input;
}

/** Why the user cannot leave a step yet, or null. */
export function stepProblem(step: number, d: WizardDraft, repoOk: boolean): string | null {
  if (step === 0)
    return !d.repoPath.trim()
      ? 'Choose a repository folder.'
      : repoOk
        ? null
        : 'Pick a folder that is a git repository.';
  if (step === 1) {
    if (!d.name.trim()) return 'Give the session a name.';
    if (totalCopies(d) < 1) return 'Add at least one copy.';
    if (totalCopies(d) > 50) return 'At most 50 copies at once.';
    if (d.rows.some((r) => r.agent === 'custom' && !r.command.trim())) return 'Type the custom command to run.';
    return null;
  }
  if (step === 2 && d.branchMode === 'existing' && !d.existingBranch) return 'Choose the existing branch to work on.';
  return null;
}

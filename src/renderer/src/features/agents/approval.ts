import type { AgentPreset, ApprovalPolicy, Session, StatusSource } from '../../../../shared/domain';

/**
 * Approval policies as one select value: `off`, `auto-yes`, or `agent:<mode id>` — the agent's
 * own modes come from the host's agent catalog (agents.list), never from a list of our own.
 */
export type ApprovalValue = string;

export interface ApprovalChoice {
  value: ApprovalValue;
  label: string;
}

export function approvalValue(a: ApprovalPolicy): ApprovalValue {
  if (a.policy === 'agent') return `agent:${a.mode ?? ''}`;
  return a.policy;
}

export function approvalFromValue(v: ApprovalValue): ApprovalPolicy {
  if (v.startsWith('agent:')) return { policy: 'agent', mode: v.slice('agent:'.length) };
  return { policy: v === 'auto-yes' ? 'auto-yes' : 'off', mode: null };
}

/** What a session of this agent may choose: off, the agent's own modes, auto-yes (not for a shell). */
export function approvalChoices(agentId: string, preset: AgentPreset | undefined): ApprovalChoice[] {
  const choices: ApprovalChoice[] = [{ value: 'off', label: 'Off — the agent asks as it normally does' }];
  for (const m of preset?.approvalModes ?? []) {
    choices.push({ value: `agent:${m.id}`, label: `${preset?.name ?? agentId}: ${m.label}` });
  }
  if (agentId !== 'shell') {
    choices.push({
      value: 'auto-yes',
      label: preset?.autoYes
        ? 'Auto-yes — Multisession answers its known confirmations'
        : 'Auto-yes — Multisession answers plain (y/n) questions',
    });
  }
  return choices;
}

/** Whether `value` is a choice this agent has. */
export function isApprovalChoice(value: ApprovalValue, agentId: string, preset: AgentPreset | undefined): boolean {
  return approvalChoices(agentId, preset).some((c) => c.value === value);
}

/** The policy in words, as the detail pane shows it. */
export function approvalText(a: ApprovalPolicy, preset: AgentPreset | undefined): string {
  if (a.policy === 'off') return 'Off';
  if (a.policy === 'auto-yes') return 'Auto-yes';
  const mode = preset?.approvalModes.find((m) => m.id === a.mode);
  return mode ? `${mode.label} (${mode.args.join(' ')})` : `Agent mode ${a.mode ?? ''}`;
}

/**
 * A change of the agent's own mode is an argument of the program: a running program gets it only
 * when it starts again. Off ↔ auto-yes act at once (Multisession answers, not the agent).
 */
export function changeNeedsRestart(from: ApprovalPolicy, to: ApprovalPolicy): boolean {
  if (from.policy !== 'agent' && to.policy !== 'agent') return false;
  return from.policy !== to.policy || from.mode !== to.mode;
}

/** How each kind of injected status reporting is called in the UI. */
const hookNames: Record<string, string> = {
  'claude-settings': 'hooks',
  'gemini-settings': 'hooks',
  'codex-notify': 'notify (end of each turn)',
  'aider-notify': 'notifications (end of each turn)',
  'opencode-plugin': 'plugin',
};

/** "status from Claude Code hooks / the screen / program output / CPU use", or why there is none. */
export function statusSourceText(s: Session, preset: AgentPreset | undefined): string {
  const source: StatusSource | null = s.statusSource;
  switch (source) {
    case 'hooks':
      return `status from ${preset?.name ?? s.agent} ${hookNames[preset?.statusHooks ?? ''] ?? 'hooks'}`;
    case 'screen':
      return 'status from the screen';
    case 'output':
      return 'status from the program’s output';
    case 'cpu':
      return 'status from its CPU use';
    default:
      return 'no status reading yet';
  }
}

/** What the agent can report on its own, for the detail pane's hint. */
export function statusReportingHint(preset: AgentPreset | undefined): string {
  if (!preset || preset.statusHooks === 'none') return 'This program reports nothing itself: the screen is read.';
  const how = hookNames[preset.statusHooks] ?? 'hooks';
  return `${preset.name} reports its status through its own ${how}, set up for this session only; the screen fills in.`;
}

export function formatCost(usd: number | null): string {
  if (usd === null) return 'no price';
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 10) return `$${usd.toFixed(3)}`;
  return `$${usd.toFixed(2)}`;
}

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 2 : 1)}M`;
}

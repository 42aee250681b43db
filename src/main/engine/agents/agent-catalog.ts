/**
 * The one table of agent CLIs the app knows: how each starts, takes its first prompt, reports its
 * own status, asks for approval and keeps its usage records. Everything agent-specific elsewhere
 * (detection, hooks, approvals, usage readers) is keyed by these ids.
 */

/** How the initial prompt reaches the program. */
export type PromptDelivery =
  /** Last positional argument (`claude "<prompt>"`). */
  | 'arg'
  /** After a flag (`gemini --prompt-interactive "<prompt>"`). */
  | 'flag'
  /** Typed into the terminal once the program is ready for input (Aider's chat). */
  | 'type-when-ready'
  /** The program takes no prompt (a plain shell: typing a prompt would run it as a command). */
  | 'none';

/** The agent's own notification mechanism, injected per session (never in the user's config). */
export type HookKind =
  'claude-settings' | 'codex-notify' | 'gemini-settings' | 'aider-notify' | 'opencode-plugin' | 'none';

/** Where the agent keeps token usage it can be charged for. */
export type UsageSource = 'claude' | 'codex' | 'gemini' | 'opencode' | 'aider' | 'none';

/** One of the agent's own approval modes and the argv that selects it. */
export interface ApprovalMode {
  id: string;
  label: string;
  args: string[];
}

/** A confirmation the agent shows, and the keys that accept it (for auto-yes). */
export interface ConfirmAnswer {
  pattern: RegExp;
  keys: string;
}

export interface AgentDef {
  id: string;
  name: string;
  /** Executable name looked up on PATH and in the usual install places. */
  command: string;
  prompt: PromptDelivery;
  promptFlag: string | null;
  defaultArgs: string[];
  description: string;
  hooks: HookKind;
  usage: UsageSource;
  approvalModes: ApprovalMode[];
  /** Known confirmation prompts auto-yes may answer, first match wins. */
  confirmations: ConfirmAnswer[];
}

export const SHELL_AGENT = 'shell';
export const CUSTOM_AGENT = 'custom';

/** The user's shell, unless it is a nologin placeholder. */
export function userShell(env: Record<string, string | undefined> = process.env): string {
  const sh = env.SHELL;
  return sh && !sh.includes('nologin') && !sh.endsWith('/false') ? sh : 'bash';
}

const ENTER = '\r';

export const agentCatalog: readonly AgentDef[] = [
  {
    id: 'claude',
    name: 'Claude Code',
    command: 'claude',
    prompt: 'arg',
    promptFlag: null,
    defaultArgs: [],
    description: 'Anthropic Claude Code: `claude "<prompt>"` starts an interactive session with the prompt.',
    hooks: 'claude-settings',
    usage: 'claude',
    // The choices of `claude --permission-mode` (2.1): checked against the real CLI in test/agents.
    approvalModes: [
      { id: 'manual', label: 'Ask for each action', args: ['--permission-mode', 'manual'] },
      { id: 'acceptEdits', label: 'Accept file edits', args: ['--permission-mode', 'acceptEdits'] },
      { id: 'plan', label: 'Plan only (no changes)', args: ['--permission-mode', 'plan'] },
      { id: 'auto', label: 'Auto (Claude decides what is safe)', args: ['--permission-mode', 'auto'] },
      { id: 'dontAsk', label: 'Never ask (deny what needs asking)', args: ['--permission-mode', 'dontAsk'] },
      {
        id: 'bypassPermissions',
        label: 'Bypass all permission checks',
        args: ['--permission-mode', 'bypassPermissions'],
      },
    ],
    // Claude's dialogs highlight "1. Yes" first: Enter accepts it.
    confirmations: [
      { pattern: /Do you want to (proceed|make this edit|create|overwrite|delete|allow|run)\b/i, keys: ENTER },
    ],
  },
  {
    id: 'codex',
    name: 'Codex',
    command: 'codex',
    prompt: 'arg',
    promptFlag: null,
    defaultArgs: [],
    description: 'OpenAI Codex CLI: `codex "<prompt>"` opens the TUI with the prompt.',
    hooks: 'codex-notify',
    usage: 'codex',
    approvalModes: [
      { id: 'on-request', label: 'Model asks when it needs to', args: ['--ask-for-approval', 'on-request'] },
      {
        id: 'full-auto',
        label: 'Never ask, sandboxed to the worktree',
        args: ['--ask-for-approval', 'never', '--sandbox', 'workspace-write'],
      },
      { id: 'read-only', label: 'Read-only sandbox', args: ['--sandbox', 'read-only'] },
    ],
    confirmations: [
      { pattern: /Would you like to (run the following command|make the following edits|apply)/i, keys: 'y' },
      { pattern: /Allow command\?/i, keys: 'y' },
    ],
  },
  {
    id: 'gemini',
    name: 'Gemini CLI',
    command: 'gemini',
    prompt: 'flag',
    promptFlag: '--prompt-interactive',
    defaultArgs: [],
    description: 'Google Gemini CLI: `gemini --prompt-interactive "<prompt>"` runs the prompt and stays interactive.',
    hooks: 'gemini-settings',
    usage: 'gemini',
    approvalModes: [
      { id: 'default', label: 'Ask for each action (default)', args: ['--approval-mode', 'default'] },
      { id: 'auto_edit', label: 'Accept file edits', args: ['--approval-mode', 'auto_edit'] },
      { id: 'yolo', label: 'Accept everything (YOLO)', args: ['--approval-mode', 'yolo'] },
      { id: 'plan', label: 'Plan only (read-only)', args: ['--approval-mode', 'plan'] },
    ],
    // Gemini's choice list starts at "Allow once": Enter accepts it.
    confirmations: [
      { pattern: /Allow execution/i, keys: ENTER },
      { pattern: /Apply this change\?/i, keys: ENTER },
    ],
  },
  {
    id: 'aider',
    name: 'Aider',
    command: 'aider',
    prompt: 'type-when-ready',
    promptFlag: null,
    defaultArgs: [],
    description: 'Aider: starts in the worktree; the initial prompt is typed into its chat once it is ready.',
    hooks: 'aider-notify',
    usage: 'aider',
    approvalModes: [{ id: 'yes-always', label: 'Answer yes to every question', args: ['--yes-always'] }],
    confirmations: [{ pattern: /\(Y\)es\/\(N\)o/, keys: `y${ENTER}` }],
  },
  {
    id: 'opencode',
    name: 'OpenCode',
    command: 'opencode',
    prompt: 'flag',
    promptFlag: '--prompt',
    defaultArgs: [],
    description: 'OpenCode: `opencode --prompt "<prompt>"` opens the TUI with the prompt.',
    hooks: 'opencode-plugin',
    usage: 'opencode',
    approvalModes: [{ id: 'auto', label: 'Approve everything not explicitly denied', args: ['--auto'] }],
    confirmations: [{ pattern: /Permission required/i, keys: ENTER }],
  },
  {
    id: SHELL_AGENT,
    name: 'Shell',
    command: userShell(),
    prompt: 'none',
    promptFlag: null,
    defaultArgs: [],
    description:
      'Your login shell in the worktree. A prompt is not typed into it unless you ask (it would run as a command).',
    hooks: 'none',
    usage: 'none',
    approvalModes: [],
    confirmations: [],
  },
];

/** Agent CLIs only (the shell is a program, not an agent). */
export const agentIds = agentCatalog.filter((a) => a.id !== SHELL_AGENT).map((a) => a.id);

export function findAgentDef(id: string): AgentDef | undefined {
  return agentCatalog.find((a) => a.id === id);
}

/** The approval mode `modeId` of agent `agentId`, if it has one. */
export function findApprovalMode(agentId: string, modeId: string | null): ApprovalMode | undefined {
  if (!modeId) return undefined;
  return findAgentDef(agentId)?.approvalModes.find((m) => m.id === modeId);
}

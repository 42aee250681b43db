import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { AgentPreset } from '../../../shared/domain';

type PresetDef = Omit<AgentPreset, 'installed' | 'resolvedPath'>;

/** How to start each known agent CLI with an initial prompt. */
export const agentPresetDefs: PresetDef[] = [
  {
    id: 'claude',
    name: 'Claude Code',
    command: 'claude',
    promptMode: 'arg',
    promptFlag: null,
    defaultArgs: [],
    description: 'Anthropic Claude Code: `claude "<prompt>"` starts an interactive session with the prompt.',
  },
  {
    id: 'codex',
    name: 'Codex',
    command: 'codex',
    promptMode: 'arg',
    promptFlag: null,
    defaultArgs: [],
    description: 'OpenAI Codex CLI: `codex "<prompt>"` opens the TUI with the prompt.',
  },
  {
    id: 'gemini',
    name: 'Gemini CLI',
    command: 'gemini',
    promptMode: 'flag',
    promptFlag: '--prompt-interactive',
    defaultArgs: [],
    description: 'Google Gemini CLI: `gemini --prompt-interactive "<prompt>"` runs the prompt and stays interactive.',
  },
  {
    id: 'aider',
    name: 'Aider',
    command: 'aider',
    promptMode: 'stdin',
    promptFlag: null,
    defaultArgs: [],
    description: 'Aider: starts in the worktree; the initial prompt is typed into its chat once it is ready.',
  },
  {
    id: 'opencode',
    name: 'OpenCode',
    command: 'opencode',
    promptMode: 'flag',
    promptFlag: '--prompt',
    defaultArgs: [],
    description: 'OpenCode: `opencode --prompt "<prompt>"` opens the TUI with the prompt.',
  },
  {
    id: 'shell',
    name: 'Shell',
    command: process.env.SHELL && !process.env.SHELL.includes('nologin') ? process.env.SHELL : 'bash',
    promptMode: 'stdin',
    promptFlag: null,
    defaultArgs: [],
    description: 'Your login shell in the worktree; an initial prompt is typed in as a command.',
  },
];

export const CUSTOM_AGENT = 'custom';

/** Finds an executable on PATH (or checks an explicit path); null when absent. */
export function whichSync(command: string, pathEnv = process.env.PATH ?? ''): string | null {
  const isExec = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes('/')) return isAbsolute(command) && isExec(command) ? command : null;
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (isExec(candidate)) return candidate;
  }
  return null;
}

/** The presets with what is installed on this machine, installed first. */
export function listAgents(): AgentPreset[] {
  const list = agentPresetDefs.map((d) => {
    const resolvedPath = whichSync(d.command);
    return { ...d, installed: resolvedPath !== null, resolvedPath };
  });
  return list.sort((a, b) => Number(b.installed) - Number(a.installed));
}

export function findAgent(id: string): PresetDef | undefined {
  return agentPresetDefs.find((a) => a.id === id);
}

/** argv for a program start, with the prompt placed as the agent expects; `stdin` prompts are typed later. */
export function buildLaunchArgs(
  agent: PresetDef | undefined,
  args: string[],
  prompt: string,
): { args: string[]; typePrompt: string | null } {
  if (!prompt) return { args, typePrompt: null };
  switch (agent?.promptMode) {
    case 'arg':
      return { args: [...args, prompt], typePrompt: null };
    case 'flag':
      return { args: [...args, agent.promptFlag ?? '--prompt', prompt], typePrompt: null };
    case 'none':
      return { args, typePrompt: null };
    default:
      return { args, typePrompt: prompt };
  }
}

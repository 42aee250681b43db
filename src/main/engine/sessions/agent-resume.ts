import { parseJson } from '../../../shared/json';
import { execFile } from 'node:child_process';
import { z } from 'zod';
import type { Session } from '../../../shared/domain';

/**
 * How each agent CLI continues its conversation, checked against the CLIs' own `--help`
 * (Claude Code 2.1, Codex 0.171, Gemini CLI 0.61, OpenCode 1.18; Aider from its documentation).
 * Every session runs in its own worktree, so "the most recent conversation in this directory" is
 * this session's conversation — for every CLI that files conversations by directory.
 */
interface ResumeRule {
  /** Where the resume arguments go relative to the session's own arguments. */
  placement: 'before' | 'after';
  /** The arguments, or null when there is no conversation to continue (then the program restarts). */
  args: (s: Session, env: Record<string, string>) => Promise<string[] | null>;
  /** What the user reads about it. */
  how: string;
}

const fixed =
  (...args: string[]) =>
  async (): Promise<string[]> =>
    args;

const openCodeSessionsSchema = z.array(
  z.object({
    id: z.string(),
    directory: z.string().optional(),
    time: z.object({ updated: z.number().optional(), created: z.number().optional() }).optional(),
  }),
);

/**
 * OpenCode files sessions by project (all worktrees of a repository share one), so `--continue`
 * could pick another session's conversation: find the latest one whose directory is this worktree.
 */
async function openCodeSession(s: Session, env: Record<string, string>): Promise<string[] | null> {
  const out = await new Promise<string | null>((resolve) => {
    execFile(
      s.program,
      ['session', 'list', '--format', 'json'],
      { cwd: s.worktreePath, env, timeout: 15_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout) => resolve(err ? null : stdout),
    );
  });
  if (out === null) return null;
  const parsed = parseJson(openCodeSessionsSchema, out);
  if (!parsed.ok) return null;
  const mine = parsed.value
    .filter((x) => x.directory === s.worktreePath)
    .sort((a, b) => (b.time?.updated ?? b.time?.created ?? 0) - (a.time?.updated ?? a.time?.created ?? 0));
  return mine[0] ? ['--session', mine[0].id] : null;
}

export const agentResumeRules: Record<string, ResumeRule> = {
  claude: {
    placement: 'after',
    args: fixed('--continue'),
    how: '`claude --continue` (the most recent conversation in the worktree)',
  },
  codex: {
    placement: 'before',
    args: fixed('resume', '--last'),
    how: '`codex resume --last` (the most recent session of the worktree)',
  },
  gemini: {
    placement: 'after',
    args: fixed('--resume', 'latest'),
    how: '`gemini --resume latest` (the most recent session of the project folder)',
  },
  aider: {
    placement: 'after',
    args: fixed('--restore-chat-history'),
    how: '`aider --restore-chat-history` (the chat history file in the worktree)',
  },
  opencode: {
    placement: 'after',
    args: openCodeSession,
    how: '`opencode --session <id>` (the latest session whose folder is the worktree)',
  },
};

/** Whether the session's agent can continue its conversation after its program stopped. */
export function canResume(s: Pick<Session, 'agent'>): boolean {
  return Object.prototype.hasOwnProperty.call(agentResumeRules, s.agent);
}

/**
 * The argv that continues the session's conversation — the launch arguments (hooks, approval
 * mode, the user's own) with the agent's resume arguments — or null when its agent cannot (or has
 * no conversation to continue); then the program simply restarts.
 */
export async function resumeArgs(
  s: Session,
  launchArgs: string[],
  env: Record<string, string>,
): Promise<string[] | null> {
  if (!canResume(s)) return null;
  const rule = agentResumeRules[s.agent];
  const extra = await rule.args(s, env).catch(() => null);
  if (!extra) return null;
  return rule.placement === 'before' ? [...extra, ...launchArgs] : [...launchArgs, ...extra];
}

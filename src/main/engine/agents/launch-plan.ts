import { delimiter, dirname } from 'node:path';
import type { PortBlock, Session } from '../../../shared/domain';
import { findAgentDef, findApprovalMode } from './agent-catalog';
import { hookCoverage, injectHooks, type HookCoverage, type HookPaths } from './hook-injection';
import { portEnv } from '../ports/port-env';

/** Everything a program start needs beyond the session record. */
export interface LaunchPlan {
  args: string[];
  /** Added to the session's own environment (the session's variables still win). */
  env: Record<string, string>;
  /** Text to type into the terminal once the program is ready for input, if any. */
  typeWhenReady: string | null;
  hookCoverage: HookCoverage | null;
  hookFiles: string[];
}

/**
 * The argv and environment of one program start: the agent's approval mode, its per-session
 * status hooks, the session's arguments, the prompt the way this agent takes it (first start
 * only), the port block, and the program's own folder on PATH when it was found outside PATH.
 */
export function buildLaunchPlan(
  s: Session,
  opts: { paths: HookPaths; hostPath: string; ports: PortBlock | null; hostEnv?: Record<string, string | undefined> },
): LaunchPlan {
  const def = findAgentDef(s.agent);
  const approval = s.approval.policy === 'agent' && def ? (findApprovalMode(def.id, s.approval.mode)?.args ?? []) : [];
  const hooks = def ? injectHooks(def, s.id, opts.paths, opts.hostEnv) : { args: [], env: {}, files: [] };
  const prompt = s.promptSent ? '' : s.prompt;
  let promptArgs: string[] = [];
  let typeWhenReady: string | null = null;
  if (prompt) {
    switch (s.promptDelivery) {
      case 'arg':
        promptArgs = [prompt];
        break;
      case 'flag':
        promptArgs = [def?.promptFlag ?? '--prompt', prompt];
        break;
      case 'typed':
        typeWhenReady = prompt;
        break;
      default:
        break;
    }
  }
  const env: Record<string, string> = { ...hooks.env, ...(opts.ports ? portEnv(opts.ports) : {}) };
  // An agent found in ~/.local/bin or nvm's folder needs its neighbours (node) on PATH too.
  const programDir = dirname(s.program);
  if (s.program.startsWith('/') && !opts.hostPath.split(delimiter).includes(programDir)) {
    env.PATH = [programDir, opts.hostPath].filter(Boolean).join(delimiter);
  }
  return {
    args: [...approval, ...hooks.args, ...s.args, ...promptArgs],
    env,
    typeWhenReady,
    // Hooks that could not be injected (Gemini's settings path refused) leave the status to the screen.
    hookCoverage: def && (hooks.args.length > 0 || Object.keys(hooks.env).length > 0) ? hookCoverage(def) : null,
    hookFiles: hooks.files,
  };
}

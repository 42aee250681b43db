import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The real agent CLIs in tests: installed from the npm registry at pinned versions into a private
 * cache by scripts/agent-clis.mjs (the one implementation; this file only types it), run in a
 * private HOME so the user's own config, logins and history are never read or written.
 */

const repoRoot = resolve(__dirname, '../..');
const installer = join(repoRoot, 'scripts/agent-clis.mjs');

export type AgentCliId = 'claude' | 'codex' | 'gemini' | 'opencode';

interface PinnedCli {
  package: string;
  version: string;
  bin: string;
}

/** The pinned package, version and executable name of each CLI. */
export const agentClis: Readonly<Record<AgentCliId, PinnedCli>> = z
  .record(
    z.enum(['claude', 'codex', 'gemini', 'opencode']),
    z.object({ package: z.string(), version: z.string(), bin: z.string() }),
  )
  .parse(JSON.parse(readFileSync(join(repoRoot, 'scripts/agent-clis.json'), 'utf8')));

export const agentCliIds = Object.keys(agentClis) as AgentCliId[];

export interface AgentHome {
  /** The private home folder (also the base of every XDG dir and of CODEX_HOME). */
  home: string;
  /**
   * A complete environment for a CLI, or for a host that starts CLIs: HOME and XDG dirs inside the
   * private home, the requested CLIs first on PATH, a UTF-8 locale — and none of the caller's
   * variables, so no API key or config path of the user leaks in.
   */
  env: Record<string, string>;
  cleanup(): void;
}

/**
 * A throwaway HOME with the given CLIs installed (from the cache, or one npm install of ~10 s each
 * the first time) and on PATH. Throws with npm's reason when the registry cannot be reached.
 */
export function makeAgentHome(clis: AgentCliId[] = []): AgentHome {
  const out = execFileSync(process.execPath, [installer, 'home', ...clis], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  });
  const made = z.object({ home: z.string(), env: z.record(z.string(), z.string()) }).parse(JSON.parse(out));
  return {
    ...made,
    cleanup: () => {
      stopProcessesOfHome(made.home);
      rmSync(made.home, { recursive: true, force: true });
    },
  };
}

/** The executable of one CLI, installing its pinned version first when it is not cached. */
export function ensureAgentCli(id: AgentCliId): string {
  const out = execFileSync(process.execPath, [installer, 'install', id], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  });
  const line = out.split('\n').find((l) => l.startsWith(`${id}: `));
  if (!line) throw new Error(`scripts/agent-clis.mjs printed no path for ${id}:\n${out}`);
  return line.slice(id.length + 2);
}

/**
 * Ends every process still running with `HOME=<home>` (Codex's detached `codex app-server` daemon
 * outlives the CLI): scripts/agent-clis.mjs `stop`. Returns the pids signalled.
 */
export function stopProcessesOfHome(home: string): number[] {
  const out = execFileSync(process.execPath, [installer, 'stop', home], { encoding: 'utf8', timeout: 30_000 });
  return z.array(z.number()).parse(JSON.parse(out));
}

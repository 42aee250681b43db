import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { agentCatalog, type AgentDef } from './agent-catalog';
import { isExecutableFile, resolveExecutable } from '../process/executable-lookup';

/** Where an agent's executable was found. */
export type FoundIn = 'PATH' | 'install-place';

export interface DetectedAgent {
  def: AgentDef;
  resolvedPath: string | null;
  foundIn: FoundIn | null;
}

export interface DetectionEnv {
  /** The PATH programs get (a GUI app's PATH often lacks the user's shell additions). */
  path: string;
  home: string;
  /** Extra variables some installers use (PNPM_HOME, VOLTA_HOME, BUN_INSTALL, NVM_DIR). */
  env: Record<string, string | undefined>;
}

export function hostDetectionEnv(): DetectionEnv {
  return { path: process.env.PATH ?? '', home: homedir(), env: process.env };
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
      .reverse(); // newest version folder first (v22 before v20)
  } catch {
    return [];
  }
}

/**
 * The folders installers put agent CLIs in that a GUI-started app's PATH often lacks: npm's user
 * prefix, bun, Claude Code's local install, volta, nvm's node versions, pnpm, Homebrew.
 */
export function installPlaces({ home, env }: DetectionEnv): string[] {
  const nvmDir = env.NVM_DIR ?? join(home, '.nvm');
  const places = [
    join(home, '.local', 'bin'),
    join(home, '.npm-global', 'bin'),
    join(home, '.npm-packages', 'bin'),
    join(env.BUN_INSTALL ?? join(home, '.bun'), 'bin'),
    join(home, '.claude', 'local'),
    join(env.VOLTA_HOME ?? join(home, '.volta'), 'bin'),
    ...subdirs(join(nvmDir, 'versions', 'node')).map((v) => join(nvmDir, 'versions', 'node', v, 'bin')),
    env.PNPM_HOME ?? join(home, '.local', 'share', 'pnpm'),
    join(home, '.yarn', 'bin'),
    join(home, '.opencode', 'bin'),
    join(home, '.cargo', 'bin'),
    '/usr/local/bin',
    '/opt/homebrew/bin',
  ];
  return [...new Set(places)];
}

/** Looks for one command: on PATH first, then in the usual install places. */
export function locate(command: string, denv: DetectionEnv): { path: string; foundIn: FoundIn } | null {
  const onPath = resolveExecutable(command, denv.path);
  if (onPath) return { path: onPath, foundIn: 'PATH' };
  if (command.includes('/')) return null;
  for (const dir of installPlaces(denv)) {
    const candidate = join(dir, command);
    if (isExecutableFile(candidate)) return { path: candidate, foundIn: 'install-place' };
  }
  return null;
}

/** Every catalog entry with where (if anywhere) it is installed, in catalog order. */
export function detectAgents(denv: DetectionEnv = hostDetectionEnv()): DetectedAgent[] {
  return agentCatalog.map((def) => {
    const hit = locate(def.command, denv);
    return { def, resolvedPath: hit?.path ?? null, foundIn: hit?.foundIn ?? null };
  });
}

/** How long a detection result is reused: installs are rare, but a new one should show up soon. */
const DETECTION_TTL_MS = 30_000;

/** Detection with a short cache, so the wizard and every create do not walk the disk each time. */
export class AgentDetector {
  private cached: { at: number; list: DetectedAgent[] } | null = null;

  constructor(private readonly denv: () => DetectionEnv = hostDetectionEnv) {}

  list(opts: { refresh?: boolean } = {}): DetectedAgent[] {
    const now = Date.now();
    if (!opts.refresh && this.cached && now - this.cached.at < DETECTION_TTL_MS) return this.cached.list;
    const list = detectAgents(this.denv());
    this.cached = { at: now, list };
    return list;
  }

  find(id: string): DetectedAgent | undefined {
    return this.list().find((d) => d.def.id === id);
  }

  /** Resolves a program the user named (not an agent id): PATH, then install places. */
  locate(command: string): { path: string; foundIn: FoundIn } | null {
    return locate(command, this.denv());
  }
}

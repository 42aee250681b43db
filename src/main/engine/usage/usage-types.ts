/** One billed model call read from an agent's own records. */
export interface UsageRecord {
  /** Unique within the session (message id, or file + position): re-reading a file adds nothing twice. */
  key: string;
  t: number;
  model: string;
  /** Input tokens not served from cache. */
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** The agent's own cost figure in USD when it records one (OpenCode, Aider); else priced by the table. */
  costUsd: number | null;
}

/** A rate-limit or quota notice the agent recorded. */
export interface LimitNotice {
  key: string;
  t: number;
  message: string;
}

export interface ReadResult {
  records: UsageRecord[];
  notices: LimitNotice[];
}

/** Where to look: the host's HOME and the variables the agents use to move their folders. */
export interface UsageEnv {
  home: string;
  env: Record<string, string | undefined>;
}

/** What a reader knows about the session it reads for. */
export interface UsageTarget {
  worktreePath: string;
  /** Records before this (ms) belong to someone else (a reused folder). */
  since: number;
}

/** Incremental reading state per file: JSONL files are read from the last offset, JSON files when they change. */
export type FileCursor = Map<string, { offset: number; mtimeMs: number; size: number }>;

export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const timeOf = (v: unknown): number => {
  if (typeof v === 'number') return v;
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : 0;
};

/** A path equal to or inside the worktree. */
export function insideWorktree(path: unknown, worktree: string): boolean {
  return typeof path === 'string' && (path === worktree || path.startsWith(`${worktree}/`));
}

import { z } from 'zod';
import type { Database } from '../store/database';

export const poolEntryStates = ['preparing', 'ready', 'refreshing'] as const;

const poolRowSchema = z.object({
  path: z.string(),
  repo_root: z.string(),
  base_branch: z.string(),
  rev: z.string(),
  state: z.enum(poolEntryStates),
  bytes: z.number(),
  sparse: z.string(),
  created_at: z.number(),
  updated_at: z.number(),
});

/** One warm worktree: registered with git at `rev` (detached), owned by the pool until a create claims it. */
export interface PoolEntry {
  path: string;
  repoRoot: string;
  baseBranch: string;
  rev: string;
  state: (typeof poolEntryStates)[number];
  /** Bytes of the checked-out files (what the entry costs on disk). */
  bytes: number;
  /** The sparse-checkout folders it was made with, newline-separated ('' = full checkout). */
  sparse: string;
  createdAt: number;
  updatedAt: number;
}

/** The pool's records: which folders it made (so it removes only those) and which bases to keep warm. */
export class PoolStore {
  constructor(private readonly db: Database) {}

  async list(): Promise<PoolEntry[]> {
    const rows = await this.db.all<unknown>('SELECT * FROM pool_worktrees ORDER BY created_at');
    const out: PoolEntry[] = [];
    for (const row of rows) {
      const r = poolRowSchema.safeParse(row);
      // A row we cannot read is left alone: its folder stays where it is (never removed blind).
      if (!r.success) continue;
      const v = r.data;
      out.push({
        path: v.path,
        repoRoot: v.repo_root,
        baseBranch: v.base_branch,
        rev: v.rev,
        state: v.state,
        bytes: v.bytes,
        sparse: v.sparse,
        createdAt: v.created_at,
        updatedAt: v.updated_at,
      });
    }
    return out;
  }

  async save(e: PoolEntry): Promise<void> {
    await this.db.run(
      `INSERT INTO pool_worktrees (path, repo_root, base_branch, rev, state, bytes, sparse, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET rev = excluded.rev, state = excluded.state, bytes = excluded.bytes,
         updated_at = excluded.updated_at`,
      [e.path, e.repoRoot, e.baseBranch, e.rev, e.state, e.bytes, e.sparse, e.createdAt, e.updatedAt],
    );
  }

  async delete(path: string): Promise<void> {
    await this.db.run('DELETE FROM pool_worktrees WHERE path = ?', [path]);
  }

  async noteBase(repoRoot: string, baseBranch: string, at = Date.now()): Promise<void> {
    await this.db.run(
      `INSERT INTO pool_bases (repo_root, base_branch, last_used) VALUES (?, ?, ?)
       ON CONFLICT(repo_root, base_branch) DO UPDATE SET last_used = excluded.last_used`,
      [repoRoot, baseBranch, at],
    );
  }

  /** The most recently used base of each repository, newest repository first. */
  async recentBases(limit: number): Promise<{ repoRoot: string; baseBranch: string; lastUsed: number }[]> {
    const rows = await this.db.all<unknown>(
      `SELECT repo_root, base_branch, MAX(last_used) AS last_used FROM pool_bases
       GROUP BY repo_root ORDER BY last_used DESC LIMIT ?`,
      [limit],
    );
    const row = z.object({ repo_root: z.string(), base_branch: z.string(), last_used: z.number() });
    return rows.flatMap((r) => {
      const p = row.safeParse(r);
      return p.success
        ? [{ repoRoot: p.data.repo_root, baseBranch: p.data.base_branch, lastUsed: p.data.last_used }]
        : [];
    });
  }
}

import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Session } from '../../../src/shared/domain';
import type { Harness } from '../../support/engine-harness';
import { runGit } from '../../support/temp-repo';

export interface Consistency {
  records: Session[];
  /** Linked worktrees git lists per repository (the main worktree excluded), real paths. */
  gitWorktrees: Map<string, string[]>;
  /** Worktree folders on disk under the data dir's worktree root, real paths. */
  diskWorktrees: string[];
  /** Paths cleanup.preview reports as orphans (removable or kept). */
  orphans: string[];
  /** Everything that breaks "records, git and the disk agree". Empty when consistent. */
  violations: string[];
}

export function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The warm pool keeps its own worktrees here; they are the pool's records, not sessions'. */
const POOL_SEGMENT = `${sep}.pool${sep}`;
export const isPoolPath = (p: string): boolean => p.includes(POOL_SEGMENT);

/** `git worktree list --porcelain` output without the warm pool's entries. */
export function withoutPoolWorktrees(porcelain: string): string {
  return porcelain
    .split('\n\n')
    .filter((block) => !isPoolPath(block.split('\n').find((l) => l.startsWith('worktree ')) ?? ''))
    .join('\n\n');
}

/** Linked worktrees of a repository as `git worktree list --porcelain` prints them. */
export async function gitWorktreeList(repoPath: string): Promise<Array<{ path: string; prunable: boolean }>> {
  const out = await runGit(repoPath, ['worktree', 'list', '--porcelain']);
  const entries: Array<{ path: string; prunable: boolean }> = [];
  for (const block of out.split('\n\n')) {
    const lines = block.split('\n').filter(Boolean);
    const wt = lines.find((l) => l.startsWith('worktree '));
    if (!wt) continue;
    entries.push({ path: wt.slice('worktree '.length), prunable: lines.some((l) => l.startsWith('prunable')) });
  }
  return entries.slice(1);
}

/** `<home>/worktrees/<repo-folder>/<worktree>` folders (and the warm pool's, one level down) that exist now. */
export function diskWorktrees(worktreeRoot: string): string[] {
  if (!existsSync(worktreeRoot)) return [];
  const out: string[] = [];
  for (const group of readdirSync(worktreeRoot)) {
    const g = join(worktreeRoot, group);
    if (!statSync(g).isDirectory()) continue;
    for (const wt of readdirSync(g)) {
      const p = join(g, wt);
      if (wt === '.pool') {
        for (const w of readdirSync(p)) out.push(real(join(p, w)));
        continue;
      }
      if (statSync(p).isDirectory()) out.push(real(p));
    }
  }
  return out;
}

/**
 * Checks the reconciliation invariants of the issue against a live engine:
 * every worktree on disk or in `git worktree list` is owned by a record or reported as an orphan
 * by cleanup.preview, and every live record's worktree exists (on disk and in git) or the record
 * says why not.
 */
export async function checkConsistency(h: Harness, repoPaths: string[]): Promise<Consistency> {
  const violations: string[] = [];
  const records = await h.call('sessions.list', {});
  const preview = await h.call('cleanup.preview', {});
  const orphans = [...preview.removed, ...preview.kept]
    .filter((i) => i.kind === 'orphan-worktree' || i.kind === 'orphan-directory')
    .map((i) => real(i.path ?? ''));
  const owned = new Set(records.filter((r) => r.worktreePath).map((r) => real(r.worktreePath)));
  // Warm worktrees are owned by the pool's records.
  for (const p of h.engine.pool.paths()) owned.add(real(p));
  const explained = (p: string) => owned.has(p) || orphans.includes(p);

  const gitWorktrees = new Map<string, string[]>();
  for (const repo of repoPaths) {
    const list = await gitWorktreeList(repo);
    gitWorktrees.set(
      repo,
      list.map((e) => real(e.path)),
    );
    for (const e of list) {
      if (!explained(real(e.path)))
        violations.push(`git lists ${e.path} in ${repo} but no record owns it and cleanup does not report it`);
    }
  }
  const disk = diskWorktrees(join(h.home, 'worktrees'));
  for (const p of disk) {
    if (!explained(p)) violations.push(`folder ${p} is on disk but no record owns it and cleanup does not report it`);
  }
  const registered = new Set([...gitWorktrees.values()].flat());
  for (const r of records) {
    if (r.status === 'terminated') continue;
    const says = r.worktreeMissing ?? (r.status === 'error' ? r.errorReason : null);
    const onDisk = Boolean(r.worktreePath) && existsSync(r.worktreePath);
    const inGit = Boolean(r.worktreePath) && registered.has(real(r.worktreePath));
    if ((!onDisk || !inGit) && !says) {
      violations.push(
        `record ${r.name} (${r.status}) has worktree ${r.worktreePath || '(none)'} on disk=${onDisk} in git=${inGit} and says nothing`,
      );
    }
    if (onDisk && !inGit && r.worktreeMissing === null && r.status !== 'error') {
      violations.push(`record ${r.name}: folder ${r.worktreePath} exists but git does not list it`);
    }
  }
  const integrity = await h.engine.db.integrityCheck();
  if (integrity !== 'ok') violations.push(`PRAGMA integrity_check: ${integrity}`);
  return { records, gitWorktrees, diskWorktrees: disk, orphans, violations };
}

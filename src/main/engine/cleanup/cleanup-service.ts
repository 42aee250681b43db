import { readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { CleanupItem, CleanupReport, Session } from '../../../shared/domain';
import type { Logger } from '../core/logger';
import type { WorktreeService } from '../git/worktree-service';
import type { SessionService } from '../sessions/session-service';
import type { WorktreePool } from '../pool/worktree-pool';

interface Planned {
  item: CleanupItem;
  /** Removes it; only called when the item is in `removed` (or forced). */
  apply: () => Promise<void>;
}

/**
 * Removes what terminated sessions left behind and worktrees no session owns. Anything that still
 * holds work — uncommitted changes, untracked files, commits not on the base — is kept and said
 * why, unless forced.
 */
export class CleanupService {
  constructor(
    private readonly d: { sessions: SessionService; worktrees: WorktreeService; pool: WorktreePool; log: Logger },
  ) {}

  preview(): Promise<CleanupReport> {
    return this.execute(false, true);
  }

  run(force: boolean): Promise<CleanupReport> {
    return this.execute(force, false);
  }

  private async execute(force: boolean, dryRun: boolean): Promise<CleanupReport> {
    const { removed, kept } = await this.plan(force);
    const done: CleanupItem[] = [];
    if (!dryRun) {
      for (const p of removed) {
        try {
          await p.apply();
          done.push(p.item);
        } catch (e) {
          kept.push({
            ...p,
            item: { ...p.item, reason: `Could not remove: ${e instanceof Error ? e.message : String(e)}` },
          });
        }
      }
    }
    return { dryRun, removed: dryRun ? removed.map((p) => p.item) : done, kept: kept.map((p) => p.item) };
  }

  private async plan(force: boolean): Promise<{ removed: Planned[]; kept: Planned[] }> {
    const removed: Planned[] = [];
    const kept: Planned[] = [];
    const put = (p: Planned, keepReason: string | null) => {
      if (keepReason && !force) kept.push({ ...p, item: { ...p.item, reason: keepReason } });
      else removed.push(p);
    };
    const all = this.d.sessions.list();
    for (const s of all.filter((x) => x.status === 'terminated')) {
      await this.planTerminated(s, put);
    }
    // The warm pool's worktrees are the pool's to remove (Settings → warm pool → empty).
    const known = [...all.filter((s) => s.worktreePath).map((s) => s.worktreePath), ...this.d.pool.paths()];
    const repos = Array.from(new Set(all.map((s) => s.repoPath)));
    const orphans = await this.d.worktrees.findOrphans({ knownWorktreePaths: known, repoPaths: repos });
    for (const o of orphans) {
      const item: CleanupItem = {
        kind: o.registered ? 'orphan-worktree' : 'orphan-directory',
        sessionId: null,
        sessionName: null,
        path: o.path,
        branch: null,
        repoPath: o.repoPath,
        reason: o.reason,
      };
      let keepReason: string | null = null;
      if (o.registered && o.repoPath) {
        const st = await this.d.worktrees.status(o.path);
        if (st.dirty) keepReason = `Holds ${st.uncommitted} uncommitted and ${st.untracked} untracked file(s).`;
        const repoPath = o.repoPath;
        put(
          {
            item,
            apply: async () => {
              await this.d.worktrees.remove({
                repoPath,
                worktreePath: o.path,
                branch: '',
                baseBranch: '',
                existingBranch: true,
                force: true,
                deleteBranch: false,
              });
            },
          },
          keepReason,
        );
      } else {
        const entries = existsSync(o.path) ? await readdir(o.path) : [];
        if (entries.length > 0)
          keepReason = `Not a registered worktree but holds ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} — remove with force.`;
        put({ item, apply: () => rm(o.path, { recursive: true, force: true }) }, keepReason);
      }
    }
    return { removed, kept };
  }

  private async planTerminated(s: Session, put: (p: Planned, keepReason: string | null) => void): Promise<void> {
    const base = { sessionId: s.id, sessionName: s.name, repoPath: s.repoPath };
    let holdsWork = false;
    if (s.worktreePath && existsSync(s.worktreePath)) {
      const st = await this.d.worktrees.status(s.worktreePath);
      const keep = st.dirty ? `Holds ${st.uncommitted} uncommitted and ${st.untracked} untracked file(s).` : null;
      holdsWork ||= Boolean(keep);
      put(
        {
          item: {
            ...base,
            kind: 'worktree',
            path: s.worktreePath,
            branch: s.branch,
            reason: 'Left behind by a terminated session.',
          },
          apply: async () => {
            await this.d.worktrees.remove({
              repoPath: s.repoPath,
              worktreePath: s.worktreePath,
              branch: s.branch,
              baseBranch: s.baseBranch,
              existingBranch: true,
              force: true,
              deleteBranch: false,
            });
          },
        },
        keep,
      );
    }
    if (s.branch && !s.existingBranch) {
      let unmerged: number | null;
      try {
        unmerged = await this.d.worktrees.unmergedCommits(s.repoPath, s.branch, s.baseBranch);
      } catch {
        unmerged = null; // the branch is gone already
      }
      if (unmerged !== null) {
        const keep = unmerged > 0 ? `${unmerged} commit(s) not on \`${s.baseBranch}\`.` : null;
        holdsWork ||= Boolean(keep);
        put(
          {
            item: {
              ...base,
              kind: 'branch',
              path: null,
              branch: s.branch,
              reason: 'Branch of a terminated session, fully merged.',
            },
            apply: async () => {
              await this.d.worktrees.remove({
                repoPath: s.repoPath,
                worktreePath: s.worktreePath,
                branch: s.branch,
                baseBranch: s.baseBranch,
                existingBranch: false,
                force: true,
                deleteBranch: true,
              });
            },
          },
          keep,
        );
      }
    }
    put(
      {
        item: {
          ...base,
          kind: 'record',
          path: null,
          branch: s.branch || null,
          reason: 'Record of a terminated session.',
        },
        apply: () => this.d.sessions.forget(s.id),
      },
      holdsWork ? 'Kept while its worktree or branch still holds work.' : null,
    );
  }
}

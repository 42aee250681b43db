import { existsSync } from 'node:fs';
import type { CleanupItem, CleanupReport, Session } from '../../../shared/domain';
import type { RemovalVerdict } from '../../../shared/removal';
import { describeVerdict } from '../../../shared/removal';
import { isAppError } from '../../../shared/errors';
import type { Logger } from '../core/logger';
import type { WorktreeService } from '../git/worktree-service';
import { listed } from '../safety/removal-check';
import type { RemovalService, RemovalSubject } from '../safety/removal-service';
import type { SessionService } from '../sessions/session-service';
import type { WorktreePool } from '../pool/worktree-pool';
import type { SettingsService } from '../settings/settings-service';
import { removalSubject } from '../sessions/session-termination';

interface Planned {
  item: CleanupItem;
  /** The full verdict (null: records, and items the app may never remove). */
  verdict: RemovalVerdict | null;
  /** Why it is kept whatever is accepted, or null. */
  never: string | null;
  /** Removes it, deciding again on a fresh verdict against `accepted`. */
  apply: (accepted: RemovalVerdict | null) => Promise<void>;
}

/**
 * Removes what terminated sessions left behind and worktrees no session owns — each through the
 * one removal check. An item is removed when its verdict is safe, or when the caller accepted
 * exactly its verdict (its fingerprint in `accept`); anything else is kept and the verdict says
 * why. Folders the app did not create, and those of quarantined records, are never removed.
 */
export class CleanupService {
  constructor(
    private readonly d: {
      sessions: SessionService;
      worktrees: WorktreeService;
      removal: RemovalService;
      settings: SettingsService;
      pool: WorktreePool;
      log: Logger;
    },
  ) {}

  preview(): Promise<CleanupReport> {
    return this.execute([], true);
  }

  run(accept: readonly string[]): Promise<CleanupReport> {
    return this.execute(accept, false);
  }

  private async execute(accept: readonly string[], dryRun: boolean): Promise<CleanupReport> {
    const accepted = new Set(accept);
    const removed: CleanupItem[] = [];
    const kept: CleanupItem[] = [];
    // Within a group (one terminated session: worktree, branch, record), items go in order and
    // the record goes only if everything before it went.
    for (const group of await this.plan()) {
      let allGone = true;
      for (const p of group) {
        if (p.item.kind === 'record' && !allGone) {
          kept.push({ ...p.item, reason: 'Kept while its worktree or branch still holds work.' });
          continue;
        }
        const acceptedVerdict = p.verdict && accepted.has(p.verdict.fingerprint) ? p.verdict : null;
        const go = !p.never && (p.verdict === null || p.verdict.verdict === 'safe' || acceptedVerdict !== null);
        if (!go) {
          allGone = false;
          kept.push({ ...p.item, reason: p.never ?? keepReason(p.verdict) });
          continue;
        }
        if (dryRun) {
          removed.push(p.item);
          continue;
        }
        try {
          await p.apply(acceptedVerdict);
          removed.push(p.item);
        } catch (e) {
          allGone = false;
          const verdict = isAppError(e) && e.details?.verdict ? (e.details.verdict as RemovalVerdict) : p.item.verdict;
          kept.push({ ...p.item, verdict, reason: `Not removed: ${e instanceof Error ? e.message : String(e)}` });
        }
      }
    }
    return { dryRun, removed, kept };
  }

  private async plan(): Promise<Planned[][]> {
    const { sessions, removal, worktrees } = this.d;
    const all = sessions.list();
    const quarantined = sessions.quarantined();
    const groups: Planned[][] = [];
    for (const s of all.filter((x) => x.status === 'terminated')) groups.push(await this.planTerminated(s));
    const known = [
      ...all.filter((s) => s.worktreePath).map((s) => s.worktreePath),
      ...quarantined.map((q) => q.worktreePath).filter((p): p is string => Boolean(p)),
      // The warm pool's worktrees are the pool's to remove (Settings → warm pool → empty).
      ...this.d.pool.paths(),
    ];
    const repos = Array.from(new Set(all.map((s) => s.repoPath)));
    // An unsafe root (`/`, home, someone's folder — from before roots were checked) is not even
    // searched: nothing in it can be the app's.
    const problem = await this.d.settings.worktreeRootProblem();
    if (problem) this.d.log.warn('cleanup', `orphans not searched: ${problem}`);
    const orphans = problem ? [] : await worktrees.findOrphans({ knownWorktreePaths: known, repoPaths: repos });
    const quarantinedIds = new Set(quarantined.map((q) => q.id));
    for (const o of orphans) {
      const item: CleanupItem = {
        kind: o.registered ? 'orphan-worktree' : 'orphan-directory',
        sessionId: null,
        sessionName: null,
        path: o.path,
        branch: null,
        repoPath: o.repoPath,
        reason: o.reason,
        verdict: null,
      };
      const owned = await removal.owned.assertOwned(o.path).catch((e: unknown) => (isAppError(e) ? e : null));
      if (!owned || isAppError(owned)) {
        const why = isAppError(owned) ? owned.message : 'its ownership could not be checked';
        groups.push([{ item, verdict: null, never: why, apply: async () => undefined }]);
        continue;
      }
      if (owned.sessionId && quarantinedIds.has(owned.sessionId)) {
        groups.push([
          {
            item,
            verdict: null,
            never: `It belongs to the quarantined (damaged) session record ${owned.sessionId}, so it is kept until that record is repaired or removed.`,
            apply: async () => undefined,
          },
        ]);
        continue;
      }
      const subject: RemovalSubject = {
        sessionId: owned.sessionId,
        repoPath: o.repoPath ?? owned.repoRoot,
        worktreePath: o.path,
        branch: null,
        existingBranch: true,
      };
      const verdict = await removal.check(subject, false);
      groups.push([
        {
          item: { ...item, verdict: listed(verdict) },
          verdict,
          never: null,
          apply: async (accepted) => void (await removal.remove(subject, false, accepted)),
        },
      ]);
    }
    return groups;
  }

  private async planTerminated(s: Session): Promise<Planned[]> {
    const { removal, sessions } = this.d;
    const base = { sessionId: s.id, sessionName: s.name, repoPath: s.repoPath };
    const out: Planned[] = [];
    const subject = removalSubject(s);
    if (s.worktreePath && existsSync(s.worktreePath)) {
      const verdict = await removal.check(subject, false);
      out.push({
        item: {
          ...base,
          kind: 'worktree',
          path: s.worktreePath,
          branch: s.branch,
          reason: 'Left behind by a terminated session.',
          verdict: listed(verdict),
        },
        verdict,
        never: null,
        apply: async (accepted) => void (await removal.remove(subject, false, accepted)),
      });
    }
    if (s.branch && !s.existingBranch && (await this.branchExists(s))) {
      // Judged as if the worktree goes too: its HEAD must not be what keeps the branch's commits alive.
      const verdict = await removal.check(subject, true);
      out.push({
        item: {
          ...base,
          kind: 'branch',
          path: null,
          branch: s.branch,
          reason: 'Branch of a terminated session; nothing on it would be lost.',
          verdict: listed(verdict),
        },
        verdict,
        never: null,
        apply: async (accepted) => {
          const res = await removal.remove(subject, true, accepted);
          if (!res.deletedBranch) throw new Error(res.keptBranchReason ?? 'the branch was kept');
        },
      });
    }
    out.push({
      item: {
        ...base,
        kind: 'record',
        path: null,
        branch: s.branch || null,
        reason: 'Record of a terminated session.',
        verdict: null,
      },
      verdict: null,
      never: null,
      apply: () => sessions.forget(s.id),
    });
    return out;
  }

  private async branchExists(s: Session): Promise<boolean> {
    try {
      const list = await this.d.worktrees.listBranches(s.repoPath);
      return list.includes(s.branch);
    } catch {
      return false; // the repository is gone, and its branches with it
    }
  }
}

function keepReason(v: RemovalVerdict | null): string {
  if (!v) return 'Kept.';
  return `Kept: it ${describeVerdict(v)} — accept its fingerprint ${v.fingerprint} to remove it anyway.`;
}

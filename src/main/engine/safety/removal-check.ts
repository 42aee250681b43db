import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MAX_LISTED_ITEMS, type LossItem, type RemovalTarget, type RemovalVerdict } from '../../../shared/removal';
import { isAppError } from '../../../shared/errors';
import type { GitClient } from '../git/git-client';
import { listWorktreeEntries, type WorktreeEntry } from '../git/worktree-list';
import { commitsLost } from './commit-loss';
import { sha256 } from './content-hash';
import { uncommittableWork } from './uncommittable-work';
import { workInWorktree, type PlacedFiles } from './worktree-work';

/** What a caller asks before removing a worktree folder, deleting a branch, or both. */
export interface RemovalQuestion {
  /** The repository as recorded (its main worktree). */
  repoPath: string;
  worktreePath: string | null;
  branch: string | null;
  deleteBranch: boolean;
  /** The branch existed before the session: deleting it is a loss to accept in itself. */
  branchIsForeign: boolean;
  /** Files the app placed at creation; unedited ones are not work. */
  placed: PlacedFiles;
  /** Ignored files that count as work when new or edited (`.env*` …). */
  keepIgnoredPatterns: readonly string[];
  /**
   * `pause`: the folder goes after its work is committed to the branch, so uncommitted and new
   * files are not lost — but every ignored file or folder (node_modules, .env, build output),
   * empty folders and nested repositories are, since git cannot commit them.
   */
  purpose?: 'remove' | 'pause';
  /**
   * Pause's removal: what in the folder now differs from the tree pause committed (asked under
   * the repository lock, right before the folder goes). Anything written after the WIP commit is
   * listed, so the fresh verdict differs from the accepted one and the removal refuses.
   */
  sinceCommitted?: (git: GitClient) => Promise<LossItem[]>;
  /**
   * Work the removal ends that lives outside the folder and the repository: a paused session's
   * exact file bytes kept aside in the data dir (git stores those files converted).
   */
  alsoLost?: () => Promise<LossItem[]>;
}

/** A condition under which git cannot say what a removal would lose. */
class CannotTell extends Error {}

type FolderState = 'none' | 'missing' | 'empty' | 'present';

async function folderState(path: string | null): Promise<FolderState> {
  if (!path) return 'none';
  const info = await stat(path).catch(() => null);
  if (!info) return 'missing';
  if (!info.isDirectory()) return 'present';
  return (await readdir(path)).length === 0 ? 'empty' : 'present';
}

async function real(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Why git could not answer, in words a person can act on. */
function reasonFor(e: unknown): string {
  if (e instanceof CannotTell) return e.message;
  if (isAppError(e)) {
    if (e.code === 'TIMEOUT') return `git did not answer in time (${e.message})`;
    return `git could not answer: ${e.message}`;
  }
  return `the check failed: ${e instanceof Error ? e.message : String(e)}`;
}

/** The fingerprint a caller echoes back to accept exactly this verdict. */
export function fingerprintOf(target: RemovalTarget, kind: RemovalVerdict['verdict'], parts: string[]): string {
  const t = [target.repoPath, target.worktreePath ?? '', target.branch ?? '', String(target.deleteBranch)];
  return sha256(JSON.stringify([kind, t, [...parts].sort()])).slice(0, 20);
}

// A pause verdict never matches a removal's: accepting what pausing loses is not accepting a terminate.
const purposeParts = (q: RemovalQuestion): string[] => (q.purpose === 'pause' ? ['purpose:pause'] : []);

function verdictFrom(target: RemovalTarget, items: LossItem[], extra: string[]): RemovalVerdict {
  if (items.length === 0) return { verdict: 'safe', target, fingerprint: fingerprintOf(target, 'safe', extra) };
  return {
    verdict: 'loses',
    target,
    fingerprint: fingerprintOf(target, 'loses', [...items.map((i) => i.key), ...extra]),
    items,
    total: items.length,
  };
}

function cannotTell(target: RemovalTarget, reason: string, extra: string[]): RemovalVerdict {
  return {
    verdict: 'cannot-tell',
    target,
    reason,
    fingerprint: fingerprintOf(target, 'cannot-tell', [reason, ...extra]),
  };
}

/**
 * THE check: what would removing this worktree and/or deleting this branch lose? Uncommitted,
 * untracked and ignored-but-work files, submodule changes and unpushed submodule commits, commits
 * no other ref reaches (branch, detached HEAD, HEAD reflog), stashes made on the branch, a locked
 * worktree, a branch the session did not create. Fails closed: whenever git cannot answer
 * (repository moved or deleted, ownership refused, corruption, git missing, a timeout, a folder
 * git no longer knows) the verdict is `cannot-tell` with the reason — never "clean".
 */
export async function checkRemoval(git: GitClient, q: RemovalQuestion): Promise<RemovalVerdict> {
  const target: RemovalTarget = {
    repoPath: q.repoPath,
    worktreePath: q.worktreePath ? resolve(q.worktreePath) : null,
    branch: q.branch || null,
    deleteBranch: q.deleteBranch && Boolean(q.branch),
  };
  try {
    return verdictFrom(target, await collectLosses(git, q, target), purposeParts(q));
  } catch (e) {
    return cannotTell(target, reasonFor(e), purposeParts(q));
  }
}

/** The repository's top folder, in one git process (a full `resolveRepo` is not needed to look). */
async function repoRoot(git: GitClient, repoPath: string): Promise<string> {
  const out = await git.run(repoPath, ['rev-parse', '--path-format=absolute', '--show-toplevel']);
  return out.trim();
}

/** Commits a worktree's HEAD pointed at (its own reflog file: no git process needed). */
async function headReflog(gitDir: string): Promise<string[]> {
  const text = await readFile(join(gitDir, 'logs', 'HEAD'), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return ''; // no reflog kept: nothing only it remembers
    throw e;
  });
  return text
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((sha) => /^[0-9a-f]{40,64}$/.test(sha) && !/^0+$/.test(sha));
}

async function collectLosses(git: GitClient, q: RemovalQuestion, target: RemovalTarget): Promise<LossItem[]> {
  const wt = target.worktreePath;
  const folder = await folderState(wt);
  if (!(await isDirectory(q.repoPath))) {
    if (folder === 'present') {
      throw new CannotTell(
        `the repository ${q.repoPath} no longer exists (moved or deleted), so git cannot say what in ${wt} is unsaved work`,
      );
    }
    return []; // Nothing left on disk: no folder to lose, and no branch without its repository.
  }
  const root = await repoRoot(git, q.repoPath);
  const entries = await listWorktreeEntries(git, root);
  const realWt = wt ? await real(wt) : null;
  let entry: WorktreeEntry | null = null;
  for (const e of entries) if (realWt && (await real(e.path)) === realWt) entry = e;
  if (entry && entry === entries[0]) throw new CannotTell(`${wt} is the repository itself, not a session worktree`);

  const items: LossItem[] = [];
  let removedHead: string | null = null;
  let removedReflog: string[] = [];
  if (wt && folder !== 'missing' && folder !== 'none') {
    if (!entry) {
      if (folder === 'present') {
        throw new CannotTell(
          `git no longer lists ${wt} as a worktree of ${root}, so it cannot say which of its files are unsaved work`,
        );
      }
    } else {
      const probe = await git.run(wt, ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir']);
      const [top, gitDir] = probe.split('\n').map((l) => l.trim());
      if ((await real(top)) !== realWt)
        throw new CannotTell(`git sees ${wt} as part of ${top}, not as its own worktree`);
      if (entry.locked) {
        items.push({
          kind: 'locked',
          subject: wt,
          detail: `the worktree ${wt} is locked (git worktree lock)`,
          key: `l:${wt}`,
        });
      }
      if (q.purpose === 'pause') items.push(...(await uncommittableWork(git, wt, q.placed)));
      else
        items.push(
          ...(await workInWorktree(git, wt, { placed: q.placed, keepIgnoredPatterns: q.keepIgnoredPatterns })),
        );
      if (q.sinceCommitted) items.push(...(await q.sinceCommitted(git)));
      removedHead = entry.head;
      removedReflog = await headReflog(gitDir);
    }
  } else if (entry) {
    // The folder is gone but git still lists it: its HEAD goes when the entry is pruned.
    removedHead = entry.head;
  }

  // The branch's tip and whether any stash exists, in one git process.
  const branchRef = target.branch ? `refs/heads/${target.branch}` : null;
  const refLines = await git.run(root, [
    'for-each-ref',
    '--format=%(refname)%09%(objectname)',
    ...(branchRef ? [branchRef] : []),
    'refs/stash',
  ]);
  const refs = new Map(
    refLines
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t') as [string, string]),
  );
  let deleteBranch: string | null = null;
  if (target.deleteBranch && target.branch && branchRef && refs.has(branchRef)) {
    deleteBranch = target.branch;
    if (q.branchIsForeign) {
      items.push({
        kind: 'foreign-branch',
        subject: deleteBranch,
        detail: `branch ${deleteBranch} existed before the session — deleting it removes a branch the session did not create`,
        key: `f:${deleteBranch}:${refs.get(branchRef)}`,
      });
    }
  }
  const otherHeads = entries.filter((e) => e !== entry && e.head).map((e) => e.head as string);
  items.push(...(await commitsLost(git, { repoRoot: root, deleteBranch, removedHead, removedReflog, otherHeads })));
  // Stashes are kept per branch: the target's, or whatever branch the removed worktree has checked out.
  const stashBranch = target.branch ?? entry?.branch ?? null;
  if (stashBranch && refs.has('refs/stash') && (entry || deleteBranch)) {
    items.push(...(await stashesOn(git, root, stashBranch)));
  }
  if (q.alsoLost) items.push(...(await q.alsoLost()));
  return items;
}

/** Stash entries made on the branch: the one place the session's parked work is remembered. */
async function stashesOn(git: GitClient, root: string, branch: string): Promise<LossItem[]> {
  const out = await git.run(root, ['stash', 'list', '--format=%H%x09%gd%x09%gs']);
  const items: LossItem[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    const [sha, name, subject] = line.split('\t');
    if (!subject || !(subject.startsWith(`WIP on ${branch}:`) || subject.startsWith(`On ${branch}:`))) continue;
    items.push({
      kind: 'stash',
      subject: name,
      detail: `${name}: ${subject.slice(0, 80)} (stashed on ${branch})`,
      key: `st:${sha}`,
    });
  }
  return items;
}

/** The verdict as sent to a client: at most `MAX_LISTED_ITEMS` items (the fingerprint covers all). */
export function listed(v: RemovalVerdict): RemovalVerdict {
  return v.verdict === 'loses' && v.items.length > MAX_LISTED_ITEMS
    ? { ...v, items: v.items.slice(0, MAX_LISTED_ITEMS) }
    : v;
}

/**
 * Whether a fresh verdict is covered by the one the user accepted: safe always is; a loss only
 * when every item (with its content) was in the accepted list; cannot-tell only when the accepted
 * verdict was the very same cannot-tell. Both verdicts must be full (engine-side, not `listed`).
 */
export function isCovered(fresh: RemovalVerdict, accepted: RemovalVerdict | null): boolean {
  if (fresh.verdict === 'safe') return true;
  if (!accepted) return false;
  if (fresh.verdict === 'cannot-tell') return accepted.fingerprint === fresh.fingerprint;
  if (accepted.verdict !== 'loses') return false;
  if (accepted.fingerprint === fresh.fingerprint) return true;
  const keys = new Set(accepted.items.map((i) => i.key));
  return fresh.items.every((i) => keys.has(i.key));
}

import { copyFile, lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import type { LossItem } from '../../../shared/removal';
import type { GitClient } from '../git/git-client';
import { gitPaths } from '../review/repo-state';
import { contentHash } from '../safety/content-hash';
import type { PlacedFiles } from '../safety/worktree-work';

/** What pause saved in git: the branch tip before, the work-in-progress commit, the pause record ref. */
export interface SavedWork {
  base: string;
  wip: string | null;
  ref: string | null;
  sparse?: { cone: boolean; patterns: string[] } | null;
}

/** The ref holding a paused session's staged state (`index/`; records of older versions also `placed/`). */
export const pauseRefOf = (sessionId: string): string => `refs/multisession/paused/${sessionId}`;

/** Where a WIP commit the branch does not hold is kept (an interrupted pause whose branch moved). */
export const wipRefOf = (sessionId: string): string => `refs/multisession/wip/${sessionId}`;

// Used only when the repository has no identity of its own: the WIP commit is made for the user.
const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: 'Multisession',
  GIT_AUTHOR_EMAIL: 'pause@multisession.invalid',
  GIT_COMMITTER_NAME: 'Multisession',
  GIT_COMMITTER_EMAIL: 'pause@multisession.invalid',
};

const exists = (path: string): Promise<boolean> =>
  lstat(path).then(
    () => true,
    () => false,
  );

/** A placed file kept aside by pause: a regular file, unedited since the app put it there. */
const keptAside = (hash: string): boolean =>
  hash !== 'dir' && hash !== 'missing' && !hash.startsWith('link:') && !hash.startsWith('special:');

/** The app's placed files still as placed (pause keeps them out of the WIP commit, aside in the data dir). */
export async function unchangedPlaced(worktree: string, placed: PlacedFiles): Promise<string[]> {
  const out: string[] = [];
  for (const [path, hash] of placed) {
    if (keptAside(hash) && (await contentHash(join(worktree, path))) === hash) out.push(path);
  }
  return out.sort();
}

/** A fresh owner-only (0700, mkdtemp) folder for an index or path list: paths of the user's files stay private. */
const privateDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'ms-pause-'));

/** A private index file for one git operation that must not touch the worktree's own index. */
async function withIndex<T>(
  git: GitClient,
  cwd: string,
  copyOwn: boolean,
  fn: (env: { GIT_INDEX_FILE: string }) => Promise<T>,
): Promise<T> {
  const dir = await privateDir();
  const file = join(dir, 'index');
  const env = { GIT_INDEX_FILE: file };
  try {
    if (copyOwn) {
      const [own] = await gitPaths(git, cwd, ['index']);
      const copied = await copyFile(own, file).then(
        () => true,
        () => false,
      );
      if (!copied) await git.run(cwd, ['read-tree', 'HEAD'], { env });
    }
    return await fn(env);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs git with a NUL-separated list of literal paths (any number, any characters). */
async function withPathList<T>(paths: string[], fn: (args: string[]) => Promise<T>): Promise<T> {
  const dir = await privateDir();
  const file = join(dir, 'paths');
  await writeFile(file, `${paths.join('\0')}\0`);
  try {
    return await fn([`--pathspec-from-file=${file}`, '--pathspec-file-nul']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function commitTree(git: GitClient, cwd: string, args: string[]): Promise<string> {
  const first = await git.exec(cwd, ['commit-tree', ...args]);
  if (first.exitCode === 0) return first.stdout.trim();
  // No user.name / user.email configured: commit as Multisession rather than fail the pause.
  return (await git.run(cwd, ['commit-tree', ...args], { env: FALLBACK_IDENTITY })).trim();
}

/**
 * The tree of the folder as it is (tracked changes and new files, not ignored ones), with the
 * `leaveOut` paths at `base`'s version (or absent) — what the WIP commit holds.
 */
export async function folderTree(git: GitClient, worktree: string, base: string, leaveOut: string[]): Promise<string> {
  return withIndex(git, worktree, true, async (env) => {
    // --sparse: files outside a sparse checkout's cone that were written there are work too (git 2.35+).
    await git.run(worktree, ['add', '--all', '--sparse', '--', '.'], { env });
    const paths = leaveOut.map((p) => p.replace(/\/$/, ''));
    if (paths.length > 0) {
      // Back to base's version (or out, when base has none): these stay out of the commit.
      await withPathList(paths, (spec) =>
        git.run(worktree, ['--literal-pathspecs', 'reset', '-q', base, ...spec], { env }),
      );
    }
    return (await git.run(worktree, ['write-tree'], { env })).trim();
  });
}

/**
 * What in the folder differs from `committed` (the tree pause committed: the WIP commit's, or
 * base's when there was nothing to commit), as loss items — a file written after the snapshot.
 */
export async function changedSinceCommitted(
  git: GitClient,
  worktree: string,
  base: string,
  committed: string,
  leaveOut: string[],
): Promise<LossItem[]> {
  const now = await folderTree(git, worktree, base, leaveOut);
  if (now === committed) return [];
  // Raw records: ":<mode> <mode> <sha> <sha> <status>\0<path>\0".
  const parts = (await git.run(worktree, ['diff-tree', '-r', '-z', '--no-renames', committed, now])).split('\0');
  const items: LossItem[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [, , , after, status] = parts[i].split(' ');
    const path = parts[i + 1];
    if (!path) continue;
    items.push({
      kind: status === 'A' ? 'untracked' : 'uncommitted',
      subject: path,
      detail: `${path} (${status === 'D' ? 'deleted' : 'written'} after pause committed the work — not in the WIP commit)`,
      key: `pw:${path}:${after}`,
    });
  }
  return items;
}

/**
 * Records a worktree's state in git without touching its folder, index or branch: the staged
 * state (index tree), a work-in-progress commit on top of HEAD holding every tracked change and new
 * file (not the app's unedited placed files, not `exclude`d paths), and the pause record ref
 * with the index tree. Moving the branch is a separate step (`moveBranch`).
 */
export async function saveWork(
  git: GitClient,
  worktree: string,
  o: { sessionId: string; placedKept: string[]; exclude: string[]; message: string },
): Promise<SavedWork> {
  const base = (await git.run(worktree, ['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
  const baseTree = (await git.run(worktree, ['rev-parse', `${base}^{tree}`])).trim();
  const indexTree = await withIndex(git, worktree, true, async (env) =>
    (await git.run(worktree, ['write-tree'], { env })).trim(),
  );
  const workTree = await folderTree(git, worktree, base, [...o.placedKept, ...o.exclude]);
  const wip = workTree === baseTree ? null : await commitTree(git, worktree, [workTree, '-p', base, '-m', o.message]);

  // Placed files are kept out of the commit and out of the object store (PlacedAside keeps them).
  if (indexTree === (wip ? workTree : baseTree)) return { base, wip, ref: null };
  const recordTree = await withIndex(git, worktree, false, async (env) => {
    await git.run(worktree, ['read-tree', '--prefix=index/', indexTree], { env });
    return (await git.run(worktree, ['write-tree'], { env })).trim();
  });
  // Parentless: resume reads only its tree (`ref:index`). With `base` as parent the
  // ref would keep every branch commit alive, hiding them from the loss check of a branch deletion.
  const record = await commitTree(git, worktree, [
    recordTree,
    '-m',
    `Multisession pause record of session ${o.sessionId} (staged state)`,
  ]);
  const ref = pauseRefOf(o.sessionId);
  await git.run(worktree, ['update-ref', '-m', 'multisession: pause', ref, record]);
  return { base, wip, ref };
}

/** A worktree's sparse checkout, or null when every file is checked out. */
export async function sparseOf(
  git: GitClient,
  worktree: string,
): Promise<{ cone: boolean; patterns: string[] } | null> {
  const on = await git.exec(worktree, ['config', '--bool', 'core.sparseCheckout']);
  if (on.stdout.trim() !== 'true') return null;
  const cone = (await git.exec(worktree, ['config', '--bool', 'core.sparseCheckoutCone'])).stdout.trim() === 'true';
  const patterns = (await git.run(worktree, ['sparse-checkout', 'list'])).split('\n').filter(Boolean);
  return { cone, patterns };
}

/**
 * Moves the branch from `from` to `to` only if it is still at `from` (false: it moved meanwhile).
 * Run it in the repository's main folder: there HEAD is not this branch, so the move is not written
 * into the session worktree's own HEAD history (where the removal check would count the WIP commit
 * as work only that history remembers).
 */
export async function moveBranch(
  git: GitClient,
  cwd: string,
  branch: string,
  to: string,
  from: string,
): Promise<boolean> {
  const r = await git.exec(cwd, ['update-ref', '-m', 'multisession: pause', `refs/heads/${branch}`, to, from]);
  return r.exitCode === 0;
}

/** The branch's tip, or null when it does not exist. */
export async function branchTip(git: GitClient, cwd: string, branch: string): Promise<string | null> {
  const r = await git.exec(cwd, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

/** Writes the files `wip` added or changed against `base` that the sparse checkout left out. */
async function writeOutsideCone(git: GitClient, worktree: string, base: string, wip: string): Promise<void> {
  const changed = (
    await git.run(worktree, ['diff-tree', '-r', '-z', '--name-only', '--no-renames', '--diff-filter=AMT', base, wip])
  )
    .split('\0')
    .filter(Boolean);
  const missing: string[] = [];
  for (const path of changed) if (!(await exists(join(worktree, path)))) missing.push(path);
  if (missing.length === 0) return;
  await withPathList(missing, (spec) =>
    git.run(worktree, [
      '--literal-pathspecs',
      'restore',
      `--source=${wip}`,
      '--worktree',
      '--ignore-skip-worktree-bits',
      ...spec,
    ]),
  );
}

/**
 * In a worktree just checked out on the branch: when the branch tip is still pause's commit,
 * takes it off again (HEAD back to `base`) and gives back the staged state (and the placed files
 * a record of an older version holds; now they are kept aside in the data dir). Returns whether the work-in-progress state was restored (false: the branch
 * moved while paused, and its tip is left as it is — the WIP commit stays in its history).
 */
export async function restoreWork(git: GitClient, worktree: string, saved: SavedWork): Promise<boolean> {
  const head = (await git.run(worktree, ['rev-parse', 'HEAD'])).trim();
  const restored = head === (saved.wip ?? saved.base);
  const record = saved.ref
    ? await git.exec(worktree, ['rev-parse', '--verify', '--quiet', `${saved.ref}^{commit}`])
    : null;
  const hasRecord = record !== null && record.exitCode === 0;
  if (restored) {
    // A sparse checkout wrote only the cone's files: the work outside it (files the program wrote
    // there, committed by pause) is written back too, or taking the commit off would lose it.
    if (saved.wip && saved.sparse) await writeOutsideCone(git, worktree, saved.base, saved.wip);
    if (saved.wip) await git.run(worktree, ['reset', '--soft', '-q', saved.base]);
    // The staged state as it was; without a record every change comes back unstaged.
    if (hasRecord) await git.run(worktree, ['read-tree', `${saved.ref}:index`]);
    else if (saved.wip) await git.run(worktree, ['reset', '-q', saved.base]);
    // read-tree drops the skip-worktree bits: files outside a sparse checkout are marked again.
    if (saved.sparse) await git.run(worktree, ['sparse-checkout', 'reapply']);
  }
  // The recreated worktree's HEAD history holds only resume's own steps (its checkout of the WIP
  // commit): cleared, so a later pause or terminate does not count that commit as lost work.
  const [headLog] = await gitPaths(git, worktree, ['logs/HEAD']);
  await writeFile(headLog, '').catch(() => undefined); // none kept (core.logAllRefUpdates off): nothing to clear
  if (hasRecord) {
    // Records made before the placed files moved out of the object store hold them under `placed/`.
    const placed = await git.exec(worktree, ['rev-parse', '--verify', '--quiet', `${saved.ref}:placed`]);
    if (placed.exitCode === 0) {
      await withIndex(git, worktree, false, async (env) => {
        await git.run(worktree, ['read-tree', `${saved.ref}:placed`], { env });
        await git.run(worktree, ['checkout-index', '--all', '--force'], { env });
      });
    }
  }
  return restored;
}

/** Drops the pause record ref (after resume, or when the session ends). */
export async function dropPauseRecord(git: GitClient, cwd: string, ref: string | null): Promise<void> {
  if (ref) await git.exec(cwd, ['update-ref', '-d', ref]);
}

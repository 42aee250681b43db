import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { GitClient } from '../git/git-client';
import { contentHash } from './content-hash';
import { parseStatusV2, type PlacedFiles } from './worktree-work';

export interface UserCommitPlan {
  /** Paths the commit takes, with what happened to each. */
  commit: Array<{ path: string; change: string }>;
  /** Paths left out, with why (placed by the app and unedited). */
  excluded: Array<{ path: string; reason: string }>;
}

const PLACED_REASON =
  'placed by Multisession when the session was created (copied in or made by the setup script) and not edited since';

function changeOf(code: string, from?: string): string {
  if (code === '??') return 'new file';
  if (from) return `renamed from ${from}`;
  const c = code.replace(/\./g, '');
  if (c.includes('D')) return 'deleted';
  if (c.includes('A')) return 'added';
  return 'modified';
}

/**
 * What a commit made for the user (commit before terminate, pause) would contain: every changed,
 * deleted or new file that is not ignored — except the files the app placed at creation that
 * nobody edited since (copied-in `.env.local`, setup output), so no secret the app copied in ever
 * reaches the branch's history by the app's hand. Ignored files are never committed.
 */
export async function planUserCommit(git: GitClient, worktree: string, placed: PlacedFiles): Promise<UserCommitPlan> {
  const plan: UserCommitPlan = { commit: [], excluded: [] };
  const status = await git.run(worktree, ['status', '--porcelain=v2', '-z', '--untracked-files=all']);
  for (const e of parseStatusV2(status)) {
    if (e.kind === 'submodule') {
      // Only a moved submodule commit is something the superproject can record.
      if (e.code[1] === 'C') plan.commit.push({ path: e.path, change: 'submodule commit moved' });
      continue;
    }
    if (e.code !== 'UU') {
      const at = placed.get(e.path);
      if (at !== undefined && at === (await contentHash(join(worktree, e.path)))) {
        plan.excluded.push({ path: e.path, reason: PLACED_REASON });
        continue;
      }
    }
    plan.commit.push({ path: e.path, change: e.code === 'UU' ? 'unresolved conflict' : changeOf(e.code, e.from) });
    if (e.from) plan.commit.push({ path: e.from, change: `renamed to ${e.path}` });
  }
  return plan;
}

/**
 * Commits exactly the plan's paths on the worktree's branch (other staged changes stay staged and
 * out of the commit). Returns the new commit id, or null when the plan is empty. Hooks and signing
 * are skipped: this commit saves work on the user's behalf and nobody is there to answer them.
 */
export async function commitUserWork(
  git: GitClient,
  worktree: string,
  message: string,
  placed: PlacedFiles,
): Promise<{ commit: string | null; plan: UserCommitPlan }> {
  const text = message.trim();
  if (!text) throw new AppError('BAD_INPUT', 'Give the commit a message.');
  const plan = await planUserCommit(git, worktree, placed);
  if (plan.commit.some((c) => c.change === 'unresolved conflict')) {
    throw new AppError(
      'INVALID_STATE',
      `${worktree} has unresolved merge conflicts — resolve them before committing.`,
      { paths: plan.commit.filter((c) => c.change === 'unresolved conflict').map((c) => c.path) },
    );
  }
  if (plan.commit.length === 0) return { commit: null, plan };
  const dir = await mkdtemp(join(tmpdir(), 'ms-commit-'));
  try {
    const list = join(dir, 'paths');
    await writeFile(list, `${plan.commit.map((c) => c.path).join('\0')}\0`);
    const spec = [`--pathspec-from-file=${list}`, '--pathspec-file-nul'];
    await git.run(worktree, ['--literal-pathspecs', 'add', '--all', ...spec]);
    await git.run(worktree, [
      '--literal-pathspecs',
      'commit',
      '--quiet',
      '--no-verify',
      '--no-gpg-sign',
      '-m',
      text,
      ...spec,
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { commit: (await git.run(worktree, ['rev-parse', 'HEAD'])).trim(), plan };
}

import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RepoScript, RepoScriptKind } from '../../../shared/repo-scripts';
import { AppError } from '../../../shared/errors';
import { WORKTREE_INCLUDE } from '../git/worktree-include';

/** The setup script a repository may carry for new worktrees (run in each one, like Conductor's setup script). */
export const REPO_SETUP_SCRIPT = '.multisession/setup.sh';
/** Past this a script is not something a person reviews on screen. */
export const MAX_REPO_SCRIPT_BYTES = 100_000;

const FILES: Record<RepoScriptKind, string> = {
  'setup-script': REPO_SETUP_SCRIPT,
  'worktree-include': WORKTREE_INCLUDE,
};

export const sha256 = (content: string): string => createHash('sha256').update(content, 'utf8').digest('hex');

/**
 * One repository-provided file as it is on disk now, or null when the repository has none. Only a
 * regular file counts (a symlink could point anywhere on the machine); its content is read once,
 * and that exact text is what the user reviews, what is hashed and what is later run or applied.
 */
async function readRepoScript(repoRoot: string, kind: RepoScriptKind): Promise<Omit<RepoScript, 'trusted'> | null> {
  const path = join(repoRoot, FILES[kind]);
  const st = await lstat(path).catch(() => null);
  if (!st?.isFile()) return null;
  if (st.size > MAX_REPO_SCRIPT_BYTES) {
    throw new AppError(
      'BAD_INPUT',
      `${path} is ${st.size} bytes — more than ${MAX_REPO_SCRIPT_BYTES} is too much to review; shorten it or create with the repository's scripts skipped.`,
      { path },
    );
  }
  const content = await readFile(path, 'utf8');
  return { kind, path, content, sha256: sha256(content) };
}

/** The repository's own setup script and copy-in list (when it has them), unreviewed. */
export async function readRepoScripts(repoRoot: string): Promise<Omit<RepoScript, 'trusted'>[]> {
  const found = await Promise.all([
    readRepoScript(repoRoot, 'setup-script'),
    readRepoScript(repoRoot, 'worktree-include'),
  ]);
  return found.filter((s): s is Omit<RepoScript, 'trusted'> => s !== null);
}

import { createHash } from 'node:crypto';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { branchSlug } from './branch-names';

/** Under each repository's folder of the worktree root, the warm pool keeps its worktrees here. */
export const WARM_POOL_FOLDER = '.pool';

/**
 * `<repo-name>-<8 hex of a hash of the repository root>`: readable, and distinct for two
 * repositories that share a folder name.
 */
export function repoFolderName(repoRoot: string): string {
  const name =
    basename(repoRoot)
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 40) || 'repo';
  const hash = createHash('sha256').update(repoRoot).digest('hex').slice(0, 8);
  return `${name}-${hash}`;
}

/** `<root>/<repo-folder>/<branch-slug>-<first 8 of sessionId>`. */
export function worktreePathFor(root: string, repoRoot: string, branch: string, sessionId: string): string {
  const id = sessionId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 8) || 'session';
  return join(resolve(root), repoFolderName(repoRoot), `${branchSlug(branch)}-${id}`);
}

/** Whether `path` lies strictly inside `root` (lexically; callers pass real paths). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel.length > 0 && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

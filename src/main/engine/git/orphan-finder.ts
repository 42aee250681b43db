import { readdir, readFile, realpath } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { GitContext } from './git-context';
import { resolveRepo } from './repo-inspection';
import { listWorktreeEntries } from './worktree-list';
import { isInside, WARM_POOL_FOLDER } from './worktree-paths';

export interface Orphan {
  path: string;
  repoPath: string | null;
  /** Whether the repository still lists it as a worktree (cleanup needs `git worktree remove`). */
  registered: boolean;
  reason: string;
}

async function real(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
}

/** The repository a linked worktree belongs to, from its `.git` file (`gitdir: <repo>/.git/worktrees/<name>`). */
async function owningRepo(worktreePath: string): Promise<string | null> {
  const text = await readFile(join(worktreePath, '.git'), 'utf8').catch(() => null);
  const m = text?.match(/^gitdir:\s*(.+?)\s*$/m);
  if (!m) return null;
  const at = m[1].replace(/\\/g, '/').lastIndexOf('/.git/worktrees/');
  return at === -1 ? null : m[1].slice(0, at);
}

/**
 * Worktrees and folders under the worktree root that no session owns: registered worktrees of the
 * given repositories (including ones whose folder is gone) and any `<repo>/<worktree>` folder.
 */
export async function findOrphans(
  ctx: GitContext,
  opts: { knownWorktreePaths: string[]; repoPaths: string[] },
): Promise<Orphan[]> {
  const root = await real(ctx.worktreeRoot());
  const known = new Set(await Promise.all(opts.knownWorktreePaths.map(real)));
  const found = new Map<string, Orphan>();
  const registeredIn = new Map<string, Set<string>>();

  const registeredPaths = async (repoPath: string): Promise<Set<string> | null> => {
    const cached = registeredIn.get(repoPath);
    if (cached) return cached;
    try {
      const repo = await resolveRepo(ctx.git, repoPath);
      const entries = await listWorktreeEntries(ctx.git, repo.root);
      const paths = new Set(await Promise.all(entries.map((e) => real(e.path))));
      registeredIn.set(repoPath, paths);
      for (const e of entries.slice(1)) {
        const p = await real(e.path);
        if (!isInside(root, p) || known.has(p) || found.has(p)) continue;
        if (relative(root, p).split(sep)[1] === WARM_POOL_FOLDER) continue;
        found.set(p, {
          path: e.path,
          repoPath: repo.root,
          registered: true,
          reason: e.prunable
            ? 'registered worktree whose folder is gone'
            : `worktree${e.branch ? ` on ${e.branch}` : ''} that no session owns`,
        });
      }
      return paths;
    } catch (e) {
      ctx.log.warn(
        'git',
        `skipped ${repoPath} while looking for orphans: ${e instanceof Error ? e.message : String(e)}`,
      );
      return null;
    }
  };

  for (const repoPath of opts.repoPaths) await registeredPaths(repoPath);

  for (const group of await subfolders(root)) {
    for (const folder of await subfolders(group)) {
      // The warm pool's folder belongs to the pool, which removes its own worktrees.
      if (basename(folder) === WARM_POOL_FOLDER) continue;
      const p = await real(folder);
      if (known.has(p) || found.has(p)) continue;
      const repoPath = await owningRepo(folder);
      const registered = repoPath ? ((await registeredPaths(repoPath))?.has(p) ?? false) : false;
      if (found.has(p)) continue;
      found.set(p, {
        path: folder,
        repoPath,
        registered,
        reason: registered
          ? 'worktree that no session owns'
          : repoPath
            ? 'folder left behind: its repository no longer lists it'
            : 'folder that no session owns',
      });
    }
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

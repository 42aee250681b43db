import type { GitClient } from './git-client';

/** One entry of `git worktree list`. */
export interface WorktreeEntry {
  path: string;
  /** Short branch name, or null when detached or bare. */
  branch: string | null;
  head: string | null;
  /** Registered, but its folder is gone (git would prune it). */
  prunable: boolean;
  bare: boolean;
  locked: boolean;
}

/** Parses `git worktree list --porcelain -z`: attributes end in NUL, records end in an empty field. */
export function parseWorktreeList(out: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | null = null;
  for (const field of out.split('\0')) {
    if (field.length === 0) {
      if (current) entries.push(current);
      current = null;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? '' : field.slice(space + 1);
    if (key === 'worktree') {
      if (current) entries.push(current);
      current = { path: value, branch: null, head: null, prunable: false, bare: false, locked: false };
      continue;
    }
    if (!current) continue;
    if (key === 'HEAD') current.head = value;
    else if (key === 'branch') current.branch = value.replace(/^refs\/heads\//, '');
    else if (key === 'prunable') current.prunable = true;
    else if (key === 'bare') current.bare = true;
    else if (key === 'locked') current.locked = true;
  }
  if (current) entries.push(current);
  return entries;
}

/** Every worktree registered in the repository at `cwd`; the main worktree comes first. */
export async function listWorktreeEntries(git: GitClient, cwd: string): Promise<WorktreeEntry[]> {
  return parseWorktreeList(await git.run(cwd, ['worktree', 'list', '--porcelain', '-z']));
}

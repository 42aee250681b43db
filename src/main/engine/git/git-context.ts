import { realpathSync } from 'node:fs';
import type { Logger } from '../core/logger';
import type { GitClient } from './git-client';
import type { KeyedMutex } from './repo-lock';
import type { ResolvedRepo } from './repo-inspection';

/** What the worktree operations share: the git client, the per-repository lock and where worktrees go. */
export interface GitContext {
  git: GitClient;
  mutex: KeyedMutex;
  worktreeRoot: () => string;
  log: Logger;
}

/** One lock per repository, whichever of its worktrees or spellings of its path the caller used. */
export function repoLockKey(repo: ResolvedRepo): string {
  try {
    return realpathSync(repo.commonDir);
  } catch {
    return repo.commonDir;
  }
}

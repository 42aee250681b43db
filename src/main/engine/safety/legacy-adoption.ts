import { readdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Session } from '../../../shared/domain';
import type { Logger } from '../core/logger';
import { isInside } from '../git/worktree-paths';
import type { OwnedFolders } from './owned-folders';
import { ROOT_MARKER } from './worktree-root';

async function real(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

/**
 * Data dirs from before folders were recorded and marked: a worktree folder a session record
 * names, under the worktree root, was created by the app — it is recorded and marked now. The
 * root gets its marker only if everything in it is such a folder (or the default root).
 */
export async function adoptLegacyFolders(
  owned: OwnedFolders,
  sessions: Session[],
  root: string,
  opts: { trustedRoot: boolean; log: Logger },
): Promise<number> {
  const realRoot = await real(root);
  const entries = await readdir(realRoot).catch(() => null);
  if (entries === null) return 0;
  const known = new Set((await owned.all()).map((o) => o.path));
  const candidates: Session[] = [];
  for (const s of sessions) {
    if (!s.worktreePath || known.has(resolve(s.worktreePath))) continue;
    // A paused or ended session has no folder of the app's there: whatever sits at its path now
    // is someone else's (resume claims only a missing or empty folder itself).
    if (s.paused || s.status === 'paused' || s.status === 'terminated') continue;
    const p = await real(s.worktreePath);
    if (isInside(realRoot, p) && dirname(dirname(p)) === realRoot) candidates.push(s);
  }
  if (!entries.includes(ROOT_MARKER)) {
    const groups = new Set(candidates.map((s) => dirname(resolve(s.worktreePath))));
    let onlyOurs = opts.trustedRoot;
    if (!onlyOurs) {
      onlyOurs = entries.length > 0;
      for (const e of entries) {
        const group = join(realRoot, e);
        const inside = await readdir(group).catch(() => null);
        const ours =
          inside !== null &&
          groups.has(group) &&
          inside.every((f) => candidates.some((s) => resolve(s.worktreePath) === join(group, f)));
        if (!ours) onlyOurs = false;
      }
    }
    if (!onlyOurs) {
      if (candidates.length > 0) {
        opts.log.warn(
          'safety',
          `worktree folder ${root} holds files no session record names; it is not adopted, so nothing in it will be deleted`,
        );
      }
      return 0;
    }
    await writeFile(join(realRoot, ROOT_MARKER), `${JSON.stringify({ app: 'multisession', adopted: Date.now() })}\n`, {
      mode: 0o600,
    });
  }
  for (const s of candidates) {
    await owned.claim(s.worktreePath, { sessionId: s.id, repoRoot: s.repoPath, worktreeRoot: realRoot });
  }
  if (candidates.length > 0)
    opts.log.info('safety', `recorded ${candidates.length} worktree folder(s) created before ownership was tracked`);
  return candidates.length;
}

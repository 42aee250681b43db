import { z } from 'zod';
import type { batchSelectorSchema } from '../../../shared/contract';
import type { Session } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { isPausedStatus } from '../../../shared/session-state';
import type { SessionLookup } from '../commands/session-lookup';

export type BatchSelector = z.output<typeof batchSelectorSchema>;

const hasFolderToRunIn = (s: Session): boolean => s.status !== 'terminated' && !isPausedStatus(s.status);

/** Highest priority first; among equals, the older session first. */
export function byPriority(a: Session, b: Session): number {
  return b.priority - a.priority || a.createdAt - b.createdAt;
}

/**
 * The sessions a batch runs on, in run order. `all` and `filter` skip terminated and paused
 * sessions (neither has a folder to run in);
 * explicit ids are taken as given (a terminated one fails its item with a clear message), and an
 * unknown id fails the whole batch before anything runs.
 */
export function selectSessions(selector: BatchSelector, sessions: SessionLookup): Session[] {
  let chosen: Session[];
  if ('all' in selector) {
    chosen = sessions.list().filter(hasFolderToRunIn);
  } else if ('sessionIds' in selector) {
    const unique = [...new Set(selector.sessionIds)];
    chosen = unique.map((id) => sessions.get(id));
  } else {
    const f = selector.filter;
    const search = f.search?.trim().toLowerCase();
    chosen = sessions
      .list()
      .filter(
        (s) =>
          hasFolderToRunIn(s) &&
          (!f.status || s.status === f.status) &&
          (!f.type || s.type === f.type) &&
          (!f.repoPath || s.repoPath === f.repoPath) &&
          (!search || s.name.toLowerCase().includes(search) || s.branch.toLowerCase().includes(search)),
      );
  }
  if (chosen.length === 0) {
    throw new AppError('BAD_INPUT', 'No sessions match this selection — nothing to run', { field: 'selector' });
  }
  return [...chosen].sort(byPriority);
}

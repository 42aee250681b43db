import { existsSync } from 'node:fs';
import type { Session } from '../../../shared/domain';
import { isRunningStatus } from '../../../shared/session-state';

/**
 * What a stored record means after the host (re)starts: nothing it started is running any more,
 * an interrupted creation is an error, and a worktree that vanished is marked missing.
 */
export function reconcileRecord(r: Session, now = Date.now()): Session {
  const patch: Partial<Session> = {};
  if (r.status === 'initializing') {
    patch.status = 'error';
    patch.errorReason = 'Creation was interrupted when the host stopped — terminate this session and create it again.';
  } else if (isRunningStatus(r.status) || r.status === 'queued') {
    patch.status = 'stopped';
    patch.stoppedAt = now;
  }
  patch.pid = null;
  if (r.status !== 'terminated') {
    const exists = Boolean(r.worktreePath) && existsSync(r.worktreePath);
    patch.worktreeMissing = exists
      ? null
      : r.worktreePath
        ? `The worktree folder ${r.worktreePath} no longer exists.`
        : 'The worktree was never created.';
  }
  return { ...r, ...patch };
}

/** Reconciles every record; returns all of them and the ones whose stored form must be rewritten. */
export function reconcileRecords(records: Session[]): { sessions: Session[]; changed: Session[] } {
  const sessions: Session[] = [];
  const changed: Session[] = [];
  for (const r of records) {
    const s = reconcileRecord(r);
    if (JSON.stringify(s) !== JSON.stringify(r)) changed.push(s);
    sessions.push(s);
  }
  return { sessions, changed };
}

import { existsSync } from 'node:fs';
import type { Session } from '../../../shared/domain';
import { isRunningStatus } from '../../../shared/session-state';
import { describeLeftover, type Leftover } from '../process/process-ledger';

/**
 * What a stored record means after the host (re)starts: nothing it started is running any more,
 * an interrupted creation is an error (and says whether its worktree exists, offering keep or
 * remove), and a worktree that vanished is marked missing.
 */
export function reconcileRecord(r: Session, leftovers: Leftover[] = [], now = Date.now()): Session {
  const patch: Partial<Session> = {};
  // What became of the processes the previous host had started for this session.
  const mine = leftovers.filter((l) => l.sessionId === r.id && l.kind !== 'command');
  const notes = mine.map((l) => describeLeftover(l, l.kind === 'setup' ? 'its setup script' : 'its program'));
  const told = notes.length ? ` (${notes.join('; ')})` : '';
  if (r.status === 'initializing') {
    patch.status = 'error';
    const exists = Boolean(r.worktreePath) && existsSync(r.worktreePath);
    patch.recovery = exists ? 'interrupted-create' : null;
    patch.errorReason = exists
      ? `Creation was interrupted when the host stopped${told}; its worktree ${r.worktreePath} exists — keep it (recover) or remove it (terminate).`
      : `Creation was interrupted when the host stopped before its worktree existed${told} — terminate this session and create it again.`;
  } else if (isRunningStatus(r.status) || r.status === 'queued') {
    patch.status = 'stopped';
    patch.stoppedAt = now;
    if (notes.length) patch.errorReason = `The host stopped unexpectedly${told}.`;
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
export function reconcileRecords(
  records: Session[],
  leftovers: Leftover[] = [],
): { sessions: Session[]; changed: Session[] } {
  const sessions: Session[] = [];
  const changed: Session[] = [];
  for (const r of records) {
    const s = reconcileRecord(r, leftovers);
    if (JSON.stringify(s) !== JSON.stringify(r)) changed.push(s);
    sessions.push(s);
  }
  return { sessions, changed };
}

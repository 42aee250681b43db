import type { SessionStatus } from './domain';

/**
 * The session state machine — the one place that says which status may follow which.
 *
 *   initializing ──► queued ──► active ──► busy ⇄ idle ⇄ waiting
 *        │             │          │  (program running: active, busy, idle, waiting)
 *        │             ▼          ▼
 *        └──────────► stopped ◄── running ──► completed (exit 0) / error (exit ≠ 0, limit, failure)
 *                       │  ▲
 *                       ▼  │ start / restart (via queued when over the running cap)
 *   any status except terminated ──► terminated (program stopped, worktree removed; final)
 *
 *   running ──► hibernated (program stopped, conversation kept) ──► queued/active (wake, resumed)
 *   stopped / completed / error / hibernated ──► paused (work committed on the branch, folder freed)
 *   paused ──► stopped (resume recreated the folder) ──► queued/active (the program, resumed)
 */
const transitions: Record<SessionStatus, readonly SessionStatus[]> = {
  initializing: ['queued', 'active', 'stopped', 'error', 'terminated'],
  queued: ['active', 'stopped', 'error', 'terminated'],
  active: ['busy', 'idle', 'waiting', 'stopped', 'completed', 'error', 'terminated', 'hibernated'],
  busy: ['idle', 'waiting', 'stopped', 'completed', 'error', 'terminated', 'hibernated'],
  idle: ['busy', 'waiting', 'stopped', 'completed', 'error', 'terminated', 'hibernated'],
  waiting: ['busy', 'idle', 'stopped', 'completed', 'error', 'terminated', 'hibernated'],
  stopped: ['queued', 'active', 'error', 'terminated', 'paused'],
  completed: ['queued', 'active', 'stopped', 'error', 'terminated', 'paused'],
  error: ['queued', 'active', 'stopped', 'terminated', 'paused'],
  terminated: [],
  hibernated: ['queued', 'active', 'stopped', 'error', 'terminated', 'paused'],
  paused: ['stopped', 'error', 'terminated'],
};

export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  return from === to || transitions[from].includes(to);
}

// Every "is it running / waiting / can it start" question of the engine, the CLI and the renderer is
// answered here, so a new status changes one file and no view disagrees with another.

const setOf = (list: readonly SessionStatus[]): ReadonlySet<SessionStatus> => new Set(list);

/** Statuses in which the session's program is running (input reaches it). */
export const runningStatuses: readonly SessionStatus[] = ['active', 'busy', 'idle', 'waiting'];
const running = setOf(runningStatuses);
export const isRunningStatus = (s: SessionStatus): boolean => running.has(s);

/** Statuses of a program that is about to run: its worktree is being made, or it waits for a slot. */
export const pendingStatuses: readonly SessionStatus[] = ['initializing', 'queued'];
const pending = setOf(pendingStatuses);
export const isPendingStatus = (s: SessionStatus): boolean => pending.has(s);

/** Running or about to run: what `stop` applies to and what counts against "busy" in the UI. */
export const liveStatuses: readonly SessionStatus[] = [...pendingStatuses, ...runningStatuses];
const live = setOf(liveStatuses);
export const isLiveStatus = (s: SessionStatus): boolean => live.has(s);

/** Statuses from which `start` is allowed: the program is not running and the worktree is kept (a hibernated session is woken). */
export const startableStatuses: readonly SessionStatus[] = ['stopped', 'completed', 'error', 'hibernated'];
const startable = setOf(startableStatuses);
export const isStartableStatus = (s: SessionStatus): boolean => startable.has(s);

/** The program runs but nothing happens on its screen (metrics sample such sessions less often). */
export const quietStatuses: readonly SessionStatus[] = ['idle', 'waiting'];
const quiet = setOf(quietStatuses);
export const isQuietStatus = (s: SessionStatus): boolean => quiet.has(s);

/** The program asks the user something. */
export const needsInput = (s: SessionStatus): boolean => s === 'waiting';

/** Final: the program is stopped and the worktree removed. */
export const isTerminatedStatus = (s: SessionStatus): boolean => s === 'terminated';

/** Paused: the work is committed on the branch and the folder is gone until `resume` recreates it. */
export const isPausedStatus = (s: SessionStatus): boolean => s === 'paused';

/** Statuses from which `pause` is allowed (a running program is stopped first, as hibernate does). */
export const isPausableStatus = (s: SessionStatus): boolean => isRunningStatus(s) || isStartableStatus(s);

/** A session with its worktree folder on disk (not being created, not terminated, not paused). */
export const hasWorktreeFolder = (s: SessionStatus): boolean =>
  s !== 'terminated' && s !== 'initializing' && s !== 'paused';

/** A restart is possible for any session that still has its worktree and is not being created. */
export const isRestartableStatus = (s: SessionStatus): boolean => hasWorktreeFolder(s);

export { transitions as sessionTransitions };

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
 */
const transitions: Record<SessionStatus, readonly SessionStatus[]> = {
  initializing: ['queued', 'active', 'stopped', 'error', 'terminated'],
  queued: ['active', 'stopped', 'error', 'terminated'],
  active: ['busy', 'idle', 'waiting', 'stopped', 'completed', 'error', 'terminated'],
  busy: ['idle', 'waiting', 'stopped', 'completed', 'error', 'terminated'],
  idle: ['busy', 'waiting', 'stopped', 'completed', 'error', 'terminated'],
  waiting: ['busy', 'idle', 'stopped', 'completed', 'error', 'terminated'],
  stopped: ['queued', 'active', 'error', 'terminated'],
  completed: ['queued', 'active', 'stopped', 'error', 'terminated'],
  error: ['queued', 'active', 'stopped', 'terminated'],
  terminated: [],
};

export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  return from === to || transitions[from].includes(to);
}

/** Statuses in which the session's program is running. */
export const runningStatuses: readonly SessionStatus[] = ['active', 'busy', 'idle', 'waiting'];
export const isRunningStatus = (s: SessionStatus): boolean => runningStatuses.includes(s);

/** Statuses from which `start` is allowed. */
export const startableStatuses: readonly SessionStatus[] = ['stopped', 'completed', 'error'];

export { transitions as sessionTransitions };

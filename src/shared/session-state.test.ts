import { describe, expect, it } from 'vitest';
import { sessionStatuses } from './domain';
import {
  canTransition,
  hasWorktreeFolder,
  isLiveStatus,
  isPausableStatus,
  isPausedStatus,
  isPendingStatus,
  isQuietStatus,
  isRestartableStatus,
  isRunningStatus,
  isStartableStatus,
  isTerminatedStatus,
  needsInput,
} from './session-state';

describe('session-state predicates', () => {
  it('puts every status in exactly one of running, pending, startable, paused or terminated', () => {
    for (const s of sessionStatuses) {
      const groups = [
        isRunningStatus(s),
        isPendingStatus(s),
        isStartableStatus(s),
        isPausedStatus(s),
        isTerminatedStatus(s),
      ];
      expect(groups.filter(Boolean), s).toHaveLength(1);
    }
  });

  it('live is running or pending; quiet and waiting are running', () => {
    for (const s of sessionStatuses) {
      expect(isLiveStatus(s), s).toBe(isRunningStatus(s) || isPendingStatus(s));
      if (isQuietStatus(s) || needsInput(s)) expect(isRunningStatus(s), s).toBe(true);
    }
  });

  it('agrees with the state machine: a startable session can start, a running one can stop', () => {
    for (const s of sessionStatuses) {
      if (isStartableStatus(s)) expect(canTransition(s, 'queued') && canTransition(s, 'active'), s).toBe(true);
      if (isLiveStatus(s)) expect(canTransition(s, 'stopped'), s).toBe(true);
      if (isRestartableStatus(s)) expect(canTransition(s, 'terminated'), s).toBe(true);
    }
    expect(isRestartableStatus('terminated')).toBe(false);
    // Paused: no folder, so no start or restart; resume goes through stopped; pause from any program state.
    expect(isRestartableStatus('paused') || hasWorktreeFolder('paused') || isStartableStatus('paused')).toBe(false);
    expect(canTransition('paused', 'stopped') && canTransition('paused', 'terminated')).toBe(true);
    for (const s of sessionStatuses)
      if (isPausableStatus(s)) expect(isRunningStatus(s) || canTransition(s, 'paused'), s).toBe(true);
    expect(canTransition('terminated', 'active')).toBe(false);
  });
});

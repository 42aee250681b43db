import type { Session, SessionMetrics, SessionStatus, SessionType } from '../../../shared/domain';
import { isRunningStatus } from '../../../shared/session-state';

/** How each session status is named and coloured everywhere in the UI. */
export const statusLabels: Record<SessionStatus, string> = {
  initializing: 'Initializing',
  queued: 'Queued',
  active: 'Active',
  busy: 'Busy',
  idle: 'Idle',
  waiting: 'Needs input',
  stopped: 'Stopped',
  completed: 'Completed',
  error: 'Error',
  terminated: 'Terminated',
  hibernated: 'Hibernated',
  paused: 'Paused',
};

/**
 * CPU and memory to show for a session: only while its program runs. A stopped session's last
 * sample is history, not its current use (the analytics page keeps the history).
 */
export function liveResources(
  session: Pick<Session, 'status'>,
  metrics: Pick<SessionMetrics, 'cpuPercent' | 'memoryMb'> | undefined,
): { cpuPercent: number; memoryMb: number } | null {
  if (!metrics || !isRunningStatus(session.status)) return null;
  return { cpuPercent: metrics.cpuPercent, memoryMb: metrics.memoryMb };
}

export const typeLabels: Record<SessionType, string> = {
  general: 'General',
  spec_driven: 'Spec-driven',
  code_generation: 'Code generation',
  data_analysis: 'Data analysis',
  web_research: 'Web research',
  background: 'Background',
};

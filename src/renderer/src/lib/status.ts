import type { SessionStatus, SessionType } from '../../../shared/domain';

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
};

/** Statuses whose program is running (or about to). */
export const liveStatuses: SessionStatus[] = ['initializing', 'active', 'busy', 'idle', 'waiting'];

export function isLive(status: SessionStatus): boolean {
  return liveStatuses.includes(status);
}

export const typeLabels: Record<SessionType, string> = {
  general: 'General',
  spec_driven: 'Spec-driven',
  code_generation: 'Code generation',
  data_analysis: 'Data analysis',
  web_research: 'Web research',
  background: 'Background',
};

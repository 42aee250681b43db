import type { SessionStatus } from '../../../../shared/domain';

const labels: Record<SessionStatus, string> = {
  initializing: 'Starting',
  queued: 'Queued',
  active: 'Running',
  busy: 'Busy',
  idle: 'Idle',
  waiting: 'Waiting for input',
  stopped: 'Stopped',
  completed: 'Completed',
  error: 'Error',
  terminated: 'Terminated',
};

/** Human label of a status, for tooltips and screen readers. */
export function statusLabel(status: SessionStatus): string {
  return labels[status];
}

/** A small coloured dot for a session status; `waiting` pulses so it stands out. */
export function StatusDot({ status }: { status: SessionStatus }) {
  return <span className={`term-dot term-dot-${status}`} title={labels[status]} aria-label={labels[status]} />;
}

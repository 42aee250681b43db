import type { SessionStatus } from '../../../../shared/domain';
import { statusLabels } from '../../lib/status';

/** Human label of a status, for tooltips and screen readers (the app's one set of labels). */
export function statusLabel(status: SessionStatus): string {
  return statusLabels[status];
}

/** A small coloured dot for a session status; `waiting` pulses so it stands out. */
export function StatusDot({ status }: { status: SessionStatus }) {
  const label = statusLabels[status];
  return <span className={`term-dot term-dot-${status}`} title={label} aria-label={label} role="img" />;
}

import type { SessionStatus } from '../../../../shared/domain';
import { statusLabels } from '../../lib/status';

/** A coloured dot and label for a session status; 'waiting' pulses so it is hard to miss. */
export function StatusBadge({ status, compact }: { status: SessionStatus; compact?: boolean }) {
  return (
    <span className={`status status-${status}`} title={statusLabels[status]} data-status={status}>
      <span className="status-dot" />
      {!compact && <span className="status-label">{statusLabels[status]}</span>}
    </span>
  );
}

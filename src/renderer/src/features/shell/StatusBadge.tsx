import type { SessionStatus } from '../../../../shared/domain';
import type { OlderHost } from '../../../../shared/lifetime-contract';
import { statusLabels } from '../../lib/status';

/**
 * A coloured dot and label for a session status; 'waiting' pulses so it is hard to miss. A
 * session an older version's terminal host still runs (`heldBy`) is recorded stopped here, but its
 * program runs there: it says so instead of "Stopped".
 */
export function StatusBadge({
  status,
  compact,
  heldBy,
}: {
  status: SessionStatus;
  compact?: boolean;
  heldBy?: OlderHost | null;
}) {
  const label = heldBy ? `Running in v${heldBy.appVersion}` : statusLabels[status];
  const title = heldBy
    ? `Its program still runs in the terminal host of Multisession ${heldBy.appVersion} (pid ${heldBy.pid}), from before the update. Start (or "Restart them here") moves it to this version; Stop stops it there.`
    : label;
  return (
    <span
      className={`status status-${status}${heldBy ? ' status-held' : ''}`}
      title={title}
      data-status={status}
      data-held={heldBy ? heldBy.appVersion : undefined}
    >
      <span className="status-dot" />
      {!compact && <span className="status-label">{label}</span>}
    </span>
  );
}

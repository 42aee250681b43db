import { useMemo, memo } from 'react';
import { isLiveStatus, needsInput } from '../../../../shared/session-state';
import { setUi } from '../../lib/ui-store';
import { useAppInfo, useConnectionState, useOlderHosts, useSessions } from '../../lib/queries';
import { connectionLabel } from './ConnectionBanner';

/** Bottom line: connection, host, how many sessions run / wait / queue, and the data dir. */
export const StatusBar = memo(function StatusBar() {
  const conn = useConnectionState();
  const info = useAppInfo();
  const sessions = useSessions().data;
  // Programs an older version's terminal host still runs (recorded stopped here; the banner's query).
  const olderHosts = useOlderHosts().data;
  const counts = useMemo(() => {
    const list = sessions ?? [];
    const known = new Set(list.map((s) => s.id));
    const held = (olderHosts ?? []).flatMap((h) => h.sessions).filter((x) => x.pid !== null && known.has(x.sessionId));
    const here = list.filter((s) => isLiveStatus(s.status) && s.status !== 'queued').length;
    return {
      // Running or about to (its worktree is being made), here or in an older version's terminal
      // host; queued ones are counted apart.
      running: here + held.length,
      held: held.length,
      queued: list.filter((s) => s.status === 'queued').length,
      waiting: list.filter((s) => needsInput(s.status)).length,
    };
  }, [sessions, olderHosts]);
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className={`conn conn-${conn}`} data-testid="status-connection">
        <span className="conn-dot" aria-hidden />
        {connectionLabel(conn)}
      </span>
      {info.data && (
        <span className="muted sb-host">
          {info.data.mode === 'electron' ? 'Desktop' : 'Browser'} · v{info.data.version}
        </span>
      )}
      <span
        data-testid="status-running"
        title={counts.held ? `${counts.held} of them in the terminal host of an older version` : undefined}
      >
        {counts.running} running
      </span>
      <span className={counts.queued ? 'sb-queued' : 'muted'} data-testid="status-queued">
        {counts.queued} queued
      </span>
      <span className={counts.waiting ? 'sb-waiting' : 'muted'} data-testid="status-waiting">
        {counts.waiting} need input
      </span>
      <span className="spacer" />
      {info.data && (
        <span className="muted truncate sb-data" title={info.data.dataDir}>
          Data: {info.data.dataDir}
        </span>
      )}
      <button className="btn ghost small" onClick={() => setUi({ dialog: 'help' })}>
        ? Shortcuts
      </button>
    </footer>
  );
});

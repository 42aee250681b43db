import { setUi } from '../../lib/ui-store';
import { useAppInfo, useConnectionState, useSessions } from '../../lib/queries';

const connectionLabels = { connecting: 'Connecting…', open: 'Connected', closed: 'Disconnected — reload to reconnect' };

/** Bottom line: connection, host, how many sessions run / wait / queue, and the data dir. */
export function StatusBar() {
  const conn = useConnectionState();
  const info = useAppInfo();
  const sessions = useSessions().data ?? [];
  const running = sessions.filter((s) =>
    ['active', 'busy', 'idle', 'waiting', 'initializing'].includes(s.status),
  ).length;
  const queued = sessions.filter((s) => s.status === 'queued').length;
  const waiting = sessions.filter((s) => s.status === 'waiting').length;
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className={`conn conn-${conn}`} data-testid="status-connection">
        <span className="conn-dot" />
        {connectionLabels[conn]}
      </span>
      {info.data && (
        <span className="muted">
          {info.data.mode === 'electron' ? 'Desktop' : 'Browser'} · v{info.data.version}
        </span>
      )}
      <span data-testid="status-running">{running} running</span>
      <span className={queued ? 'sb-queued' : 'faint'}>{queued} queued</span>
      <span className={waiting ? 'sb-waiting' : 'faint'} data-testid="status-waiting">
        {waiting} need input
      </span>
      <span className="spacer" />
      {info.data && (
        <span className="faint truncate" title={info.data.dataDir}>
          Data: {info.data.dataDir}
        </span>
      )}
      <button className="btn ghost small" onClick={() => setUi({ dialog: 'help' })}>
        ? Shortcuts
      </button>
    </footer>
  );
}

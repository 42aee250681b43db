import { formatBytes, formatUptime } from '../../lib/format';
import { useSessionMetrics } from '../../lib/queries';

/** Uptime, commands, success rate and live resource use of one session. */
export function MetricsGrid({ sessionId }: { sessionId: string }) {
  const { data: m, isLoading } = useSessionMetrics(sessionId);
  if (isLoading) return <div className="muted">Loading metrics…</div>;
  if (!m) return null;
  const cells: Array<[string, string]> = [
    ['Uptime', formatUptime(m.uptimeSec)],
    ['Commands', String(m.commandsExecuted)],
    // The host reports success rate as a percentage (0–100).
    ['Success rate', m.commandsExecuted ? `${Math.round(m.successRate)}%` : '—'],
    ['CPU', `${m.cpuPercent.toFixed(1)}%`],
    ['Memory', `${m.memoryMb.toFixed(0)} MB`],
    ['Output', formatBytes(m.outputBytes)],
  ];
  return (
    <div className="metrics-grid" data-testid="detail-metrics">
      {cells.map(([k, v]) => (
        <div key={k} className="metric">
          <span className="metric-value">{v}</span>
          <span className="metric-label">{k}</span>
        </div>
      ))}
    </div>
  );
}

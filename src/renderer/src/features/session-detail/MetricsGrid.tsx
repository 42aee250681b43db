import type { Session } from '../../../../shared/domain';
import { formatBytes, formatUptime } from '../../lib/format';
import { useSessionMetrics } from '../../lib/queries';
import { liveResources } from '../../lib/status';

/** Uptime, commands, success rate and live resource use of one session (none while it is stopped). */
export function MetricsGrid({ session }: { session: Session }) {
  const { data: m, isLoading } = useSessionMetrics(session.id);
  if (isLoading) return <div className="muted">Loading metrics…</div>;
  if (!m) return null;
  const res = liveResources(session, m);
  const cells: Array<[string, string]> = [
    // Never started: no uptime to speak of; just started: under a second, not "0 ms".
    ['Uptime', session.startedAt === null ? '—' : m.uptimeSec < 1 ? '< 1 s' : formatUptime(m.uptimeSec)],
    ['Commands', String(m.commandsExecuted)],
    // The host reports success rate as a percentage (0–100).
    ['Success rate', m.commandsExecuted ? `${Math.round(m.successRate)}%` : '—'],
    ['CPU', res ? `${res.cpuPercent.toFixed(1)}%` : '—'],
    ['Memory', res ? `${res.memoryMb.toFixed(0)} MB` : '—'],
    ['Output', session.startedAt === null ? '—' : formatBytes(m.outputBytes)],
  ];
  return (
    <div className="metrics-grid" data-testid="detail-metrics">
      {cells.map(([k, v]) => (
        <div key={k} className="metric" data-metric={k}>
          <span className="metric-value">{v}</span>
          <span className="metric-label">{k}</span>
        </div>
      ))}
    </div>
  );
}

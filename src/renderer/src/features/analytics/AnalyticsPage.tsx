import { useEffect, useMemo, useState } from 'react';
import { statusLabels } from '../../lib/status';
import type { Session } from '../../../../shared/domain';
import { useSessions } from '../../lib/queries';
import { setUi, useUi } from '../../lib/ui-store';
import { currentThemeMode, watchThemeMode } from '../terminals/terminal-theme';
import { ChartCard } from './ChartCard';
import { buildOptions, sessionSeries, statusColor } from './chart-options';
import {
  commandBucketMs,
  commandDurationColumns,
  commandRateColumns,
  perSessionColumns,
  statusColumns,
} from './chart-data';
import { SystemCards } from './SystemCards';
import { CostCharts } from './CostCharts';
import { useMetricsSeries } from './use-metrics-series';
import './analytics.css';

const ranges = [
  { id: '15m', label: '15 min', ms: 15 * 60_000 },
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '6h', label: '6 h', ms: 6 * 3_600_000 },
  { id: '24h', label: '24 h', ms: 24 * 3_600_000 },
] as const;
type RangeId = (typeof ranges)[number]['id'];
const noSessions: Session[] = [];

/** Charts of what the sessions do and cost: cost, status over time, CPU, memory, commands. */
export function AnalyticsPage() {
  // The range is remembered across views, reloads and restarts.
  const stored = useUi((s) => s.analyticsRange);
  const range = ranges.find((r) => r.id === stored) ?? ranges[1];
  const rangeId: RangeId = range.id;
  const setRangeId = (id: RangeId) => setUi({ analyticsRange: id });
  const { series, loading, error } = useMetricsSeries(range.ms);
  const sessions = useSessions().data ?? noSessions;
  const [theme, setTheme] = useState(currentThemeMode);
  useEffect(() => watchThemeMode(setTheme), []);

  const order = useMemo(() => sessions.map((s) => s.id), [sessions]);
  const names = useMemo(() => new Map(sessions.map((s) => [s.id, s.name] as const)), [sessions]);
  const nameOf = (id: string) => names.get(id) ?? `(removed ${id.slice(0, 6)})`;

  const cols = useMemo(() => {
    if (!series) return null;
    return {
      status: statusColumns(series),
      cpu: perSessionColumns(series, 'cpuPercent', order),
      memory: perSessionColumns(series, 'memoryMb', order),
      rate: commandRateColumns(series),
      durations: commandDurationColumns(series),
    };
  }, [series, order]);

  const hasData =
    !!series && (series.samples.length > 0 || series.statusCounts.length > 0 || series.commands.length > 0);
  const key = (ids: string[]) => `${theme}|${range.id}|${ids.map((id) => `${id}:${names.get(id) ?? ''}`).join(',')}`;
  const bucketMin = commandBucketMs(range.ms) / 60_000;

  return (
    <div className="an-page" data-testid="analytics-page">
      <div className="an-head">
        <h2>Analytics</h2>
        <span className="spacer" />
        {loading && <span className="faint an-loading">Loading…</span>}
        <div className="btn-group" role="group" aria-label="Time range">
          {ranges.map((r) => (
            <button
              key={r.id}
              type="button"
              className={r.id === rangeId ? 'btn small primary' : 'btn small'}
              aria-pressed={r.id === rangeId}
              data-testid={`range-${r.id}`}
              onClick={() => setRangeId(r.id)}
            >
              {r.label}
            </button>
          ))}
        </div>
      </div>
      <SystemCards />
      <CostCharts rangeMs={range.ms} rangeId={range.id} theme={theme} />
      {error && <div className="error-box">Could not load metrics: {error}</div>}
      {!loading && !hasData && !error && (
        <div className="an-empty" data-testid="analytics-empty">
          No samples yet — start a session. Charts fill in as sessions run.
        </div>
      )}
      {cols && hasData && (
        <div className="an-grid">
          <ChartCard
            name="status"
            title="Sessions by status"
            subtitle="how many sessions were in each status"
            structureKey={`${theme}|${range.id}|${cols.status.ids.join(',')}`}
            data={cols.status.data}
            emptyText="No status samples in this range."
            options={(width, height) =>
              buildOptions({
                width,
                height,
                windowMs: range.ms,
                yLabel: 'sessions',
                series: cols.status.ids.map((id) => ({
                  label: statusLabels[id as keyof typeof statusLabels] ?? id,
                  color: statusColor(id),
                  kind: 'step' as const,
                })),
              })
            }
          />
          <ChartCard
            name="commands"
            title="Commands"
            subtitle={`per minute (${bucketMin === 1 ? '1-min' : `${bucketMin}-min`} buckets) and success rate`}
            structureKey={`${theme}|${range.id}|rate`}
            data={cols.rate.data}
            emptyText="No commands finished in this range."
            options={(width, height) =>
              buildOptions({
                width,
                height,
                windowMs: range.ms,
                yLabel: 'per min',
                y2Label: 'success %',
                ranges: { y2: [0, 100] },
                series: [
                  { label: 'Commands / min', color: '#4d8af0', kind: 'bars' },
                  { label: 'Success rate', color: '#2f9e5b', scale: 'y2', unit: '%' },
                ],
              })
            }
          />
          <ChartCard
            name="cpu"
            title="CPU per session"
            subtitle="% of one core, process tree"
            structureKey={key(cols.cpu.ids)}
            data={cols.cpu.data}
            emptyText="No resource samples in this range."
            options={(width, height) =>
              buildOptions({
                width,
                height,
                windowMs: range.ms,
                yLabel: 'CPU %',
                compactLegend: cols.cpu.ids.length > 4,
                series: sessionSeries(cols.cpu.ids, nameOf, '%'),
              })
            }
          />
          <ChartCard
            name="memory"
            title="Memory per session"
            subtitle="resident memory of the process tree"
            structureKey={key(cols.memory.ids)}
            data={cols.memory.data}
            emptyText="No resource samples in this range."
            options={(width, height) =>
              buildOptions({
                width,
                height,
                windowMs: range.ms,
                yLabel: 'MB',
                compactLegend: cols.memory.ids.length > 4,
                series: sessionSeries(cols.memory.ids, nameOf, ' MB'),
              })
            }
          />
          <ChartCard
            name="durations"
            title="Command durations"
            subtitle="each finished command"
            structureKey={`${theme}|${range.id}|durations`}
            data={cols.durations.data}
            emptyText="No commands finished in this range."
            options={(width, height) =>
              buildOptions({
                width,
                height,
                windowMs: range.ms,
                yLabel: 'seconds',
                series: [
                  { label: 'Succeeded', color: '#2f9e5b', kind: 'points', unit: ' s' },
                  { label: 'Failed', color: '#d9463e', kind: 'points', unit: ' s' },
                ],
              })
            }
          />
        </div>
      )}
    </div>
  );
}

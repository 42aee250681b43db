import type uPlot from 'uplot';
import { sessionStatuses, type MetricsSeries, type SessionStatus } from '../../../../shared/domain';

/** Columns for one uPlot chart: x in seconds, one y array per series, and the series' ids. */
export interface ChartColumns {
  ids: string[];
  data: uPlot.AlignedData;
}

const MAX_COLUMNS = 1500;

/**
 * Per-session values on one shared time axis (uPlot needs aligned x). Samples taken together share
 * a timestamp; when there are more distinct times than a chart can show, times snap to a grid.
 */
export function perSessionColumns(
  series: MetricsSeries,
  field: 'cpuPercent' | 'memoryMb',
  order: readonly string[],
): ChartColumns {
  const ids = orderIds(
    series.samples.map((s) => s.sessionId),
    order,
  );
  const distinct = new Set(series.samples.map((s) => s.t)).size;
  const step = distinct > MAX_COLUMNS ? Math.max(1, (series.to - series.from) / MAX_COLUMNS) : 0;
  const keyOf = (t: number) => (step ? Math.floor(t / step) * step : t);
  const times = [...new Set(series.samples.map((s) => keyOf(s.t)))].sort((a, b) => a - b);
  const col = new Map(times.map((t, i) => [t, i] as const));
  const row = new Map(ids.map((id, i) => [id, i] as const));
  const ys = ids.map(() => new Array<number | null>(times.length).fill(null));
  for (const s of series.samples) {
    const r = row.get(s.sessionId);
    const c = col.get(keyOf(s.t));
    if (r !== undefined && c !== undefined) ys[r][c] = round(s[field]);
  }
  return { ids, data: [times.map((t) => t / 1000), ...ys] };
}

/** How many sessions were in each status over time; only statuses that occur get a line. */
export function statusColumns(series: MetricsSeries): ChartColumns {
  const seen = new Set<string>();
  for (const p of series.statusCounts) for (const [k, v] of Object.entries(p.counts)) if (v > 0) seen.add(k);
  const ids = (sessionStatuses as readonly SessionStatus[]).filter((s) => seen.has(s));
  const points = [...series.statusCounts].sort((a, b) => a.t - b.t);
  return {
    ids,
    data: [points.map((p) => p.t / 1000), ...ids.map((id) => points.map((p) => p.counts[id] ?? 0))],
  };
}

/** Bucket width for command counts: one minute, wider for long ranges so bars stay readable. */
export function commandBucketMs(rangeMs: number): number {
  const minute = 60_000;
  return Math.max(minute, Math.ceil(rangeMs / 120 / minute) * minute);
}

/** Commands per minute (bars) and success rate in % (line) per bucket. */
export function commandRateColumns(series: MetricsSeries): ChartColumns {
  const bucket = commandBucketMs(series.to - series.from);
  const buckets = new Map<number, { n: number; ok: number }>();
  for (const c of series.commands) {
    const k = Math.floor(c.t / bucket) * bucket;
    const b = buckets.get(k) ?? { n: 0, ok: 0 };
    b.n += 1;
    if (c.ok) b.ok += 1;
    buckets.set(k, b);
  }
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  const perMinute = bucket / 60_000;
  return {
    ids: ['perMinute', 'successRate'],
    data: [
      // Bars sit mid-bucket; the current bucket stays inside the window's right edge.
      keys.map((k) => Math.min(k + bucket / 2, series.to) / 1000),
      keys.map((k) => round(buckets.get(k)!.n / perMinute)),
      keys.map((k) => {
        const b = buckets.get(k)!;
        return round((b.ok / b.n) * 100);
      }),
    ],
  };
}

/** Each finished command as a point: when it finished and how long it took (s), split by outcome. */
export function commandDurationColumns(series: MetricsSeries): ChartColumns {
  const cmds = [...series.commands].sort((a, b) => a.t - b.t);
  return {
    ids: ['ok', 'failed'],
    data: [
      cmds.map((c) => c.t / 1000),
      cmds.map((c) => (c.ok ? round(c.durationMs / 1000) : null)),
      cmds.map((c) => (c.ok ? null : round(c.durationMs / 1000))),
    ],
  };
}

/** Session ids in the order of `order` (known sessions first), then any others as they appear. */
function orderIds(seen: string[], order: readonly string[]): string[] {
  const present = new Set(seen);
  const known = order.filter((id) => present.has(id));
  const knownSet = new Set(known);
  const rest = [...present].filter((id) => !knownSet.has(id));
  return [...known, ...rest];
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

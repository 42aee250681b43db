import type uPlot from 'uplot';
import type { RequestOutput } from '../../../../shared/contract';

export type UsageSeries = RequestOutput<'usage.series'>;
export type CostGroup = 'session' | 'agent' | 'type';

/** One bar: what it stands for, its cost in USD and its tokens. */
export interface CostRow {
  key: string;
  label: string;
  costUsd: number;
  tokens: number;
}

/** Cost buckets: about 60 across the range, never narrower than the minute the host sums by. */
export function costBucketMs(rangeMs: number): number {
  const minute = 60_000;
  return Math.max(minute, Math.ceil(rangeMs / 60 / minute) * minute);
}

/**
 * Cost over time: spend per bucket (bars) and the running total since the start of the range
 * (line, second axis). Only buckets with spend get a bar; the total steps at each of them.
 */
export function costOverTimeColumns(series: UsageSeries, from: number, to: number): uPlot.AlignedData {
  const bucket = costBucketMs(to - from);
  const sums = new Map<number, number>();
  for (const p of series.points) {
    if (p.t < from || p.t > to) continue;
    const k = Math.floor(p.t / bucket) * bucket;
    sums.set(k, (sums.get(k) ?? 0) + p.costUsd);
  }
  const keys = [...sums.keys()].sort((a, b) => a - b);
  let total = 0;
  const running = keys.map((k) => (total += sums.get(k) ?? 0));
  return [
    keys.map((k) => Math.min(k + bucket / 2, to) / 1000),
    keys.map((k) => round(sums.get(k) ?? 0)),
    running.map(round),
  ];
}

/**
 * Spend grouped by session, agent or session type, largest first. Labels come from the series'
 * own session list, so a removed session still counts (as "removed session") and keeps its agent.
 */
export function costBy(
  series: UsageSeries,
  group: CostGroup,
  names: { agent(id: string): string; type(id: string): string },
): CostRow[] {
  const labels = new Map(series.sessions.map((s) => [s.sessionId, s] as const));
  const rows = new Map<string, CostRow>();
  for (const p of series.points) {
    const l = labels.get(p.sessionId);
    let key: string;
    let label: string;
    if (group === 'session') {
      key = p.sessionId;
      label = l?.name ?? `removed session ${p.sessionId.slice(0, 6)}`;
    } else if (group === 'agent') {
      key = l?.agent ?? 'unknown';
      label = names.agent(key);
    } else {
      key = l?.type ?? 'removed';
      label = l?.type ? names.type(l.type) : 'removed sessions';
    }
    const row = rows.get(key) ?? { key, label, costUsd: 0, tokens: 0 };
    row.costUsd += p.costUsd;
    row.tokens += p.tokens;
    rows.set(key, row);
  }
  return [...rows.values()]
    .map((r) => ({ ...r, costUsd: round(r.costUsd) }))
    .sort((a, b) => b.costUsd - a.costUsd || b.tokens - a.tokens || a.label.localeCompare(b.label));
}

export function totalCost(series: UsageSeries): { costUsd: number; tokens: number } {
  let costUsd = 0;
  let tokens = 0;
  for (const p of series.points) {
    costUsd += p.costUsd;
    tokens += p.tokens;
  }
  return { costUsd: round(costUsd), tokens };
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

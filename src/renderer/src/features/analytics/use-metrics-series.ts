import { useEffect, useRef, useState } from 'react';
import type { MetricsSeries } from '../../../../shared/domain';
import { getClient } from '../../lib/client';

/** Points the host downsamples a range to; about one per pixel column of a wide chart. */
export const MAX_POINTS = 800;

export interface SeriesState {
  series: MetricsSeries | null;
  loading: boolean;
  error: string | null;
}

function lastTime(s: MetricsSeries): number {
  let t = s.from;
  const lastSample = s.samples[s.samples.length - 1];
  const lastCount = s.statusCounts[s.statusCounts.length - 1];
  if (lastSample) t = Math.max(t, lastSample.t);
  if (lastCount) t = Math.max(t, lastCount.t);
  for (const c of s.commands) t = Math.max(t, c.t);
  return t;
}

/** Appends `more` to `base` and drops what fell out of the window starting at `from`. */
function merge(base: MetricsSeries, more: MetricsSeries, from: number): MetricsSeries {
  const after = lastTime(base);
  return {
    from,
    to: Math.max(base.to, more.to),
    samples: [...base.samples.filter((s) => s.t >= from), ...more.samples.filter((s) => s.t > after)],
    statusCounts: [...base.statusCounts.filter((p) => p.t >= from), ...more.statusCounts.filter((p) => p.t > after)],
    commands: [...base.commands.filter((c) => c.t >= from), ...more.commands.filter((c) => c.t > after)],
  };
}

/**
 * The metrics of the last `rangeMs`: fetched (downsampled by the host) when the range changes, then
 * extended on every `metrics.sample` by fetching only what is newer than what we hold.
 */
export function useMetricsSeries(rangeMs: number): SeriesState {
  const [state, setState] = useState<SeriesState>({ series: null, loading: true, error: null });
  const current = useRef<MetricsSeries | null>(null);

  useEffect(() => {
    let cancelled = false;
    let inFlight = false;
    let again = false;
    const client = getClient();
    current.current = null;
    setState((s) => ({ ...s, loading: true, error: null }));

    const load = async () => {
      const now = Date.now();
      const r = await client.request('metrics.series', { from: now - rangeMs, to: now, maxPoints: MAX_POINTS });
      if (cancelled) return;
      if (!r.ok) {
        setState({ series: current.current, loading: false, error: r.error.message });
        return;
      }
      current.current = r.value;
      setState({ series: r.value, loading: false, error: null });
    };

    const extend = async () => {
      const base = current.current;
      if (!base) return;
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      const now = Date.now();
      const r = await client.request('metrics.series', { from: lastTime(base) + 1, to: now, maxPoints: MAX_POINTS });
      inFlight = false;
      if (cancelled) return;
      if (r.ok && current.current === base) {
        const next = merge(base, r.value, now - rangeMs);
        current.current = next;
        setState({ series: next, loading: false, error: null });
      }
      if (again) {
        again = false;
        void extend();
      }
    };

    void load();
    const offSample = client.on('metrics.sample', () => void extend());
    const offCommand = client.on('commands.finished', () => void extend());
    return () => {
      cancelled = true;
      offSample();
      offCommand();
    };
  }, [rangeMs]);

  return state;
}

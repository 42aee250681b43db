import { useQuery } from '@tanstack/react-query';
import { call, keys } from '../../lib/queries';
import type { UsageSeries } from './cost-data';

/** How often the host reads the agents' records while sessions run (USAGE_SCAN_MS) — no point asking faster. */
const REFRESH_MS = 15_000;

/** Cost and tokens per session per minute over the last `rangeMs`, refreshed as the host reads new records. */
export function useUsageSeries(rangeMs: number): {
  series: UsageSeries | null;
  from: number;
  to: number;
  error: string | null;
} {
  const q = useQuery({
    queryKey: keys.usageSeries(rangeMs),
    queryFn: async () => {
      const to = Date.now();
      const from = to - rangeMs;
      return { series: await call('usage.series', { from, to }), from, to };
    },
    refetchInterval: REFRESH_MS,
  });
  // from/to matter only with a series (the charts are drawn from it), so no clock is read here.
  return {
    series: q.data?.series ?? null,
    from: q.data?.from ?? 0,
    to: q.data?.to ?? rangeMs,
    error: q.error ? q.error.message : null,
  };
}

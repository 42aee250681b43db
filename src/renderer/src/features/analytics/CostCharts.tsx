import { useMemo } from 'react';
import { useAgents } from '../../lib/queries';
import { typeLabels } from '../../lib/status';
import type { SessionType } from '../../../../shared/domain';
import { formatCost, formatTokens } from '../agents/approval';
import { ChartCard } from './ChartCard';
import { buildOptions } from './chart-options';
import { CostBars } from './CostBars';
import { costBucketMs, costBy, costOverTimeColumns, totalCost } from './cost-data';
import { useUsageSeries } from './use-usage-series';

interface Props {
  rangeMs: number;
  rangeId: string;
  theme: string;
}

/**
 * What the sessions cost in the chosen range: over time, by session, by agent and by type —
 * tokens from the agents' own records, priced by the host's dated price table.
 */
export function CostCharts({ rangeMs, rangeId, theme }: Props) {
  const { series, from, to, error } = useUsageSeries(rangeMs);
  const agents = useAgents().data;
  const names = useMemo(
    () => ({
      agent: (id: string) => agents?.find((a) => a.id === id)?.name ?? id,
      type: (id: string) => typeLabels[id as SessionType] ?? id,
    }),
    [agents],
  );
  const data = useMemo(() => {
    if (!series) return null;
    return {
      overTime: costOverTimeColumns(series, from, to),
      bySession: costBy(series, 'session', names),
      byAgent: costBy(series, 'agent', names),
      byType: costBy(series, 'type', names),
      total: totalCost(series),
    };
  }, [series, from, to, names]);
  const bucketMin = costBucketMs(rangeMs) / 60_000;
  return (
    <section className="cost-section" data-testid="analytics-cost" aria-labelledby="cost-heading">
      <div className="cost-head">
        <h3 id="cost-heading">Cost</h3>
        {data && (
          <span data-testid="analytics-cost-total">
            <strong>{formatCost(data.total.costUsd)}</strong>{' '}
            <span className="faint">· {formatTokens(data.total.tokens)} tokens in this range</span>
          </span>
        )}
        <span className="spacer" />
        {series && (
          <span className="faint cost-note">
            Estimated from the agents’ own logs · prices as of {series.pricesAsOf}
          </span>
        )}
      </div>
      {error && <div className="error-box">Could not load costs: {error}</div>}
      {data && (
        <div className="an-grid">
          <ChartCard
            name="cost-time"
            title="Cost over time"
            subtitle={`spend per ${bucketMin === 1 ? 'minute' : `${bucketMin} min`} and the running total`}
            structureKey={`${theme}|${rangeId}|cost`}
            data={data.overTime}
            emptyText="No recorded cost in this range."
            options={(width, height) =>
              buildOptions({
                width,
                height,
                windowMs: rangeMs,
                yLabel: 'USD',
                y2Label: 'total USD',
                series: [
                  { label: 'Spend', color: '#d08a1e', kind: 'bars', unit: ' $' },
                  { label: 'Running total', color: '#4d8af0', scale: 'y2', kind: 'step', unit: ' $' },
                ],
              })
            }
          />
          <CostBars name="session" title="Cost by session" subtitle="largest first" rows={data.bySession} />
          <CostBars name="agent" title="Cost by agent" subtitle="all sessions of each program" rows={data.byAgent} />
          <CostBars name="type" title="Cost by type" subtitle="session types" rows={data.byType} />
        </div>
      )}
    </section>
  );
}

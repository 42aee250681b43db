import { describe, expect, it } from 'vitest';
import { costBucketMs, costBy, costOverTimeColumns, totalCost, type UsageSeries } from './cost-data';

const min = 60_000;
const series: UsageSeries = {
  pricesAsOf: '2026-11',
  sessions: [
    { sessionId: 'a', name: 'fix login', agent: 'claude', type: 'general' },
    { sessionId: 'b', name: 'tests', agent: 'codex', type: 'code_generation' },
    { sessionId: 'c', name: 'docs', agent: 'claude', type: 'code_generation' },
    { sessionId: 'gone', name: null, agent: 'gemini', type: null },
  ],
  points: [
    { t: 0, sessionId: 'a', costUsd: 0.1, tokens: 1000 },
    { t: min, sessionId: 'b', costUsd: 0.25, tokens: 3000 },
    { t: min, sessionId: 'a', costUsd: 0.05, tokens: 500 },
    { t: 3 * min, sessionId: 'c', costUsd: 0.2, tokens: 2000 },
    { t: 3 * min, sessionId: 'gone', costUsd: 0.01, tokens: 100 },
  ],
};
const names = { agent: (id: string) => id.toUpperCase(), type: (id: string) => `type ${id}` };

describe('cost charts', () => {
  it('over time: spend per bucket and the running total', () => {
    expect(costBucketMs(15 * min)).toBe(min);
    expect(costBucketMs(24 * 60 * min)).toBe(24 * min);
    const [x, perBucket, running] = costOverTimeColumns(series, 0, 10 * min);
    expect(x).toEqual([30, 90, 210]);
    expect(perBucket).toEqual([0.1, 0.3, 0.21]);
    expect(running).toEqual([0.1, 0.4, 0.61]);
  });

  it('by session, by agent and by type, largest first; a removed session still counts', () => {
    expect(costBy(series, 'session', names).map((r) => [r.label, r.costUsd])).toEqual([
      ['tests', 0.25],
      ['docs', 0.2],
      ['fix login', 0.15],
      ['removed session gone', 0.01],
    ]);
    expect(costBy(series, 'agent', names).map((r) => [r.key, r.costUsd, r.tokens])).toEqual([
      ['claude', 0.35, 3500],
      ['codex', 0.25, 3000],
      ['gemini', 0.01, 100],
    ]);
    expect(costBy(series, 'type', names).map((r) => [r.label, r.costUsd])).toEqual([
      ['type code_generation', 0.45],
      ['type general', 0.15],
      ['removed sessions', 0.01],
    ]);
    expect(totalCost(series)).toEqual({ costUsd: 0.61, tokens: 6600 });
  });
});

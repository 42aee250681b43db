import { describe, expect, it } from 'vitest';
import type { MetricsSeries } from '../../../../shared/domain';
import { commandBucketMs, commandRateColumns, perSessionColumns, statusColumns } from './chart-data';

const base: MetricsSeries = { from: 0, to: 600_000, samples: [], statusCounts: [], commands: [] };

describe('chart columns', () => {
  it('aligns per-session samples on one time axis, with gaps as null', () => {
    const series: MetricsSeries = {
      ...base,
      samples: [
        { t: 1000, sessionId: 'b', cpuPercent: 5, memoryMb: 10, status: 'active' },
        { t: 1000, sessionId: 'a', cpuPercent: 1, memoryMb: 20, status: 'active' },
        { t: 2000, sessionId: 'a', cpuPercent: 2, memoryMb: 21, status: 'busy' },
      ],
    };
    const { ids, data } = perSessionColumns(series, 'cpuPercent', ['a', 'b']);
    expect(ids).toEqual(['a', 'b']);
    expect(data).toEqual([
      [1, 2],
      [1, 2],
      [5, null],
    ]);
  });

  it('snaps to a grid when there are more distinct times than columns', () => {
    const samples = Array.from({ length: 5000 }, (_, i) => ({
      t: i * 100,
      sessionId: 's',
      cpuPercent: 1,
      memoryMb: 1,
      status: 'idle' as const,
    }));
    const { data } = perSessionColumns({ ...base, from: 0, to: 500_000, samples }, 'memoryMb', []);
    expect(data[0].length).toBeLessThanOrEqual(1501);
  });

  it('draws only statuses that occur, in the domain order', () => {
    const { ids, data } = statusColumns({
      ...base,
      statusCounts: [
        { t: 2000, counts: { idle: 1, active: 0, waiting: 2 } },
        { t: 1000, counts: { idle: 2 } },
      ],
    });
    expect(ids).toEqual(['idle', 'waiting']);
    expect(data).toEqual([
      [1, 2],
      [2, 1],
      [0, 2],
    ]);
  });

  it('counts commands per minute and their success rate', () => {
    expect(commandBucketMs(15 * 60_000)).toBe(60_000);
    expect(commandBucketMs(24 * 3_600_000)).toBe(12 * 60_000);
    const { data } = commandRateColumns({
      ...base,
      commands: [
        { t: 61_000, durationMs: 5, ok: true, sessionId: 's' },
        { t: 62_000, durationMs: 5, ok: false, sessionId: 's' },
      ],
    });
    expect(data).toEqual([[90], [2], [50]]);
  });
});

import { z } from 'zod';
import type { MetricSample, SessionStatus } from '../../../shared/domain';
import { parseJson } from '../../../shared/json';
import type { Database, SqlParam } from '../store/database';

export interface SampleRow {
  sessionId: string;
  cpuPercent: number;
  memoryMb: number;
  status: SessionStatus;
}

/** SQLite inserts are cheap in one transaction but each statement has overhead: chunk multi-row inserts. */
const ROWS_PER_INSERT = 200;

const round1 = (n: number) => Math.round(n * 10) / 10;

/** A status_counts row: sessions per status at one tick. */
const statusCountsSchema = z.record(z.string(), z.number());

/** metric_samples (resources of running programs) and status_counts (sessions per status), both per tick. */
export class MetricsStore {
  constructor(private readonly db: Database) {}

  /** Everything one tick produces, in one transaction. */
  async saveTick(t: number, rows: SampleRow[], counts: Record<string, number>): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        const chunk = rows.slice(i, i + ROWS_PER_INSERT);
        const params: SqlParam[] = [];
        for (const r of chunk) params.push(t, r.sessionId, r.cpuPercent, r.memoryMb, r.status);
        await tx.run(
          `INSERT INTO metric_samples (t, session_id, cpu, mem, status) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
          params,
        );
      }
      await tx.run('INSERT OR REPLACE INTO status_counts (t, counts) VALUES (?, ?)', [t, JSON.stringify(counts)]);
    });
  }

  async prune(before: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM metric_samples WHERE t < ?', [before]);
      await tx.run('DELETE FROM status_counts WHERE t < ?', [before]);
    });
  }

  /**
   * Per-session samples in [from, to], averaged over time buckets of `bucketMs` (each bucket is
   * stamped with its last sample's time and status), oldest first.
   */
  async samples(from: number, to: number, bucketMs: number): Promise<MetricSample[]> {
    // With a single MAX() aggregate, SQLite takes the bare `status` column from the row holding the max.
    const rows = await this.db.all<{ session_id: string; t: number; cpu: number; mem: number; status: SessionStatus }>(
      `SELECT session_id, MAX(t) AS t, AVG(cpu) AS cpu, AVG(mem) AS mem, status
       FROM metric_samples WHERE t >= ? AND t <= ?
       GROUP BY session_id, CAST((t - ?) / ? AS INTEGER)
       ORDER BY t, session_id`,
      [from, to, from, bucketMs],
    );
    return rows.map((r) => ({
      t: r.t,
      sessionId: r.session_id,
      cpuPercent: round1(r.cpu),
      memoryMb: round1(r.mem),
      status: r.status,
    }));
  }

  /** Status counts in [from, to]: the last tick of each time bucket, oldest first. */
  async statusCounts(
    from: number,
    to: number,
    bucketMs: number,
  ): Promise<{ t: number; counts: Record<string, number> }[]> {
    const rows = await this.db.all<{ t: number; counts: string }>(
      `SELECT t, counts FROM status_counts WHERE t IN (
         SELECT MAX(t) FROM status_counts WHERE t >= ? AND t <= ? GROUP BY CAST((t - ?) / ? AS INTEGER)
       ) ORDER BY t`,
      [from, to, from, bucketMs],
    );
    // A row that is not a count per status (written by a broken build, edited by hand) is skipped.
    return rows.flatMap((r) => {
      const counts = parseJson(statusCountsSchema, r.counts);
      return counts.ok ? [{ t: r.t, counts: counts.value }] : [];
    });
  }
}

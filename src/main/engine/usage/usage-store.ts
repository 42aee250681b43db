import type { UsageSummary, UsageTotals } from '../../../shared/domain';
import type { Database } from '../store/database';
import { costOf } from './price-table';
import type { UsageRecord } from './usage-types';

export interface UsagePoint {
  t: number;
  sessionId: string;
  costUsd: number;
  tokens: number;
}

/** Who a series' session was, so charts can group by agent and type even after the session is gone. */
export interface UsageSessionLabel {
  sessionId: string;
  /** null once the session was removed (its usage stays counted). */
  name: string | null;
  agent: string;
  type: string | null;
}

interface TotalsRow {
  model: string;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cost: number | null;
  calls: number;
}

/** Token usage rows per session; a record seen again keeps the larger counts (Claude rewrites a message as it streams). */
export class UsageStore {
  constructor(private readonly db: Database) {}

  async add(sessionId: string, agent: string, records: UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const r of records) {
        const cost = r.costUsd ?? costOf(r.model, r);
        await tx.run(
          `INSERT INTO usage_records (session_id, record_key, agent, t, model, input, output, cache_read, cache_write, cost)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(session_id, record_key) DO UPDATE SET
             input = max(input, excluded.input), output = max(output, excluded.output),
             cache_read = max(cache_read, excluded.cache_read), cache_write = max(cache_write, excluded.cache_write),
             cost = CASE WHEN excluded.cost IS NULL THEN cost ELSE max(coalesce(cost, 0), excluded.cost) END`,
          [sessionId, r.key, agent, r.t, r.model, r.input, r.output, r.cacheRead, r.cacheWrite, cost],
        );
      }
    });
  }

  async byModel(sessionId: string): Promise<TotalsRow[]> {
    return this.db.all<TotalsRow>(
      `SELECT model, sum(input) AS input, sum(output) AS output, sum(cache_read) AS cacheRead,
         sum(cache_write) AS cacheWrite, sum(cost) AS cost, count(*) AS calls
       FROM usage_records WHERE session_id = ? GROUP BY model ORDER BY sum(input + output) DESC`,
      [sessionId],
    );
  }

  async summary(sessionId: string): Promise<UsageSummary | null> {
    const rows = await this.byModel(sessionId);
    if (rows.length === 0) return null;
    const priced = rows.filter((r) => r.cost !== null);
    return {
      inputTokens: sum(rows, 'input'),
      outputTokens: sum(rows, 'output'),
      cacheReadTokens: sum(rows, 'cacheRead'),
      cacheWriteTokens: sum(rows, 'cacheWrite'),
      costUsd: priced.length ? round6(priced.reduce((n, r) => n + (r.cost ?? 0), 0)) : null,
      models: rows.map((r) => r.model),
      unpricedTokens: rows.filter((r) => r.cost === null).reduce((n, r) => n + r.input + r.output, 0),
      updatedAt: Date.now(),
    };
  }

  async totals(): Promise<UsageTotals> {
    const r = await this.db.get<{
      input: number;
      output: number;
      cacheRead: number;
      cacheWrite: number;
      cost: number | null;
    }>(
      `SELECT coalesce(sum(input), 0) AS input, coalesce(sum(output), 0) AS output, coalesce(sum(cache_read), 0) AS cacheRead,
         coalesce(sum(cache_write), 0) AS cacheWrite, sum(cost) AS cost FROM usage_records`,
    );
    return {
      inputTokens: r?.input ?? 0,
      outputTokens: r?.output ?? 0,
      cacheReadTokens: r?.cacheRead ?? 0,
      cacheWriteTokens: r?.cacheWrite ?? 0,
      costUsd: r?.cost === null || r?.cost === undefined ? null : round6(r.cost),
    };
  }

  /** Cost and tokens per session per minute in [from, to]: bounded however many calls were made. */
  async series(from: number, to: number): Promise<UsagePoint[]> {
    const rows = await this.db.all<Omit<UsagePoint, 't'> & { minute: number }>(
      `SELECT (r.t / 60000) * 60000 AS minute, r.session_id AS sessionId, coalesce(sum(r.cost), 0) AS costUsd,
         sum(r.input + r.output + r.cache_read + r.cache_write) AS tokens
       FROM usage_records r WHERE r.t >= ? AND r.t <= ? GROUP BY minute, r.session_id ORDER BY minute`,
      [from, to],
    );
    return rows.map(({ minute, ...rest }) => ({ t: minute, ...rest }));
  }

  /** Name, agent and type of every session with usage in [from, to]. */
  async labels(from: number, to: number): Promise<UsageSessionLabel[]> {
    return this.db.all<UsageSessionLabel>(
      `SELECT r.session_id AS sessionId, max(r.agent) AS agent, json_extract(s.data, '$.name') AS name,
         json_extract(s.data, '$.type') AS type
       FROM usage_records r LEFT JOIN sessions s ON s.id = r.session_id
       WHERE r.t >= ? AND r.t <= ? GROUP BY r.session_id`,
      [from, to],
    );
  }
}

function sum(rows: TotalsRow[], k: 'input' | 'output' | 'cacheRead' | 'cacheWrite'): number {
  return rows.reduce((n, r) => n + r[k], 0);
}
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

import { batchSchema, type Batch } from '../../../shared/domain';
import type { Database } from '../store/database';

export interface StoredBatch {
  batch: Batch;
  /** The run's per-command timeout, kept so a rerun uses the same one. */
  timeoutSec: number | null;
}

/** Batches as JSON documents in the batches table. */
export class BatchStore {
  constructor(private readonly db: Database) {}

  async save(batch: Batch, timeoutSec: number | null): Promise<void> {
    await this.db.run(
      `INSERT INTO batches (id, data, created_at) VALUES (?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET data = excluded.data`,
      [batch.id, JSON.stringify({ ...batch, timeoutSec }), batch.createdAt],
    );
  }

  async get(id: string): Promise<StoredBatch | null> {
    const row = await this.db.get<{ data: string }>('SELECT data FROM batches WHERE id = ?', [id]);
    return row ? parse(row.data) : null;
  }

  /** Newest first. */
  async list(limit: number): Promise<StoredBatch[]> {
    const rows = await this.db.all<{ data: string }>('SELECT data FROM batches ORDER BY created_at DESC LIMIT ?', [
      limit,
    ]);
    return rows.map((r) => parse(r.data)).filter((b): b is StoredBatch => b !== null);
  }
}

function parse(data: string): StoredBatch | null {
  const json = JSON.parse(data) as { timeoutSec?: unknown };
  const parsed = batchSchema.safeParse(json);
  if (!parsed.success) return null;
  return { batch: parsed.data, timeoutSec: typeof json.timeoutSec === 'number' ? json.timeoutSec : null };
}

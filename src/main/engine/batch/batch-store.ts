import { z } from 'zod';
import { batchSchema, type Batch } from '../../../shared/domain';
import { parseJson } from '../../../shared/json';
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

/** A stored row: the batch plus the timeout its items ran with (rows from before it had none). */
const storedBatchSchema = batchSchema.extend({ timeoutSec: z.number().positive().nullable().optional() });

/** A row that is not a batch (written by a broken build, edited by hand) is skipped. */
function parse(data: string): StoredBatch | null {
  const parsed = parseJson(storedBatchSchema, data);
  if (!parsed.ok) return null;
  const { timeoutSec, ...batch } = parsed.value;
  return { batch, timeoutSec: timeoutSec ?? null };
}

import { reviewStateSchema, type ReviewState } from '../../../shared/review';
import type { Database } from '../store/database';

/** What review remembers per session (last merge, pull request), one JSON row each. */
export class ReviewStore {
  constructor(private readonly db: Database) {}

  async get(sessionId: string): Promise<ReviewState> {
    const row = await this.db.get<{ data: string }>('SELECT data FROM review_state WHERE session_id = ?', [sessionId]);
    const parsed = row ? reviewStateSchema.safeParse(JSON.parse(row.data)) : null;
    return parsed?.success ? parsed.data : { sessionId, merged: null, pullRequest: null };
  }

  async all(): Promise<ReviewState[]> {
    const rows = await this.db.all<{ data: string }>('SELECT data FROM review_state');
    return rows.flatMap((r) => {
      const parsed = reviewStateSchema.safeParse(JSON.parse(r.data));
      return parsed.success ? [parsed.data] : [];
    });
  }

  async update(sessionId: string, patch: Partial<Omit<ReviewState, 'sessionId'>>): Promise<ReviewState> {
    const next = { ...(await this.get(sessionId)), ...patch, sessionId };
    await this.db.run(
      `INSERT INTO review_state (session_id, data, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
      [sessionId, JSON.stringify(next), Date.now()],
    );
    return next;
  }
}

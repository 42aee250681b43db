import { reviewStateSchema, type ReviewState } from '../../../shared/review';
import { parseJson } from '../../../shared/json';
import type { Database } from '../store/database';

/** What review remembers per session (last merge, pull request), one JSON row each. */
export class ReviewStore {
  constructor(private readonly db: Database) {}

  async get(sessionId: string): Promise<ReviewState> {
    const row = await this.db.get<{ data: string }>('SELECT data FROM review_state WHERE session_id = ?', [sessionId]);
    const parsed = row ? parseJson(reviewStateSchema, row.data) : null;
    return parsed?.ok ? parsed.value : { sessionId, merged: null, pullRequest: null };
  }

  async all(): Promise<ReviewState[]> {
    const rows = await this.db.all<{ data: string }>('SELECT data FROM review_state');
    return rows.flatMap((r) => {
      const parsed = parseJson(reviewStateSchema, r.data);
      return parsed.ok ? [parsed.value] : [];
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

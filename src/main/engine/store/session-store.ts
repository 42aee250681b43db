import { sessionSchema, type Session } from '../../../shared/domain';
import { parseJson } from '../../../shared/json';
import type { Database } from './database';

const UPSERT_SESSION = `INSERT INTO sessions (id, repo_path, status, data, created_at, updated_at, group_id)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET repo_path = excluded.repo_path, status = excluded.status,
    data = excluded.data, updated_at = excluded.updated_at, group_id = excluded.group_id`;

function sessionRow(s: Session): (string | number | null)[] {
  return [s.id, s.repoPath, s.status, JSON.stringify(s), s.createdAt, s.updatedAt, s.groupId ?? null];
}

/** Sessions and their saved terminal scrollback. */
export class SessionStore {
  constructor(private readonly db: Database) {}

  async list(): Promise<Session[]> {
    const rows = await this.db.all<{ data: string }>('SELECT data FROM sessions ORDER BY created_at');
    const out: Session[] = [];
    for (const r of rows) {
      const parsed = parseJson(sessionSchema, r.data);
      if (parsed.ok) out.push(parsed.value);
    }
    return out;
  }

  async save(s: Session): Promise<void> {
    await this.db.run(UPSERT_SESSION, sessionRow(s));
  }

  async saveMany(sessions: Session[]): Promise<void> {
    if (sessions.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const s of sessions) {
        await tx.run(UPSERT_SESSION, sessionRow(s));
      }
    });
  }

  async delete(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM sessions WHERE id = ?', [id]);
      await tx.run('DELETE FROM scrollback WHERE session_id = ?', [id]);
    });
  }

  async saveScrollback(id: string, data: string, cols: number, rows: number): Promise<void> {
    await this.db.run(
      `INSERT INTO scrollback (session_id, data, cols, rows, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, cols = excluded.cols, rows = excluded.rows,
         updated_at = excluded.updated_at`,
      [id, data, cols, rows, Date.now()],
    );
  }

  async loadScrollback(id: string): Promise<{ data: string; cols: number; rows: number } | null> {
    const row = await this.db.get<{ data: string; cols: number; rows: number }>(
      'SELECT data, cols, rows FROM scrollback WHERE session_id = ?',
      [id],
    );
    return row ?? null;
  }
}

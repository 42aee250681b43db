import { z } from 'zod';
import { sessionSchema, type QuarantinedRecord, type Session } from '../../../shared/domain';
import { parseJson, parseJsonValue } from '../../../shared/json';
import type { Database } from './database';

const UPSERT_SESSION = `INSERT INTO sessions (id, repo_path, status, data, created_at, updated_at, group_id)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET repo_path = excluded.repo_path, status = excluded.status,
    data = excluded.data, updated_at = excluded.updated_at, group_id = excluded.group_id`;

function sessionRow(s: Session): (string | number | null)[] {
  return [s.id, s.repoPath, s.status, JSON.stringify(s), s.createdAt, s.updatedAt, s.groupId ?? null];
}

interface SessionRow {
  id: string;
  repo_path: string;
  data: string;
  updated_at: number;
}

/** A readable string field of a damaged record, found even when its JSON does not parse. */
function field(raw: string, parsed: unknown, name: string): string | null {
  if (parsed && typeof parsed === 'object') {
    const v = (parsed as Record<string, unknown>)[name];
    if (typeof v === 'string') return v;
  }
  const m = new RegExp(`"${name}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(raw);
  if (!m) return null;
  const unescaped = parseJson(z.string(), `"${m[1]}"`);
  return unescaped.ok ? unescaped.value : null;
}

/** What is wrong with a stored record, or null when it is a valid session. */
function damage(row: SessionRow): { session: Session } | { quarantined: QuarantinedRecord } {
  let parsed: unknown = null;
  let reason: string;
  const raw = parseJsonValue(row.data);
  if (raw.ok) {
    parsed = raw.value;
    const r = sessionSchema.safeParse(parsed);
    if (r.success && r.data.id === row.id) return { session: r.data };
    reason = r.success
      ? `its id (${r.data.id}) does not match the row (${row.id})`
      : r.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || 'record'}: ${i.message}`)
          .join('; ');
  } else {
    reason = `not valid JSON (${raw.error})`;
  }
  return {
    quarantined: {
      id: row.id,
      reason,
      name: field(row.data, parsed, 'name'),
      repoPath: field(row.data, parsed, 'repoPath') ?? row.repo_path,
      worktreePath: field(row.data, parsed, 'worktreePath'),
      branch: field(row.data, parsed, 'branch'),
      updatedAt: row.updated_at,
    },
  };
}

/** Sessions and their saved terminal scrollback. */
export class SessionStore {
  constructor(private readonly db: Database) {}

  /**
   * Every stored session; a row that fails JSON parsing or validation is returned apart
   * (quarantined) and left in the store untouched, never dropped.
   */
  async load(): Promise<{ sessions: Session[]; quarantined: QuarantinedRecord[] }> {
    const rows = await this.db.all<SessionRow>(
      'SELECT id, repo_path, data, updated_at FROM sessions ORDER BY created_at',
    );
    const sessions: Session[] = [];
    const quarantined: QuarantinedRecord[] = [];
    for (const r of rows) {
      const d = damage(r);
      if ('session' in d) sessions.push(d.session);
      else quarantined.push(d.quarantined);
    }
    return { sessions, quarantined };
  }

  async list(): Promise<Session[]> {
    return (await this.load()).sessions;
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

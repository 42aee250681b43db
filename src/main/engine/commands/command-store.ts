import { z } from 'zod';
import type { CommandRecord } from '../../../shared/domain';
import { parseJson } from '../../../shared/json';
import type { Database } from '../store/database';

export interface CommandCounters {
  commandsExecuted: number;
  commandsSucceeded: number;
  tasksCompleted: number;
}

interface CommandRow {
  id: string;
  session_id: string;
  batch_id: string | null;
  kind: string;
  command: string;
  args: string;
  shell: number;
  exit_code: number | null;
  stdout: string;
  stderr: string;
  truncated: number;
  duration_ms: number;
  timed_out: number;
  started_at: number;
  finished_at: number | null;
}

interface CounterRow {
  session_id: string;
  commands_executed: number;
  commands_succeeded: number;
  tasks_completed: number;
}

const argsSchema = z.array(z.string());

/** A row's arguments; anything but a list of strings (a hand-edited row) shows as none rather than lie. */
function storedArgs(text: string): string[] {
  const args = parseJson(argsSchema, text);
  return args.ok ? args.value : [];
}

function toRecord(r: CommandRow): CommandRecord {
  return {
    id: r.id,
    sessionId: r.session_id,
    kind: r.kind === 'skill' ? 'skill' : 'shell',
    command: r.command,
    args: storedArgs(r.args),
    shell: r.shell === 1,
    exitCode: r.exit_code,
    stdout: r.stdout,
    stderr: r.stderr,
    truncated: r.truncated === 1,
    durationMs: r.duration_ms,
    timedOut: r.timed_out === 1,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    batchId: r.batch_id,
  };
}

const emptyCounters = (): CommandCounters => ({ commandsExecuted: 0, commandsSucceeded: 0, tasksCompleted: 0 });

/** The commands table and the per-session counters, always changed together. */
export class CommandStore {
  constructor(private readonly db: Database) {}

  /** Records a finished command and bumps its session's counters in one transaction. */
  async insert(rec: CommandRecord, succeeded: boolean): Promise<void> {
    const ok = succeeded ? 1 : 0;
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO commands (id, session_id, batch_id, kind, command, args, shell, exit_code, stdout, stderr,
           truncated, duration_ms, timed_out, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          rec.id,
          rec.sessionId,
          rec.batchId,
          rec.kind,
          rec.command,
          JSON.stringify(rec.args),
          rec.shell ? 1 : 0,
          rec.exitCode,
          rec.stdout,
          rec.stderr,
          rec.truncated ? 1 : 0,
          rec.durationMs,
          rec.timedOut ? 1 : 0,
          rec.startedAt,
          rec.finishedAt,
        ],
      );
      await tx.run(
        `INSERT INTO session_counters (session_id, commands_executed, commands_succeeded, tasks_completed)
         VALUES (?, 1, ?, ?)
         ON CONFLICT(session_id) DO UPDATE SET
           commands_executed = commands_executed + 1,
           commands_succeeded = commands_succeeded + excluded.commands_succeeded,
           tasks_completed = tasks_completed + excluded.tasks_completed`,
        [rec.sessionId, ok, ok],
      );
    });
  }

  async addTaskCompleted(sessionId: string): Promise<void> {
    await this.db.run(
      `INSERT INTO session_counters (session_id, tasks_completed) VALUES (?, 1)
       ON CONFLICT(session_id) DO UPDATE SET tasks_completed = tasks_completed + 1`,
      [sessionId],
    );
  }

  async history(sessionId: string, limit: number): Promise<CommandRecord[]> {
    const rows = await this.db.all<CommandRow>(
      'SELECT * FROM commands WHERE session_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?',
      [sessionId, limit],
    );
    return rows.map(toRecord);
  }

  async get(id: string): Promise<CommandRecord | null> {
    const row = await this.db.get<CommandRow>('SELECT * FROM commands WHERE id = ?', [id]);
    return row ? toRecord(row) : null;
  }

  async counters(sessionId: string): Promise<CommandCounters> {
    const row = await this.db.get<CounterRow>('SELECT * FROM session_counters WHERE session_id = ?', [sessionId]);
    return row ? fromCounterRow(row) : emptyCounters();
  }

  /** Every session's counters in one query (the metrics tick reads them all at once). */
  async allCounters(): Promise<Map<string, CommandCounters>> {
    const rows = await this.db.all<CounterRow>('SELECT * FROM session_counters');
    return new Map(rows.map((r) => [r.session_id, fromCounterRow(r)]));
  }

  async totals(): Promise<{ commandsExecuted: number; commandsSucceeded: number }> {
    const row = await this.db.get<{ e: number | null; s: number | null }>(
      'SELECT SUM(commands_executed) AS e, SUM(commands_succeeded) AS s FROM session_counters',
    );
    return { commandsExecuted: row?.e ?? 0, commandsSucceeded: row?.s ?? 0 };
  }

  /** Finished commands in a time range, oldest first, at most `limit` (the newest ones). */
  async finishedBetween(
    from: number,
    to: number,
    limit: number,
  ): Promise<{ t: number; durationMs: number; ok: boolean; sessionId: string }[]> {
    const rows = await this.db.all<{
      t: number;
      duration_ms: number;
      exit_code: number | null;
      timed_out: number;
      session_id: string;
    }>(
      `SELECT * FROM (
         SELECT finished_at AS t, duration_ms, exit_code, timed_out, session_id FROM commands
         WHERE started_at >= ? AND started_at <= ? AND finished_at IS NOT NULL
         ORDER BY started_at DESC LIMIT ?
       ) ORDER BY t`,
      [from, to, limit],
    );
    return rows.map((r) => ({
      t: r.t,
      durationMs: r.duration_ms,
      ok: r.exit_code === 0 && r.timed_out === 0,
      sessionId: r.session_id,
    }));
  }
}

function fromCounterRow(r: CounterRow): CommandCounters {
  return {
    commandsExecuted: r.commands_executed,
    commandsSucceeded: r.commands_succeeded,
    tasksCompleted: r.tasks_completed,
  };
}

import sqlite3 from 'sqlite3';
import { AppError } from '../../../shared/errors';
import { migrations } from './migrations';

export type SqlParam = string | number | null | Buffer;

/**
 * A write the disk refused, as the typed error a person can act on: a full disk, or a data dir
 * that cannot be written. Other errors pass through unchanged.
 */
export function storageError(e: unknown, path: string): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL') {
    return new AppError(
      'DISK_FULL',
      `The disk holding ${path} is full, so nothing was changed — free some space and try again.`,
      {
        path,
      },
    );
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return new AppError(
      'DATA_DIR_READ_ONLY',
      `${path} cannot be written (read-only disk or permissions), so nothing was changed — make the data dir writable and try again.`,
      { path },
    );
  }
  return e;
}
export type Row = Record<string, unknown>;

/**
 * Promise wrapper over the N-API sqlite3 bindings (they load in Electron and plain Node from one
 * install). One connection; writes are serialised through a queue so that a transaction's
 * statements never interleave with another writer's.
 */
export class Database {
  private writeChain: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly db: sqlite3.Database,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<Database> {
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d = new sqlite3.Database(path, (err) => (err ? reject(err) : resolve(d)));
    });
    const db = new Database(raw, path);
    raw.configure('busyTimeout', 5000);
    await db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
    await db.migrate();
    return db;
  }

  private async migrate(): Promise<void> {
    const row = await this.get<{ user_version: number }>('PRAGMA user_version');
    const current = row?.user_version ?? 0;
    for (let v = current; v < migrations.length; v++) {
      await this.transaction(async () => {
        await this.exec(migrations[v]);
        await this.rawRun(`PRAGMA user_version = ${v + 1}`, []);
      });
    }
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (err) => (err ? reject(err) : resolve())));
  }

  private rawRun(sql: string, params: SqlParam[]): Promise<{ changes: number }> {
    return new Promise((resolve, reject) =>
      this.db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ changes: this.changes });
      }),
    );
  }

  get<T = Row>(sql: string, params: SqlParam[] = []): Promise<T | undefined> {
    return new Promise((resolve, reject) =>
      this.db.get(sql, params, (err, row) => (err ? reject(err) : resolve(row as T | undefined))),
    );
  }

  all<T = Row>(sql: string, params: SqlParam[] = []): Promise<T[]> {
    return new Promise((resolve, reject) =>
      this.db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
    );
  }

  /** A single write statement, queued behind any running transaction; disk refusals are typed. */
  run(sql: string, params: SqlParam[] = []): Promise<{ changes: number }> {
    return this.enqueue(() => this.rawRun(sql, params)).catch((e: unknown) => {
      throw storageError(e, this.path);
    });
  }

  /**
   * Runs `fn` inside BEGIN IMMEDIATE … COMMIT. Inside `fn`, use the `tx` argument (not `run`, which
   * would wait for this very transaction to finish).
   */
  transaction<T>(
    fn: (tx: { run(sql: string, params?: SqlParam[]): Promise<{ changes: number }> }) => Promise<T>,
  ): Promise<T> {
    return this.enqueue(async () => {
      await this.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn({ run: (sql, params = []) => this.rawRun(sql, params) });
        await this.exec('COMMIT');
        return result;
      } catch (e) {
        await this.exec('ROLLBACK').catch(() => undefined);
        throw storageError(e, this.path);
      }
    });
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.writeChain.then(fn, fn);
    this.writeChain = next.catch(() => undefined);
    return next;
  }

  async integrityCheck(): Promise<string> {
    const row = await this.get<{ integrity_check: string }>('PRAGMA integrity_check');
    return row?.integrity_check ?? 'unknown';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writeChain;
    await new Promise<void>((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
}

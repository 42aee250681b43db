import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from '../core/logger';
import type { Database } from '../store/database';
import type { SpawnRecord } from './isolated-spawn';
import { isAlive, killTree } from './process-tree';

/** What the engine starts: session programs, setup scripts, commands (batch items are commands). */
export type LedgerKind = 'program' | 'setup' | 'command';

export interface LedgerEntry {
  id: string;
  kind: LedgerKind;
  sessionId: string | null;
  batchId: string | null;
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22): tells a reused pid apart. */
  startTicks: string | null;
  bootId: string | null;
  startedAt: number;
  label: string;
}

/** What the next start found of one process the previous host had started. */
export interface Leftover extends LedgerEntry {
  /** `stopped`: it still ran and was stopped now; `ended`: it had ended; `unverified`: left alone (cannot prove it is ours). */
  outcome: 'stopped' | 'ended' | 'unverified';
}

interface Row {
  id: string;
  kind: string;
  session_id: string | null;
  batch_id: string | null;
  pid: number;
  start_ticks: string | null;
  boot_id: string | null;
  started_at: number;
  label: string;
}

function readBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** A process's start time since boot, or null (gone, or no /proc). */
export function startTicksOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * Every process the engine starts is written down (pid, start time, boot) before anything waits on
 * it and crossed out when it ends, so that after a crash (kill -9 of the host) the next start
 * finds what is left, stops what still runs — only when boot and start time prove it is the same
 * process, never a reused pid — and the records can say what happened to it.
 */
export class ProcessLedger {
  private readonly bootId = readBootId();
  /** Each entry's write, so crossing it out never overtakes writing it down. */
  private readonly writes = new Map<string, Promise<unknown>>();

  constructor(private readonly d: { db: Database; log: Logger }) {}

  /**
   * Writes a started process down: `recorded` settles once it is written (a gated child runs only
   * then), `ended` crosses it out (call when it ended).
   */
  record(e: Parameters<ProcessLedger['track']>[0]): SpawnRecord {
    const done = this.track(e);
    return { recorded: done.recorded, ended: () => void done() };
  }

  /** Writes a started process down; returns the function that crosses it out (call when it ended). */
  track(e: {
    kind: LedgerKind;
    pid: number;
    label: string;
    sessionId?: string | null;
    batchId?: string | null;
  }): (() => Promise<void>) & { recorded: Promise<void> } {
    const id = randomUUID();
    const write = this.d.db
      .run(
        `INSERT INTO process_ledger (id, kind, session_id, batch_id, pid, start_ticks, boot_id, started_at, label)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          e.kind,
          e.sessionId ?? null,
          e.batchId ?? null,
          e.pid,
          startTicksOf(e.pid),
          this.bootId,
          Date.now(),
          e.label.slice(0, 500),
        ],
      )
      .catch((err: unknown) => this.d.log.warn('process', `could not record pid ${e.pid}: ${String(err)}`));
    this.writes.set(id, write);
    let done: Promise<void> | null = null;
    const crossOut = () =>
      (done ??= write
        .then(() => this.d.db.run('DELETE FROM process_ledger WHERE id = ?', [id]))
        .then(
          () => undefined,
          (err: unknown) => this.d.log.warn('process', `could not cross out pid ${e.pid}: ${String(err)}`),
        )
        .finally(() => this.writes.delete(id)));
    return Object.assign(crossOut, { recorded: write.then(() => undefined) });
  }

  /** Whether the recorded process is the very one still running (same boot, same start time). */
  isSameProcess(e: LedgerEntry): boolean {
    if (!e.startTicks || !e.bootId || e.bootId !== this.bootId) return false;
    return isAlive(e.pid) && startTicksOf(e.pid) === e.startTicks;
  }

  /**
   * At start-up, before anything new runs: every process a previous host left written down is
   * stopped (whole tree and group) if it is provably still the same process, and crossed out.
   * `keep` (the terminal host's re-adoption of live session programs) may claim entries instead.
   */
  async recover(keep: (e: LedgerEntry) => boolean = () => false): Promise<Leftover[]> {
    const rows = await this.d.db.all<Row>('SELECT * FROM process_ledger ORDER BY started_at');
    const out: Leftover[] = [];
    for (const r of rows) {
      const e: LedgerEntry = {
        id: r.id,
        kind: r.kind === 'program' || r.kind === 'setup' ? r.kind : 'command',
        sessionId: r.session_id,
        batchId: r.batch_id,
        pid: r.pid,
        startTicks: r.start_ticks,
        bootId: r.boot_id,
        startedAt: r.started_at,
        label: r.label,
      };
      if (keep(e)) continue;
      let outcome: Leftover['outcome'];
      if (this.isSameProcess(e)) {
        await killTree(e.pid, { graceMs: 1000 });
        outcome = 'stopped';
        this.d.log.warn('process', `stopped ${e.kind} "${e.label}" (pid ${e.pid}) left running by the previous host`);
      } else {
        // Gone, or a different process now holds the pid, or there is no /proc to prove it.
        outcome = e.startTicks && e.bootId ? 'ended' : isAlive(e.pid) ? 'unverified' : 'ended';
      }
      await this.d.db.run('DELETE FROM process_ledger WHERE id = ?', [e.id]);
      out.push({ ...e, outcome });
    }
    return out;
  }

  /**
   * The crossing-out of an entry `recover` left in place because `keep` claimed it (a program
   * re-adopted from the terminal host): call it when that process ends.
   */
  crossOut(e: LedgerEntry): () => Promise<void> {
    let done: Promise<void> | null = null;
    return () =>
      (done ??= this.d.db.run('DELETE FROM process_ledger WHERE id = ?', [e.id]).then(
        () => undefined,
        (err: unknown) => this.d.log.warn('process', `could not cross out pid ${e.pid}: ${String(err)}`),
      ));
  }

  /** Waits for pending writes (shutdown). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
  }
}

/** How a leftover reads in a record: "its setup script (pid 123) was still running and was stopped". */
export function describeLeftover(l: Leftover, what: string): string {
  if (l.outcome === 'stopped')
    return `${what} (pid ${l.pid}) was still running and was stopped when the host started again`;
  if (l.outcome === 'unverified') return `${what} (pid ${l.pid}) could not be checked and was left alone`;
  return `${what} (pid ${l.pid}) had already ended`;
}

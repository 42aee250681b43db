import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { RequestParsedInput } from '../../../shared/contract';
import type { CommandRecord, Session } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { EventHub } from '../rpc/event-hub';
import type { Logger } from '../core/logger';
import type { SkillRegistry } from '../skills/skill-registry';
import type { LimitService } from '../limits/limit-service';
import type { Database } from '../store/database';
import { runCommand } from './command-runner';
import { describeLeftover, type Leftover, type ProcessLedger } from '../process/process-ledger';
import { CommandStore, type CommandCounters } from './command-store';
import type { SessionLookup } from './session-lookup';

export type ExecuteInput = RequestParsedInput<'commands.execute'>;

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Runs one-off, non-interactive commands and skills in a session's worktree, records every one
 * (failures and timeouts too) and keeps the session's counters.
 */
export class CommandService {
  private readonly store: CommandStore;
  private readonly hub: EventHub;
  private readonly log: Logger;
  private readonly sessions: SessionLookup;
  private readonly skills: SkillRegistry;
  /** Aborts of the commands running now, so that shutting down kills their trees (they run detached). */
  private readonly running = new Map<AbortController, { sessionId: string; work: Promise<unknown> }>();
  /** Sessions being terminated: their running commands are cancelled and no new one starts. */
  private readonly quiesced = new Map<string, number>();
  /** Controllers aborted by `quiesce`, so their callers learn the command was cancelled, not failed. */
  private readonly cancelledForTerminate = new WeakSet<AbortController>();
  private disposed = false;

  /** Commands run inside their session's cgroup (its limits count them); absent in unit tests. */
  private readonly limits: Pick<LimitService, 'prepare' | 'ended'> | null;
  private readonly ledger: ProcessLedger | null;

  constructor(opts: {
    db: Database;
    hub: EventHub;
    log: Logger;
    sessions: SessionLookup;
    skills: SkillRegistry;
    limits?: Pick<LimitService, 'prepare' | 'ended'>;
    /** Where running commands are written down, to be found again after a crash. */
    ledger?: ProcessLedger;
  }) {
    this.limits = opts.limits ?? null;
    this.ledger = opts.ledger ?? null;
    this.store = new CommandStore(opts.db);
    this.hub = opts.hub;
    this.log = opts.log;
    this.sessions = opts.sessions;
    this.skills = opts.skills;
  }

  /**
   * Runs the command in the session's worktree. Timeout: the input's, else the session's
   * command timeout, else none. A program that is not installed is recorded, then reported as
   * PROGRAM_NOT_FOUND; every other outcome comes back as the record.
   */
  async execute(input: ExecuteInput, opts: { batchId?: string; signal?: AbortSignal } = {}): Promise<CommandRecord> {
    if (this.disposed) throw new AppError('CANCELLED', 'Multisession is shutting down — no new commands start');
    const session = this.sessions.get(input.sessionId);
    try {
      await this.assertRunnable(session);
    } catch (e) {
      // A terminate that began meanwhile (its worktree already gone): cancelled, not failed.
      const wasEnding = session.status === 'terminated';
      if (!wasEnding && (this.quiesced.has(session.id) || this.terminatedMeanwhile(session.id))) {
        throw new AppError(
          'CANCELLED',
          `Session "${session.name}" is being terminated — no new commands start in it.`,
          {
            sessionId: session.id,
          },
        );
      }
      throw e;
    }

    let program: string;
    let args: string[];
    let shell: boolean;
    if (input.kind === 'skill') {
      const resolved = await this.skills.resolve(input.command, input.params, session.repoPath, {
        cwd: session.worktreePath,
        pathVar: session.env.PATH,
      });
      program = resolved.command;
      args = [...resolved.args, ...input.args];
      shell = false;
    } else {
      program = input.command;
      args = input.args;
      shell = input.shell;
    }

    const timeoutSec = input.timeoutSec ?? session.limits.commandTimeoutSec ?? null;
    const startedAt = Date.now();
    // Checked after the last await, right before the command starts: none slips in after quiesce,
    // nor after a terminate that began and ended while this request awaited (its worktree is gone).
    if (this.quiesced.has(session.id) || this.terminatedMeanwhile(session.id)) {
      throw new AppError('CANCELLED', `Session "${session.name}" is being terminated — no new commands start in it.`, {
        sessionId: session.id,
      });
    }
    const controller = new AbortController();
    const forward = () => controller.abort();
    if (opts.signal?.aborted) controller.abort();
    opts.signal?.addEventListener('abort', forward, { once: true });
    const work = this.runAndRecord(
      session,
      input,
      { program, args, shell, timeoutSec, startedAt },
      controller,
      opts.batchId,
    );
    this.running.set(controller, { sessionId: session.id, work });
    try {
      const record = await work;
      if (this.cancelledForTerminate.has(controller)) {
        throw new AppError(
          'CANCELLED',
          `"${input.command}" was stopped because session "${session.name}" is being terminated.`,
          { sessionId: session.id, commandId: record.id },
        );
      }
      return record;
    } finally {
      this.running.delete(controller);
      opts.signal?.removeEventListener('abort', forward);
    }
  }

  private terminatedMeanwhile(sessionId: string): boolean {
    try {
      return this.sessions.get(sessionId).status === 'terminated';
    } catch {
      return true;
    }
  }

  private async runAndRecord(
    session: Session,
    input: ExecuteInput,
    run: { program: string; args: string[]; shell: boolean; timeoutSec: number | null; startedAt: number },
    controller: AbortController,
    batchId: string | undefined,
  ): Promise<CommandRecord> {
    const { program, args, shell, timeoutSec, startedAt } = run;
    const cgroup = this.limits?.prepare(session);
    const ledger = this.ledger;
    const r = await runCommand({
      cwd: session.worktreePath,
      command: program,
      args,
      shell,
      env: { ...session.env, MULTISESSION_SESSION_ID: session.id, MULTISESSION_SESSION_NAME: session.name },
      passEnv: session.passEnv,
      cgroupProcs: cgroup?.cgroupProcs,
      scope: cgroup?.scope,
      timeoutMs: timeoutSec === null ? null : Math.round(timeoutSec * 1000),
      signal: controller.signal,
      onSpawn: ledger
        ? (pid) => ledger.record({ kind: 'command', pid, sessionId: session.id, batchId, label: input.command })
        : undefined,
    }).finally(() => {
      if (cgroup) this.limits?.ended(session.id);
    });
    const notFound = r.spawnErrorCode === 'ENOENT';
    const spawnMessage = notFound ? this.notFoundMessage(program, input) : r.spawnError;
    const record: CommandRecord = {
      id: randomUUID(),
      sessionId: session.id,
      kind: input.kind,
      command: input.command,
      // For a skill, the argv it resolved to, so the history shows what actually ran.
      args: input.kind === 'skill' ? [program, ...args] : args,
      shell,
      exitCode: r.exitCode,
      stdout: r.stdout,
      stderr: spawnMessage ? (r.stderr ? `${r.stderr}\n${spawnMessage}` : spawnMessage) : r.stderr,
      truncated: r.truncated,
      durationMs: r.durationMs,
      timedOut: r.timedOut,
      startedAt,
      finishedAt: Date.now(),
      batchId: batchId ?? null,
    };
    const succeeded = record.exitCode === 0 && !record.timedOut;
    await this.store.insert(record, succeeded);
    this.hub.emit('commands.finished', { command: record });
    if (r.timedOut) this.log.info('commands', `"${input.command}" in ${session.name} timed out after ${timeoutSec} s`);
    if (notFound) throw new AppError('PROGRAM_NOT_FOUND', spawnMessage ?? '', { program, commandId: record.id });
    return record;
  }

  private notFoundMessage(program: string, input: ExecuteInput): string {
    const base = `\`${program}\` was not found on PATH — install it or give the full path`;
    return input.kind === 'skill' ? `${base} (the "${input.command}" skill needs it)` : base;
  }

  private async assertRunnable(session: Session): Promise<void> {
    if (session.status === 'terminated') {
      throw new AppError(
        'INVALID_STATE',
        `Session "${session.name}" is terminated — its worktree is gone; create a new session to run commands`,
        { sessionId: session.id },
      );
    }
    if (session.status === 'paused') {
      throw new AppError(
        'INVALID_STATE',
        `Session "${session.name}" is paused — its folder is freed; resume it to run commands`,
        { sessionId: session.id },
      );
    }
    if (session.worktreeMissing || !(await isDirectory(session.worktreePath))) {
      throw new AppError(
        'INVALID_STATE',
        `The worktree of session "${session.name}" is missing (${session.worktreeMissing ?? session.worktreePath}) — run cleanup or recreate the session`,
        { sessionId: session.id, path: session.worktreePath },
      );
    }
  }

  /**
   * After a crash: a command the previous host was running is recorded as killed (or ended) — the
   * history says what happened to it instead of forgetting it.
   */
  async recordInterrupted(leftovers: Leftover[]): Promise<void> {
    for (const l of leftovers.filter((x) => x.kind === 'command' && x.sessionId)) {
      const record: CommandRecord = {
        id: randomUUID(),
        sessionId: l.sessionId as string,
        kind: 'shell',
        command: l.label,
        args: [],
        shell: false,
        exitCode: null,
        stdout: '',
        stderr: `Interrupted: the host stopped while this ran; ${describeLeftover(l, 'its process')}.`,
        truncated: false,
        durationMs: Date.now() - l.startedAt,
        timedOut: false,
        startedAt: l.startedAt,
        finishedAt: Date.now(),
        batchId: l.batchId,
      };
      await this.store.insert(record, false);
    }
  }

  /** Kills every running command's process tree and waits until each is recorded. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const c of this.running.keys()) c.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.work));
  }

  /**
   * Before a session is terminated: no new command starts in it, and its running ones (batch
   * items included) are killed and recorded before this resolves — nothing writes into a
   * worktree being removed. Returns the release (call it when the terminate is over).
   */
  async quiesce(sessionId: string): Promise<() => void> {
    this.quiesced.set(sessionId, (this.quiesced.get(sessionId) ?? 0) + 1);
    const mine = [...this.running].filter(([, r]) => r.sessionId === sessionId);
    for (const [c] of mine) {
      this.cancelledForTerminate.add(c);
      c.abort();
    }
    await Promise.allSettled(mine.map(([, r]) => r.work));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.quiesced.get(sessionId) ?? 1) - 1;
      if (n <= 0) this.quiesced.delete(sessionId);
      else this.quiesced.set(sessionId, n);
    };
  }

  /** The session's commands, newest first. */
  /** How many commands (batch items included) run in the session's worktree now. */
  runningIn(sessionId: string): number {
    let n = 0;
    for (const r of this.running.values()) if (r.sessionId === sessionId) n++;
    return n;
  }

  history(sessionId: string, limit: number): Promise<CommandRecord[]> {
    this.sessions.get(sessionId);
    return this.store.history(sessionId, limit);
  }

  counters(sessionId: string): Promise<CommandCounters> {
    return this.store.counters(sessionId);
  }

  allCounters(): Promise<Map<string, CommandCounters>> {
    return this.store.allCounters();
  }

  totals(): Promise<{ commandsExecuted: number; commandsSucceeded: number }> {
    return this.store.totals();
  }

  /** Called by the engine when a session's program exits with code 0. */
  addTaskCompleted(sessionId: string): Promise<void> {
    return this.store.addTaskCompleted(sessionId);
  }

  /** Finished commands in a time range for the charts, oldest first, at most `limit`. */
  finishedBetween(from: number, to: number, limit: number) {
    return this.store.finishedBetween(from, to, limit);
  }
}

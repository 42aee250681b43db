import { randomUUID } from 'node:crypto';
import { batchRunInputSchema, type RequestParsedInput } from '../../../shared/contract';
import type { Batch, BatchItem, Settings } from '../../../shared/domain';
import { AppError, isAppError } from '../../../shared/errors';
import type { CommandService } from '../commands/command-service';
import { tailText } from '../commands/output-tail';
import type { SessionLookup } from '../commands/session-lookup';
import type { EventHub } from '../rpc/event-hub';
import type { Logger } from '../core/logger';
import type { Database } from '../store/database';
import { selectSessions } from './batch-selector';
import { describeLeftover, type Leftover } from '../process/process-ledger';
import { BatchStore } from './batch-store';

export type BatchRunInput = RequestParsedInput<'batch.run'>;

/** Characters of stdout+stderr kept per item for the live view; the full output is in the command record. */
const OUTPUT_TAIL_CHARS = 2048;
/** Progress events and writes are coalesced to at most one per this many ms per batch. */
const PROGRESS_COALESCE_MS = 150;
const LIST_LIMIT = 100;

interface LiveBatch {
  batch: Batch;
  timeoutSec: number | null;
  controller: AbortController;
  cancelRequested: boolean;
  flushTimer: NodeJS.Timeout | null;
  done: Promise<Batch>;
}

const clone = (b: Batch): Batch => ({ ...b, args: [...b.args], items: b.items.map((i) => ({ ...i })) });

/**
 * Runs one command across many sessions in the background: at most `concurrency` at once,
 * highest-priority sessions first, with live per-item results pushed as `batch.progress`.
 */
export class BatchService {
  private readonly store: BatchStore;
  private readonly hub: EventHub;
  private readonly log: Logger;
  private readonly sessions: SessionLookup;
  private readonly commands: CommandService;
  private readonly getSettings: () => Promise<Settings>;
  private readonly live = new Map<string, LiveBatch>();

  constructor(opts: {
    db: Database;
    hub: EventHub;
    log: Logger;
    sessions: SessionLookup;
    commands: CommandService;
    getSettings: () => Promise<Settings>;
  }) {
    this.store = new BatchStore(opts.db);
    this.hub = opts.hub;
    this.log = opts.log;
    this.sessions = opts.sessions;
    this.commands = opts.commands;
    this.getSettings = opts.getSettings;
  }

  /** Starts a batch and resolves at once with its items pending; it runs in the background. */
  async run(input: BatchRunInput): Promise<Batch> {
    const targets = selectSessions(input.selector, this.sessions);
    const batch: Batch = {
      id: randomUUID(),
      command: input.command,
      args: [...input.args],
      shell: input.shell,
      concurrency: input.concurrency,
      status: 'running',
      createdAt: Date.now(),
      finishedAt: null,
      items: targets.map((s) => ({
        sessionId: s.id,
        sessionName: s.name,
        status: 'pending',
        exitCode: null,
        durationMs: null,
        outputTail: '',
        timedOut: false,
        commandId: null,
      })),
    };
    const timeoutSec = input.timeoutSec ?? null;
    await this.store.save(batch, timeoutSec);
    let resolveDone: (b: Batch) => void = () => undefined;
    const live: LiveBatch = {
      batch,
      timeoutSec,
      controller: new AbortController(),
      cancelRequested: false,
      flushTimer: null,
      done: new Promise<Batch>((r) => (resolveDone = r)),
    };
    this.live.set(batch.id, live);
    const initial = clone(batch);
    this.hub.emit('batch.progress', { batch: initial });
    void this.drive(live).then(
      () => resolveDone(clone(live.batch)),
      (e: unknown) => {
        this.log.error('batch', `Batch ${batch.id} failed unexpectedly`, e);
        resolveDone(clone(live.batch));
      },
    );
    return clone(initial);
  }

  /** Runs a settings preset (default: the default preset) on the given sessions, or on all live ones. */
  async runPreset(input: RequestParsedInput<'batch.runPreset'>): Promise<Batch> {
    const settings = await this.getSettings();
    const presetId = input.presetId ?? settings.defaultPresetId;
    if (!presetId) {
      throw new AppError('BAD_INPUT', 'No default command preset is set — pick one in Settings → Presets', {
        field: 'presetId',
      });
    }
    const preset = settings.presets.find((p) => p.id === presetId);
    if (!preset) {
      throw new AppError(
        'NOT_FOUND',
        `No command preset "${presetId}" — presets: ${settings.presets.map((p) => p.id).join(', ') || 'none'}`,
        { presetId },
      );
    }
    return this.run(
      batchRunInputSchema.parse({
        selector: input.sessionIds.length > 0 ? { sessionIds: input.sessionIds } : { all: true },
        command: preset.command,
        args: preset.args,
        shell: preset.shell,
      }),
    );
  }

  /** Whether a running batch still has an item for the session that has not finished. */
  hasWorkFor(sessionId: string): boolean {
    for (const live of this.live.values()) {
      if (live.batch.items.some((i) => i.sessionId === sessionId && (i.status === 'pending' || i.status === 'running')))
        return true;
    }
    return false;
  }

  async get(batchId: string): Promise<Batch> {
    const live = this.live.get(batchId);
    if (live) return clone(live.batch);
    const stored = await this.store.get(batchId);
    if (!stored) throw new AppError('NOT_FOUND', `No batch with id ${batchId}`, { batchId });
    return interrupted(stored.batch);
  }

  /** Recent batches, newest first. */
  async list(): Promise<Batch[]> {
    const stored = await this.store.list(LIST_LIMIT);
    return stored.map((s) => {
      const live = this.live.get(s.batch.id);
      return live ? clone(live.batch) : interrupted(s.batch);
    });
  }

  /** Stops a batch: running commands are killed (whole trees), pending items are cancelled. Resolves when it has stopped. */
  async cancel(batchId: string): Promise<Batch> {
    const live = this.live.get(batchId);
    if (!live) return this.get(batchId);
    live.cancelRequested = true;
    for (const item of live.batch.items) if (item.status === 'pending') item.status = 'cancelled';
    live.controller.abort();
    this.changed(live);
    return live.done;
  }

  /** A new batch with the same command on the sessions whose items failed (those that still exist). */
  async rerunFailed(batchId: string): Promise<Batch> {
    const batch = await this.get(batchId);
    const stored = await this.store.get(batchId);
    const known = new Set(this.sessions.list().map((s) => s.id));
    const ids = batch.items.filter((i) => i.status === 'failed' && known.has(i.sessionId)).map((i) => i.sessionId);
    if (ids.length === 0) {
      throw new AppError('INVALID_STATE', 'This batch has no failed items to run again', { batchId });
    }
    return this.run(
      batchRunInputSchema.parse({
        selector: { sessionIds: ids },
        command: batch.command,
        args: batch.args,
        shell: batch.shell,
        concurrency: batch.concurrency,
        timeoutSec: stored?.timeoutSec ?? undefined,
      }),
    );
  }

  /**
   * After a crash: batches the previous host was running are stored as cancelled, each item
   * saying what happened — killed at restart, had ended, or never started.
   */
  async recoverInterrupted(leftovers: Leftover[]): Promise<number> {
    let n = 0;
    for (const stored of await this.store.list(LIST_LIMIT)) {
      const b = stored.batch;
      if (b.status !== 'running' || this.live.has(b.id)) continue;
      const fixed: Batch = {
        ...b,
        status: 'cancelled',
        finishedAt: b.finishedAt ?? Date.now(),
        items: b.items.map((i) => {
          // The process ledger knows an item's command from its spawn on; the stored item may still
          // say pending when the crash came before its 'running' was saved.
          const l = leftovers.find((x) => x.kind === 'command' && x.batchId === b.id && x.sessionId === i.sessionId);
          if (i.status === 'pending' && !l)
            return { ...i, status: 'cancelled', outputTail: 'Not started: the host stopped first.' };
          if (i.status !== 'running' && i.status !== 'pending') return i;
          const what = l ? describeLeftover(l, 'its command') : 'its command was not found running';
          return {
            ...i,
            status: 'cancelled',
            outputTail: `${i.outputTail}${i.outputTail ? '\n' : ''}Interrupted: the host stopped while this ran; ${what}.`,
          };
        }),
      };
      await this.store.save(fixed, stored.timeoutSec);
      n++;
    }
    return n;
  }

  /** Cancels every running batch (for shutdown) and waits until they have stopped. */
  async dispose(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.cancel(id)));
  }

  /** Resolves with the batch once it has finished (immediately for a finished one). */
  async waitFor(batchId: string): Promise<Batch> {
    const live = this.live.get(batchId);
    return live ? live.done : this.get(batchId);
  }

  private async drive(live: LiveBatch): Promise<void> {
    const { batch } = live;
    let next = 0;
    const worker = async () => {
      while (next < batch.items.length) {
        const item = batch.items[next++];
        if (item.status !== 'pending') continue;
        await this.runItem(live, item);
      }
    };
    const workers = Array.from({ length: Math.min(batch.concurrency, batch.items.length) }, worker);
    await Promise.all(workers);
    batch.status = live.cancelRequested ? 'cancelled' : 'done';
    batch.finishedAt = Date.now();
    await this.flush(live);
    this.live.delete(batch.id);
    const failed = batch.items.filter((i) => i.status === 'failed').length;
    this.log.info('batch', `Batch ${batch.id} ${batch.status}: ${batch.items.length} items, ${failed} failed`);
  }

  /** Only pending items come here, so no cancel was asked: `cancel` turns every pending item cancelled at once. */
  private async runItem(live: LiveBatch, item: BatchItem): Promise<void> {
    item.status = 'running';
    this.changed(live);
    const started = Date.now();
    try {
      const rec = await this.commands.execute(
        {
          sessionId: item.sessionId,
          kind: 'shell',
          command: live.batch.command,
          args: live.batch.args,
          shell: live.batch.shell,
          params: {},
          timeoutSec: live.timeoutSec ?? undefined,
        },
        { batchId: live.batch.id, signal: live.controller.signal },
      );
      const ok = rec.exitCode === 0 && !rec.timedOut;
      item.status = ok ? 'succeeded' : live.cancelRequested ? 'cancelled' : 'failed';
      item.exitCode = rec.exitCode;
      item.durationMs = rec.durationMs;
      item.timedOut = rec.timedOut;
      item.commandId = rec.id;
      item.outputTail = tailText(
        rec.stderr ? `${rec.stdout}${rec.stdout ? '\n' : ''}${rec.stderr}` : rec.stdout,
        OUTPUT_TAIL_CHARS,
      );
    } catch (e) {
      // CANCELLED: the session is being terminated (the command, if it ran, was killed and
      // recorded); a session terminated before its item came up is cancelled too, not failed.
      const gone = this.sessions.list().find((s) => s.id === item.sessionId)?.status === 'terminated';
      item.status = isAppError(e) && (e.code === 'CANCELLED' || gone) ? 'cancelled' : 'failed';
      item.durationMs = Date.now() - started;
      item.outputTail = isAppError(e) ? e.message : `Internal error: ${e instanceof Error ? e.message : String(e)}`;
      const commandId = isAppError(e) ? e.details?.commandId : undefined;
      if (typeof commandId === 'string') item.commandId = commandId;
      if (!isAppError(e)) this.log.error('batch', `Item ${item.sessionId} of batch ${live.batch.id} threw`, e);
    }
    this.changed(live);
  }

  /** Schedules one coalesced progress event and write for a burst of item changes. */
  private changed(live: LiveBatch): void {
    if (live.flushTimer) return;
    live.flushTimer = setTimeout(() => void this.flush(live), PROGRESS_COALESCE_MS);
  }

  private async flush(live: LiveBatch): Promise<void> {
    if (live.flushTimer) clearTimeout(live.flushTimer);
    live.flushTimer = null;
    const snapshot = clone(live.batch);
    this.hub.emit('batch.progress', { batch: snapshot });
    try {
      await this.store.save(snapshot, live.timeoutSec);
    } catch (e) {
      this.log.error('batch', `Could not save batch ${snapshot.id}`, e);
    }
  }
}

/** A batch stored as running that no live run owns was cut off by a host exit: show it as cancelled. */
function interrupted(b: Batch): Batch {
  if (b.status !== 'running') return b;
  return {
    ...b,
    status: 'cancelled',
    items: b.items.map((i) =>
      i.status === 'pending' || i.status === 'running'
        ? {
            ...i,
            status: 'cancelled',
            outputTail: i.outputTail || 'Interrupted: the host stopped while this batch ran',
          }
        : i,
    ),
  };
}

import type { RequestInput, RequestOutput } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import type { Batch, CommandRecord, Session, SystemStatus } from '../../shared/domain';
import type { MultisessionClient } from './multisession-client';

/** The seed's MultiSessionSkill operations, as helpers over a connected client. */

export type SessionSpec = RequestInput<'sessions.create'>;

export interface ParallelCreateResult {
  /** Every session created, in the order of the specs (a spec with copies yields several). */
  created: Session[];
  failed: Array<{ spec: SessionSpec; error: AppErrorShape }>;
}

/** Creates one session per spec, all at once; one failing spec does not stop the others. */
export async function createParallelSessions(
  client: MultisessionClient,
  specs: SessionSpec[],
): Promise<ParallelCreateResult> {
  const results = await Promise.all(specs.map((spec) => client.request('sessions.create', spec)));
  const out: ParallelCreateResult = { created: [], failed: [] };
  results.forEach((r, i) => {
    if (r.ok) out.created.push(...r.value);
    else out.failed.push({ spec: specs[i], error: r.error });
  });
  return out;
}

export interface SessionCommand {
  sessionId: string;
  command: string;
  args?: string[];
  shell?: boolean;
  kind?: 'shell' | 'skill';
  timeoutSec?: number;
}

export type SessionCommandResult =
  { sessionId: string; ok: true; record: CommandRecord } | { sessionId: string; ok: false; error: AppErrorShape };

/**
 * Runs a different command in each session (the seed's batch_execute), at most `concurrency` at
 * a time; results come back in the order of the commands.
 */
export async function batchExecute(
  client: MultisessionClient,
  commands: SessionCommand[],
  opts: { concurrency?: number } = {},
): Promise<SessionCommandResult[]> {
  const results: SessionCommandResult[] = new Array(commands.length);
  let next = 0;
  const worker = async () => {
    while (next < commands.length) {
      const i = next++;
      const c = commands[i];
      const r = await client.request('commands.execute', {
        sessionId: c.sessionId,
        command: c.command,
        args: c.args ?? [],
        shell: c.shell ?? false,
        kind: c.kind ?? 'shell',
        timeoutSec: c.timeoutSec,
      });
      results[i] = r.ok
        ? { sessionId: c.sessionId, ok: true, record: r.value }
        : { sessionId: c.sessionId, ok: false, error: r.error };
    }
  };
  const width = Math.max(1, Math.min(opts.concurrency ?? 4, commands.length));
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** Runs one command across sessions with batch.run and resolves once the batch has finished. */
export async function runBatch(
  client: MultisessionClient,
  input: RequestInput<'batch.run'>,
  onProgress?: (batch: Batch) => void,
): Promise<RequestOutput<'batch.run'>> {
  let batchId: string | null = null;
  const early: Batch[] = [];
  let wake: (() => void) | null = null;
  const off = client.on('batch.progress', ({ batch }) => {
    if (batchId === null) early.push(batch);
    else if (batch.id === batchId) {
      onProgress?.(batch);
      wake?.();
    }
  });
  try {
    let batch = await client.call('batch.run', input);
    batchId = batch.id;
    if (early.some((b) => b.id === batchId && b.status !== 'running'))
      batch = await client.call('batch.get', { batchId });
    while (batch.status === 'running') {
      // Events wake us early; the periodic read covers an event missed while reconnecting.
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 1000);
        wake = () => {
          clearTimeout(timer);
          r();
        };
      });
      wake = null;
      batch = await client.call('batch.get', { batchId });
    }
    return batch;
  } finally {
    off();
  }
}

/** The system-wide status (the seed's get_system_status). */
export function systemStatus(client: MultisessionClient): Promise<SystemStatus> {
  return client.call('metrics.system', {});
}

import type { CreateSessionInput } from '../../src/shared/contract';
import type { FrameClient } from '../../src/shared/client';
import type { Session, SessionStatus } from '../../src/shared/domain';
import { ACK_BATCH_CHARS, ACK_BATCH_MS } from '../../src/shared/terminal-flow';
import { nowMs } from './stats';

const runningStatuses: SessionStatus[] = ['active', 'busy', 'idle', 'waiting'];
const failedStatuses: SessionStatus[] = ['error', 'stopped', 'completed', 'terminated'];

/** A shell loop printing ~2 KB every 100 ms (~20 KB/s) without forking per line (`read -t` is a builtin). */
export const STREAMER: { program: string; args: string[] } = {
  program: 'bash',
  args: [
    '--noprofile',
    '--norc',
    '-c',
    's=$(head -c 1500 /dev/zero | base64); while :; do printf "%s\\n" "$s"; read -t 0.1; done',
  ],
};

/** A program that sits there: what a session runs while nothing is measured on its terminal. */
export const SLEEPER: { program: string; args: string[] } = { program: 'sh', args: ['-c', 'exec sleep 600'] };

/** Follows every session's status from `sessions.changed`, so creation can wait for "program running". */
export class StatusWatch {
  private readonly status = new Map<string, SessionStatus>();
  private readonly waiters = new Set<() => void>();
  private readonly off: () => void;

  constructor(client: FrameClient) {
    this.off = client.on('sessions.changed', ({ session }) => {
      this.status.set(session.id, session.status);
      for (const w of this.waiters) w();
    });
  }

  /** Resolves once every session runs its program or failed; with the number that failed. */
  settle(sessions: Session[], timeoutMs = 180_000): Promise<{ failed: number }> {
    for (const s of sessions) if (!this.status.has(s.id)) this.status.set(s.id, s.status);
    return new Promise((resolve, reject) => {
      const check = () => {
        const states = sessions.map((s) => this.status.get(s.id) ?? 'initializing');
        const failed = states.filter((st) => failedStatuses.includes(st)).length;
        if (states.every((st) => runningStatuses.includes(st) || failedStatuses.includes(st))) {
          done();
          resolve({ failed });
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`sessions did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  dispose(): void {
    this.off();
  }
}

/** `sessions.create` and wait until the program of every created session runs. */
export async function createRunning(
  client: FrameClient,
  watch: StatusWatch,
  input: CreateSessionInput,
): Promise<Session[]> {
  const sessions = await client.call('sessions.create', { autoStart: true, ...input });
  const { failed } = await watch.settle(sessions);
  if (failed > 0) throw new Error(`${failed} of ${sessions.length} session(s) failed to start`);
  return sessions;
}

/** Removes a session with its worktree and branch (between measured runs; never timed). */
export async function terminate(client: FrameClient, sessionId: string): Promise<void> {
  // The benchmark's own sessions: discard exactly what the removal check lists.
  const verdict = await client.call('sessions.removalCheck', { sessionId, deleteBranch: true });
  await client.call('sessions.terminate', { sessionId, deleteBranch: true, acceptLoss: verdict.fingerprint });
}

/**
 * Attaches to terminals like the renderer does: snapshot + live `terminals.data`, and acks in
 * batches (ACK_BATCH_CHARS, or within ACK_BATCH_MS: the renderer's AckBatcher) as soon as data is "written".
 */
export class TerminalTap {
  private readonly handlers = new Map<string, (data: string) => void>();
  private readonly pending = new Map<string, { chars: number; timer: NodeJS.Timeout | null }>();
  private readonly off: () => void;

  constructor(private readonly client: FrameClient) {
    this.off = client.on('terminals.data', ({ sessionId, data }) => {
      const h = this.handlers.get(sessionId);
      if (!h) return;
      h(data);
      this.ack(sessionId, data.length);
    });
  }

  async attach(sessionId: string, onData: (data: string) => void = () => undefined): Promise<string> {
    this.handlers.set(sessionId, onData);
    const r = await this.client.call('terminals.attach', { sessionId, cols: 120, rows: 32 });
    return r.snapshot;
  }

  async detach(sessionId: string): Promise<void> {
    this.handlers.delete(sessionId);
    const p = this.pending.get(sessionId);
    if (p?.timer) clearTimeout(p.timer);
    this.pending.delete(sessionId);
    await this.client.request('terminals.detach', { sessionId });
  }

  private ack(sessionId: string, chars: number): void {
    let p = this.pending.get(sessionId);
    if (!p) {
      p = { chars: 0, timer: null };
      this.pending.set(sessionId, p);
    }
    p.chars += chars;
    if (p.chars >= ACK_BATCH_CHARS) this.flush(sessionId);
    else if (!p.timer) p.timer = setTimeout(() => this.flush(sessionId), ACK_BATCH_MS);
  }

  private flush(sessionId: string): void {
    const p = this.pending.get(sessionId);
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
    if (p.chars === 0) return;
    const chars = p.chars;
    p.chars = 0;
    void this.client.request('terminals.ack', { sessionId, chars });
  }

  dispose(): void {
    this.off();
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer);
    this.pending.clear();
    this.handlers.clear();
  }
}

/**
 * Reads a flood through `tap`: attaches, sends the Enter the flooding program waits for, and counts
 * what arrives until the program exits. MB/s are `chars` over `ms` (first Enter to last chunk).
 */
export async function readFlood(
  client: FrameClient,
  tap: TerminalTap,
  sessionId: string,
): Promise<{ chars: number; ms: number }> {
  let chars = 0;
  let last = 0;
  let t0 = 0;
  const exited = new Promise<void>((resolve) => {
    const off = client.on('terminals.exit', (e) => {
      if (e.sessionId !== sessionId) return;
      off();
      resolve();
    });
  });
  await tap.attach(sessionId, (d) => {
    if (t0 === 0) return;
    chars += d.length;
    last = nowMs();
  });
  t0 = nowMs();
  await client.call('terminals.input', { sessionId, data: '\r' });
  await exited;
  return { chars, ms: last - t0 };
}

import { createServer } from 'node:net';
import type { PortBlock } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { Database } from '../store/database';

export interface PortRange {
  /** First port of the first block. Below Linux's ephemeral range (32768+), above common dev ports. */
  start: number;
  blockSize: number;
  blocks: number;
}

export const defaultPortRange: PortRange = { start: 20000, blockSize: 10, blocks: 1000 };

/** Whether every port of the block can be bound on loopback right now (nobody else listens there). */
async function blockFree(base: number, count: number): Promise<boolean> {
  for (let p = base; p < base + count; p++) {
    const ok = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen({ port: p, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
    });
    if (!ok) return false;
  }
  return true;
}

/**
 * Per-session port blocks: each session holds one block of `blockSize` ports for its whole life
 * (restarts keep it), recorded in the store with a UNIQUE base so two sessions never share one,
 * skipping blocks something else on the machine listens in, released when the session ends.
 */
export class PortAllocator {
  constructor(
    private readonly db: Database,
    private readonly range: PortRange = defaultPortRange,
  ) {}

  /** The session's block, allocating the lowest free one the first time. */
  async allocate(sessionId: string): Promise<PortBlock> {
    const { start, blockSize, blocks } = this.range;
    return this.db.transaction(async (tx) => {
      const own = await this.db.get<{ base: number; count: number }>(
        'SELECT base, count FROM session_ports WHERE session_id = ?',
        [sessionId],
      );
      if (own) return { base: own.base, count: own.count };
      const used = new Set((await this.db.all<{ base: number }>('SELECT base FROM session_ports')).map((r) => r.base));
      for (let i = 0; i < blocks; i++) {
        const base = start + i * blockSize;
        if (used.has(base) || !(await blockFree(base, blockSize))) continue;
        await tx.run('INSERT INTO session_ports (session_id, base, count, allocated_at) VALUES (?, ?, ?, ?)', [
          sessionId,
          base,
          blockSize,
          Date.now(),
        ]);
        return { base, count: blockSize };
      }
      throw new AppError(
        'BUSY',
        `No free port block: all ${blocks} blocks of ${blockSize} ports from ${start} are held by sessions or in use — terminate sessions you no longer need.`,
      );
    });
  }

  async release(sessionId: string): Promise<void> {
    await this.db.run('DELETE FROM session_ports WHERE session_id = ?', [sessionId]);
  }

  async held(): Promise<{ sessionId: string; base: number; count: number }[]> {
    return this.db.all<{ sessionId: string; base: number; count: number }>(
      'SELECT session_id AS sessionId, base, count FROM session_ports ORDER BY base',
    );
  }
}

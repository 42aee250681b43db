import { ACK_BATCH_CHARS, ACK_BATCH_MS } from '../../../../shared/terminal-flow';
import { getClient } from '../../lib/client';

/**
 * Acknowledges written characters to the host's flow control in batches: immediately once
 * ACK_BATCH_CHARS are pending, otherwise within ACK_BATCH_MS, so a chatty program costs one request
 * per batch (why these sizes: shared/terminal-flow.ts).
 */
export class AckBatcher {
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(private readonly sessionId: string) {}

  add(chars: number): void {
    if (this.disposed || chars <= 0) return;
    this.pending += chars;
    if (this.pending >= ACK_BATCH_CHARS) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), ACK_BATCH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending === 0) return;
    const chars = this.pending;
    this.pending = 0;
    void getClient().request('terminals.ack', { sessionId: this.sessionId, chars });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.disposed = true;
  }
}

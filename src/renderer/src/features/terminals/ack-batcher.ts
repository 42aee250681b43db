import { getClient } from '../../lib/client';

const FLUSH_CHARS = 5000;
const FLUSH_MS = 100;

/**
 * Acknowledges written characters to the host's flow control in batches: immediately once
 * FLUSH_CHARS are pending, otherwise within FLUSH_MS, so a chatty program costs one request per batch.
 */
export class AckBatcher {
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(private readonly sessionId: string) {}

  add(chars: number): void {
    if (this.disposed || chars <= 0) return;
    this.pending += chars;
    if (this.pending >= FLUSH_CHARS) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
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

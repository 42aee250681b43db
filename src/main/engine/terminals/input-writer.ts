import { safeCut } from './output-batcher';

interface Pending {
  data: string;
  delayMs: number;
}

/**
 * Writes user input to a PTY in order, in pieces of `chunkChars`, yielding to the event loop
 * between pieces so a megabyte paste does not stall every other terminal.
 */
export class InputWriter {
  private readonly queue: Pending[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly write: (data: string) => void,
    private readonly chunkChars = 4096,
  ) {}

  /** Queues `data`; with `delayMs` it is written that long after everything before it. */
  push(data: string, delayMs = 0): void {
    if (this.closed || (data.length === 0 && delayMs === 0)) return;
    this.queue.push({ data, delayMs });
    if (!this.scheduled) this.pump();
  }

  get queuedChars(): number {
    return this.queue.reduce((n, p) => n + p.data.length, 0);
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private pump(): void {
    this.scheduled = false;
    if (this.closed) return;
    const head = this.queue[0];
    if (!head) return;
    if (head.delayMs > 0) {
      const wait = head.delayMs;
      head.delayMs = 0;
      this.scheduled = true;
      setTimeout(() => this.pump(), wait).unref();
      return;
    }
    const cut = safeCut(head.data, this.chunkChars);
    const piece = head.data.slice(0, cut);
    head.data = head.data.slice(cut);
    if (head.data.length === 0) this.queue.shift();
    try {
      this.write(piece);
    } catch {
      // The PTY closed under us (program exited); the rest of the input has nowhere to go.
      this.close();
      return;
    }
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.pump());
    }
  }
}

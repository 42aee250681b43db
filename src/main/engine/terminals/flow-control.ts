import { MAX_FLUSH_CHARS } from './output-batcher';

export interface Watermarks {
  high: number;
  low: number;
}

interface Consumer {
  unacked: number;
  marks: Watermarks;
  /** Counted in maxUnackedSeen (clients are; the host's own headless terminal is not). */
  tracked: boolean;
}

export interface FlowSnapshot {
  paused: boolean;
  /** Largest unacknowledged count any client reached since the terminal started. */
  maxUnacked: number;
  pauses: number;
}

/**
 * Past this a consumer pauses the source. It sits a flush plus a PTY read below the high
 * watermark (reads are a few KB, rarely over 16 KB): what is already read when the pause takes
 * effect still goes out, and must not carry a client past `high` unacknowledged characters.
 */
function over(c: Consumer): boolean {
  return c.unacked > c.marks.high - Math.min(2 * MAX_FLUSH_CHARS, c.marks.high / 2);
}

/**
 * Ack-based flow control for one terminal. Each consumer counts characters sent minus
 * characters acknowledged; the source is paused when any consumer passes its high watermark
 * and resumed once every consumer is back under its low one. A consumer that leaves stops
 * counting, so one stalled client cannot hold a terminal after it disconnects.
 */
export class FlowControl<K> {
  private readonly consumers = new Map<K, Consumer>();
  private paused = false;
  private disabled = false;
  private maxUnacked = 0;
  private pauses = 0;

  constructor(private readonly control: { pause: () => void; resume: () => void }) {}

  add(key: K, marks: Watermarks, tracked = true): void {
    this.consumers.set(key, { unacked: 0, marks, tracked });
  }

  remove(key: K): void {
    if (this.consumers.delete(key)) this.update();
  }

  has(key: K): boolean {
    return this.consumers.has(key);
  }

  sent(key: K, chars: number): void {
    const c = this.consumers.get(key);
    if (!c) return;
    c.unacked += chars;
    if (c.tracked && c.unacked > this.maxUnacked) this.maxUnacked = c.unacked;
    if (!this.paused && !this.disabled && over(c)) this.setPaused(true);
  }

  acked(key: K, chars: number): void {
    const c = this.consumers.get(key);
    if (!c) return;
    c.unacked = Math.max(0, c.unacked - chars);
    if (this.paused && c.unacked < c.marks.low) this.update();
  }

  unacked(key: K): number {
    return this.consumers.get(key)?.unacked ?? 0;
  }

  isPaused(): boolean {
    return this.paused;
  }

  snapshot(): FlowSnapshot {
    return { paused: this.paused, maxUnacked: this.maxUnacked, pauses: this.pauses };
  }

  /** Resumes and stops pausing, so a program being stopped can drain its last output. */
  release(): void {
    this.disabled = true;
    if (this.paused) this.setPaused(false);
  }

  /** Pauses again when needed (a new program runs in the terminal). */
  enable(): void {
    this.disabled = false;
    this.update();
  }

  private update(): void {
    let anyOver = false;
    let allLow = true;
    for (const c of this.consumers.values()) {
      if (over(c)) anyOver = true;
      if (c.unacked >= c.marks.low) allLow = false;
    }
    if (!this.paused && anyOver && !this.disabled) this.setPaused(true);
    else if (this.paused && allLow) this.setPaused(false);
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) {
      this.pauses++;
      this.control.pause();
    } else {
      this.control.resume();
    }
  }
}

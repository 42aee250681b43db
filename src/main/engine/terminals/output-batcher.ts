/** Cuts `s` at most `max` UTF-16 units in, never between the halves of a surrogate pair. */
export function safeCut(s: string, max: number): number {
  if (s.length <= max) return s.length;
  const code = s.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

/** The longest piece a batcher flushes at once (flow control pauses this far below a high watermark). */
export const MAX_FLUSH_CHARS = 16_384;

/**
 * Coalesces a program's output into fewer, larger messages: a batch goes out `delayMs` after
 * its first chunk or as soon as it would pass `maxChars`, whichever is first. Output arriving
 * when nothing was flushed for `delayMs` (a keystroke's echo in a quiet terminal) goes out at
 * once, so typing does not wait for the batch timer; output that follows closely is batched.
 * Every flushed piece is at most `maxChars` long, which bounds how far a flush can overshoot a
 * watermark.
 */
export class OutputBatcher {
  private parts: string[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastFlushAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly onFlush: (data: string) => void,
    private readonly delayMs = 8,
    private readonly maxChars = MAX_FLUSH_CHARS,
  ) {}

  push(data: string): void {
    if (data.length === 0) return;
    if (this.size + data.length > this.maxChars) this.flush();
    let rest = data;
    while (rest.length > this.maxChars) {
      const cut = safeCut(rest, this.maxChars);
      this.onFlush(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    this.parts.push(rest);
    this.size += rest.length;
    if (this.size >= this.maxChars) this.flush();
    else if (!this.timer && performance.now() - this.lastFlushAt >= this.delayMs) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  /** Sends whatever is pending now (before a resize, an attach, an exit). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.size === 0) return;
    this.lastFlushAt = performance.now();
    const data = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.onFlush(data);
  }

  get pending(): number {
    return this.size;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.parts = [];
    this.size = 0;
  }
}

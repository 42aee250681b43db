/** How long a relay line waits for others on its way to an engine (unless it is an echo). */
export const RELAY_COALESCE_MS = 6;
/** Output of a session that had input this recently goes out at once: a keystroke's echo never waits. */
export const ECHO_WINDOW_MS = 150;
/**
 * Waiting lines go out at once from this many characters: a message this large already carries
 * its per-message cost well, and holding a flood's frames back would stretch flow control's round
 * trip (the window is ~100 000 characters in flight).
 */
const MAX_WAITING_CHARS = 8 * 1024;

/**
 * One engine connection's outgoing frames, with terminal output (relay lines) coalesced: each
 * frame costs a write on this side and a read, a wake-up and a WebSocket write on the engine's, so
 * with many sessions streaming the per-message cost, not the bytes, is most of the CPU. A relay
 * line goes out at once when the connection has been quiet for RELAY_COALESCE_MS (a lone chunk, an
 * echo in a quiet terminal) or when its session had input within ECHO_WINDOW_MS (typing while
 * others stream); otherwise it waits at most RELAY_COALESCE_MS for company and they go out as one
 * write. Every other frame (responses, hub events, exits) first sends what waits, so the wire keeps
 * the order in which things were sent.
 */
export class RelayOut {
  private waiting: string[] = [];
  private waitingChars = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private readonly inputAt = new Map<string, number>();
  private disposed = false;

  constructor(
    /** Writes text frames joined by newlines, as one write. */
    private readonly write: (lines: string) => void,
    private readonly delayMs = RELAY_COALESCE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Input reached this session through this connection: its output is an echo for a while. */
  noteInput(sessionId: string): void {
    const now = this.now();
    if (this.inputAt.size >= 256) {
      for (const [id, at] of this.inputAt) if (now - at >= ECHO_WINDOW_MS) this.inputAt.delete(id);
    }
    this.inputAt.set(sessionId, now);
  }

  /** A relay line of `sessionId`'s output or viewer events. */
  relay(line: string, sessionId: string): void {
    if (this.disposed) return;
    const now = this.now();
    this.waiting.push(line);
    this.waitingChars += line.length;
    const echo = now - (this.inputAt.get(sessionId) ?? Number.NEGATIVE_INFINITY) < ECHO_WINDOW_MS;
    const quiet = this.timer === null && now - this.lastWriteAt >= this.delayMs;
    if (echo || quiet || this.waitingChars >= MAX_WAITING_CHARS) this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  /** Any other frame: what waits goes first, in the same write. */
  send(frame: string): void {
    if (this.disposed) return;
    this.waiting.push(frame);
    this.flush();
  }

  /** Writes whatever waits. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.waiting.length === 0 || this.disposed) return;
    const text = this.waiting.length === 1 ? this.waiting[0] : this.waiting.join('\n');
    this.waiting = [];
    this.waitingChars = 0;
    this.lastWriteAt = this.now();
    this.write(text);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waiting = [];
    this.waitingChars = 0;
    this.disposed = true;
  }
}

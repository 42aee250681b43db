import xtermHeadless from '@xterm/headless';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import type { EventName, EventPayload } from '../../src/shared/contract';
import type { Peer } from '../../src/main/engine/rpc/peer';

export interface RecordedEvent {
  name: EventName;
  payload: unknown;
}

/**
 * A client as the terminal service sees it, for tests and benchmarks: records every event and,
 * like a real client after `term.write`'s callback, acknowledges terminal data — at once, at a
 * limited rate, or never.
 */
export class RecordingPeer implements Peer {
  readonly kind = 'local' as const;
  readonly events: RecordedEvent[] = [];
  private readonly closeListeners: (() => void)[] = [];
  private open = true;
  private unackedChars = new Map<string, number>();
  private ackTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly id: string,
    /** Where acks go (normally `service.ack(sessionId, peer, chars)`); null never acks. */
    private readonly ack: ((sessionId: string, chars: number) => void) | null,
    /** Ack at most this many chars per 20 ms tick; undefined acks every chunk at once. */
    private readonly ackCharsPerTick?: number,
  ) {
    if (ack && ackCharsPerTick !== undefined) {
      this.ackTimer = setInterval(() => this.ackSome(), 20);
      this.ackTimer.unref();
    }
  }

  send<K extends EventName>(name: K, payload: EventPayload<K>): void {
    if (!this.open) throw new Error(`send on closed peer ${this.id}`);
    this.events.push({ name, payload });
    if (name === 'terminals.data' && this.ack) {
      const { sessionId, data } = payload as EventPayload<'terminals.data'>;
      if (this.ackCharsPerTick === undefined) this.ack(sessionId, data.length);
      else this.unackedChars.set(sessionId, (this.unackedChars.get(sessionId) ?? 0) + data.length);
    }
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  isOpen(): boolean {
    return this.open;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    if (this.ackTimer) clearInterval(this.ackTimer);
    for (const l of this.closeListeners) l();
  }

  /** Everything received as terminal data for one session, in order. */
  dataFor(sessionId: string): string {
    return this.events
      .filter((e) => e.name === 'terminals.data' && (e.payload as { sessionId: string }).sessionId === sessionId)
      .map((e) => (e.payload as { data: string }).data)
      .join('');
  }

  /** Forgets recorded events (long floods). */
  clear(): void {
    this.events.length = 0;
  }

  private ackSome(): void {
    if (!this.ack || this.ackCharsPerTick === undefined) return;
    for (const [sessionId, n] of this.unackedChars) {
      const chars = Math.min(n, this.ackCharsPerTick);
      if (chars === 0) continue;
      this.unackedChars.set(sessionId, n - chars);
      this.ack(sessionId, chars);
    }
  }
}

/** Plays `data` into a fresh headless xterm and returns every buffer line (scrollback + screen). */
export function renderTerminal(
  data: string,
  cols: number,
  rows: number,
  scrollback = 10_000,
): Promise<{ lines: string[]; screen: string[]; alternate: boolean }> {
  const term = new xtermHeadless.Terminal({
    cols,
    rows,
    scrollback,
    allowProposedApi: true,
    // Programs may print anything; parse errors on garbage are expected, not worth a log line.
    logLevel: 'off',
  });
  // The width table every terminal of the app uses (see HeadlessScreen).
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  return new Promise((resolve) => {
    term.write(data, () => {
      const buf = term.buffer.active;
      const lines: string[] = [];
      for (let y = 0; y < buf.length; y++) lines.push(buf.getLine(y)?.translateToString(true) ?? '');
      const screen = lines.slice(buf.viewportY, buf.viewportY + rows);
      resolve({ lines, screen, alternate: buf.type === 'alternate' });
      term.dispose();
    });
  });
}

import { ACK_BATCH_CHARS, FLOW_LOW_CHARS } from '../../../../shared/terminal-flow';

/** What the host sends a terminal, in order: output, or the size the program draws for from there on. */
export type TerminalItem = string | { cols: number; rows: number };

/** A hidden tab's output is written at the latest this long after it arrived. */
export const HELD_MAX_MS = 1000;
/**
 * …or at once past this many characters. A hidden program must never wait on a tab that holds its
 * output: what is held plus what is written but not yet acknowledged (under one ack batch) stays
 * under the host's low watermark, so the host never pauses a program for it — and if a release's
 * parse lets it reach the high mark meanwhile, the acks of that release bring it back under the low
 * one without waiting for any timer (shared/terminal-flow.ts).
 */
export const HELD_MAX_CHARS = FLOW_LOW_CHARS - ACK_BATCH_CHARS;

/**
 * Sequences a program may be waiting on an answer to (cursor position and status reports, device
 * attributes, mode reports, XTVERSION, window reports, colour queries, DECRQSS). The xterm of the
 * viewer the host chose answers them, so such output is written at once even while hidden.
 */
// eslint-disable-next-line no-control-regex -- escape sequences are what it looks for
const QUERY = /\x1b\[[?>=]?[\d;]*(?:[cnq]|\$p|t)|\x1b\][\d;]*\?|\x1bP\$q/;

/**
 * Output of a terminal whose tab is hidden, held and written to its xterm in one batch instead of
 * chunk by chunk. Writing into a hidden xterm costs the page for nothing: it parses at once, and
 * xterm's DOM renderer redraws every row of a hidden terminal that scrolled (and measures each
 * glyph's width, which is 0 while hidden, so it never caches it) — with ten streaming tabs open that
 * was most of the page's main thread (xterm.js issue #4633). Nothing is lost or reordered: the items
 * go to `write` in arrival order, within HELD_MAX_MS, at once past HELD_MAX_CHARS or when a query
 * arrives, and all of them when the tab is shown (`release`).
 */
export class HeldOutput {
  private items: TerminalItem[] = [];
  private chars = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private soon = false;

  constructor(private readonly write: (items: TerminalItem[]) => void) {}

  push(item: TerminalItem): void {
    this.items.push(item);
    if (typeof item !== 'string') return this.schedule(HELD_MAX_MS);
    this.chars += item.length;
    this.schedule(this.chars >= HELD_MAX_CHARS || QUERY.test(item) ? 0 : HELD_MAX_MS);
  }

  /** Writes everything held, now (the tab is being shown, or the time is up). */
  release(): void {
    this.clearTimer();
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.chars = 0;
    this.write(items);
  }

  /** Forgets what is held (a fresh snapshot replaces it). */
  drop(): void {
    this.clearTimer();
    this.items = [];
    this.chars = 0;
  }

  dispose(): void {
    this.drop();
  }

  private schedule(ms: number): void {
    if (this.timer && (ms > 0 || this.soon)) return;
    this.clearTimer();
    this.soon = ms === 0;
    this.timer = setTimeout(() => this.release(), ms);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.soon = false;
  }
}

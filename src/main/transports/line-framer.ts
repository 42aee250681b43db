import { MAX_FRAME_BYTES } from '../../shared/rpc';

/**
 * Newline-delimited JSON framing, shared by both halves of the local-socket transport. Feeds
 * complete lines to `onLine`; a partial line that grows past the frame limit is handed over as
 * one oversized frame (so the receiver can answer FRAME_TOO_LARGE) and `onOverflow` fires.
 */
export class LineFramer {
  private buf = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: () => void = () => undefined,
    private readonly maxChars = MAX_FRAME_BYTES,
  ) {}

  push(chunk: string): void {
    this.buf += chunk;
    let start = 0;
    let nl: number;
    while ((nl = this.buf.indexOf('\n', start)) >= 0) {
      const line = this.buf.slice(start, nl);
      start = nl + 1;
      if (line.trim()) this.onLine(line);
    }
    this.buf = start > 0 ? this.buf.slice(start) : this.buf;
    if (this.buf.length > this.maxChars) {
      const big = this.buf;
      this.buf = '';
      this.onLine(big);
      this.onOverflow();
    }
  }
}

/** One frame as it goes on the wire of a line-framed transport. */
export const encodeLine = (frame: string): string => `${frame}\n`;

/**
 * Collects a stream's bytes but keeps only the last `maxBytes`: a command that prints gigabytes
 * costs at most this much memory, and the end of the output (where errors are) survives.
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  /** True once any byte had to be dropped. */
  truncated = false;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    if (this.maxBytes <= 0) {
      if (chunk.length > 0) this.truncated = true;
      return;
    }
    if (chunk.length >= this.maxBytes) {
      this.truncated = this.truncated || this.size > 0 || chunk.length > this.maxBytes;
      this.chunks = [chunk.subarray(chunk.length - this.maxBytes)];
      this.size = this.maxBytes;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.maxBytes) {
      this.truncated = true;
      const excess = this.size - this.maxBytes;
      const head = this.chunks[0];
      if (head.length <= excess) {
        this.chunks.shift();
        this.size -= head.length;
      } else {
        this.chunks[0] = head.subarray(excess);
        this.size -= excess;
      }
    }
  }

  /** The kept bytes as text; a multi-byte character cut at the start of the tail is dropped, not garbled. */
  text(): string {
    let buf = Buffer.concat(this.chunks, this.size);
    if (this.truncated) {
      let skip = 0;
      while (skip < buf.length && skip < 4 && (buf[skip] & 0xc0) === 0x80) skip++;
      buf = buf.subarray(skip);
    }
    return buf.toString('utf8');
  }
}

/** The last `maxChars` characters of a string, marked with a leading ellipsis when cut. */
export function tailText(s: string, maxChars: number): string {
  return s.length <= maxChars ? s : `…${s.slice(s.length - maxChars + 1)}`;
}

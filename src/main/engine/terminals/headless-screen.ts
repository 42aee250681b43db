import xtermHeadless from '@xterm/headless';
import { SerializeAddon } from '@xterm/addon-serialize';

/**
 * The host's copy of a terminal's state: a headless xterm with bounded scrollback. Writes are
 * parsed asynchronously; `afterWrites` runs its callback once everything written before it has
 * been parsed, which is what makes snapshot + subscribe exact.
 */
export class HeadlessScreen {
  private readonly term: InstanceType<typeof xtermHeadless.Terminal>;
  private readonly serializer = new SerializeAddon();
  private disposed = false;

  constructor(cols: number, rows: number, scrollback: number) {
    this.term = new xtermHeadless.Terminal({
      cols,
      rows,
      scrollback,
      allowProposedApi: true,
      // Programs may print anything; parse errors on garbage are expected, not worth a log line.
      logLevel: 'off',
    });
    this.term.loadAddon(this.serializer);
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  write(data: string, onParsed?: () => void): void {
    if (this.disposed) {
      onParsed?.();
      return;
    }
    this.term.write(data, onParsed);
  }

  /** Calls `cb` when every earlier write has been parsed (immediately-async when none is pending). */
  afterWrites(cb: () => void): void {
    if (this.disposed) setImmediate(cb);
    else this.term.write('', cb);
  }

  /** Scrollback + screen + modes as escape sequences that rebuild this state in another xterm. */
  serialize(): string {
    return this.disposed ? '' : this.serializer.serialize();
  }

  /** The visible screen's lines, top to bottom, without trailing blanks. */
  visibleLines(): string[] {
    if (this.disposed) return [];
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = buf.viewportY; y < buf.viewportY + this.term.rows; y++) {
      lines.push(buf.getLine(y)?.translateToString(true) ?? '');
    }
    return lines;
  }

  /** Whether a full-screen program has switched to the alternate screen. */
  isAlternateScreen(): boolean {
    return !this.disposed && this.term.buffer.active.type === 'alternate';
  }

  resize(cols: number, rows: number): void {
    if (!this.disposed && (cols !== this.term.cols || rows !== this.term.rows)) this.term.resize(cols, rows);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.term.dispose();
  }
}

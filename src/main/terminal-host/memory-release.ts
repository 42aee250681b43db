import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadMallocTrim, type MallocTrim } from './malloc-trim';

/** How long after the last screen went dormant the collection runs (a burst of sessions settles together). */
const COLLECT_AFTER_MS = 1000;
/** How often, after a collection, the host looks whether V8 has freed the dead typed arrays yet. */
const SWEEP_CHECK_MS = 100;
/** Readings without a drop that mean the sweep is over, and the most readings before trimming anyway. */
const SWEPT_AFTER_STEADY_CHECKS = 2;
const SWEEP_MAX_CHECKS = 50;
/** How often a trim that waits for a quiet host looks again, and for how long at most (5 minutes). */
const QUIET_CHECK_MS = 500;
const QUIET_MAX_CHECKS = 600;

/**
 * A full garbage collection, made available at run time (the terminal host may run as Electron's
 * binary, whose command line we keep free of V8 flags). Node documents setting V8 flags after start
 * as possibly unpredictable; --expose-gc only installs the global `gc` function, read here once in
 * a fresh context, and changes nothing else. Null where the runtime refuses.
 */
type Gc = (opts: { type: 'major'; execution: 'async' }) => Promise<void> | undefined;

function exposedGc(): Gc | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as Gc) : null;
  } catch {
    return null;
  }
}

/**
 * Returns memory once idle screens went dormant. A dormant screen lets go of its headless terminal
 * (12 bytes per cell of scrollback), but an idle host allocates nothing, so V8 never runs a
 * collection and those cells stay resident: measured, 20 screens of 2 000 lines still held their
 * 65 MB of line buffers and 34 MB of heap 30 s after going dormant. One full collection after the
 * dormancy burst frees them; then glibc is asked to give the freed pages back (malloc-trim.ts):
 * it otherwise keeps them resident for reuse, so the host kept the peak of its live screens.
 */
export class MemoryRelease {
  private readonly gc = exposedGc();
  private timer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private disposed = false;
  /** Collections that have finished (and, where it exists, the trim after them). */
  collections = 0;
  /** Trims that gave pages back to the system. */
  trims = 0;
  /**
   * glibc's malloc_trim (null where there is none), opened at the first trim: loading the FFI
   * takes ~30 ms, which the host's start (every first terminal waits for it) need not pay.
   */
  private trim: MallocTrim | null | undefined;

  /** A trim is waiting for the host to be quiet (see `quiet`). */
  waitingForQuiet = false;

  /**
   * `quiet`: whether the host may trim now. The trim holds glibc's arena lock while it walks the
   * heap, and every malloc of the host's event loop waits for it (measured: 69 and 105 ms stalls
   * in 2 of 6 runs) — so it waits until no terminal has had output for a while, when a stall
   * delays nobody's output or keystroke echo. A host that never goes quiet keeps its pages.
   */
  constructor(
    private readonly afterMs = COLLECT_AFTER_MS,
    private readonly quiet: () => boolean = () => true,
  ) {}

  get available(): boolean {
    return this.gc !== null;
  }

  /** Screens went dormant: collect once they have all settled. */
  screensWentDormant(): void {
    if (!this.gc) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      // Asynchronous (incremental and concurrent marking): a stop-the-world collection would stall
      // the host that carries every other session's output and keystrokes. Counted when it has
      // finished (its promise settles then), not when it was asked for: what was freed is freed.
      void Promise.resolve(this.gc?.({ type: 'major', execution: 'async' })).then(
        () => this.trimWhenSwept(),
        () => undefined,
      );
    }, this.afterMs);
    this.timer.unref();
  }

  /**
   * The collection has found the dead line buffers, but V8 frees their memory on a background
   * task afterwards (measured in the terminal host: 12.6 MB still allocated when the collection's
   * promise settled, 0.3 MB 100 ms later). Trimming before that frees nothing; so the trim waits
   * until the typed arrays' memory stops going down (bounded: a host that allocates all along
   * trims anyway).
   */
  private trimWhenSwept(): void {
    if (this.disposed) return;
    // A later collection's wait covers this one's sweep too: one wait at a time.
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    let last = process.memoryUsage().arrayBuffers;
    let steady = 0;
    let checks = 0;
    const check = () => {
      const now = process.memoryUsage().arrayBuffers;
      steady = now < last ? 0 : steady + 1;
      last = now;
      if (steady < SWEPT_AFTER_STEADY_CHECKS && ++checks < SWEEP_MAX_CHECKS) {
        this.sweepTimer = setTimeout(check, SWEEP_CHECK_MS);
        this.sweepTimer.unref();
        return;
      }
      this.sweepTimer = null;
      if (this.trim === undefined) this.trim = loadMallocTrim();
      if (!this.trim) {
        this.collections++;
        return;
      }
      this.trimWhenQuiet(0);
    };
    this.sweepTimer = setTimeout(check, SWEEP_CHECK_MS);
    this.sweepTimer.unref();
  }

  private trimWhenQuiet(waited: number): void {
    if (this.disposed) return;
    const trim = this.trim;
    if (!trim) return;
    if (!this.quiet()) {
      this.waitingForQuiet = waited < QUIET_MAX_CHECKS;
      if (!this.waitingForQuiet) {
        this.collections++; // collected, not trimmed: the host was never quiet
        return;
      }
      this.sweepTimer = setTimeout(() => this.trimWhenQuiet(waited + 1), QUIET_CHECK_MS);
      this.sweepTimer.unref();
      return;
    }
    this.waitingForQuiet = false;
    void trim().then((gaveBack) => {
      if (gaveBack) this.trims++;
      this.collections++;
    });
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.timer = null;
    this.sweepTimer = null;
  }
}

import { descendantsOf, listProcesses, type ProcInfo } from '../process/process-tree';

/** How often the process trees of running programs are sampled for CPU use. */
export const cpuSampleMs = 2000;

/**
 * Samples the CPU time of each running program's process tree, so a program that works without
 * printing (a build, a test run, a loop) is busy, not idle. One process snapshot per tick serves
 * every terminal; nothing runs while no program does.
 */
export class CpuWatch {
  private timer: NodeJS.Timeout | null = null;
  private readonly last = new Map<string, { cpuMs: number; at: number }>();
  private sampling = false;

  constructor(
    private readonly opts: {
      /** The running programs' root pids. */
      roots: () => Map<string, number>;
      /** A terminal's tree used `share` of one core since the previous sample. */
      onSample: (sessionId: string, share: number, intervalMs: number) => void;
      intervalMs?: number;
      list?: () => Promise<ProcInfo[]>;
    },
  ) {}

  /** Runs while any program does; call after a program starts. */
  wake(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample(), this.opts.intervalMs ?? cpuSampleMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.last.clear();
  }

  private async sample(): Promise<void> {
    const roots = this.opts.roots();
    if (roots.size === 0) {
      this.stop();
      return;
    }
    if (this.sampling) return;
    this.sampling = true;
    try {
      const all = await (this.opts.list ?? listProcesses)();
      const now = Date.now();
      for (const id of [...this.last.keys()]) if (!roots.has(id)) this.last.delete(id);
      for (const [id, pid] of roots) {
        const cpuMs = descendantsOf(pid, all).reduce((sum, p) => sum + p.cpuMs, 0);
        const prev = this.last.get(id);
        this.last.set(id, { cpuMs, at: now });
        if (prev && now > prev.at) this.opts.onSample(id, (cpuMs - prev.cpuMs) / (now - prev.at), now - prev.at);
      }
    } catch {
      // A process table that cannot be read this time: the next tick tries again.
    } finally {
      this.sampling = false;
    }
  }
}

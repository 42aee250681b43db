import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupLayout } from './cgroup-layout';

/** Every session gets at most this many processes (a fork bomb stops here, not at the machine's limit). */
export const DEFAULT_PIDS_MAX = 4096;

export interface KernelLimits {
  memoryMb: number | null;
  /** 0 (normal) .. 19 (lowest): the session's priority as niceness, turned into a CPU weight. */
  niceness: number;
  pidsMax?: number;
}

const read = (p: string): string | null => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
};
const write = (p: string, v: string): boolean => {
  try {
    writeFileSync(p, v);
    return true;
  } catch {
    return false;
  }
};

/** CPU weight like the scheduler's nice table: each nice step is ~1.25x less CPU under contention. */
export const cpuWeightV2 = (niceness: number): number => Math.max(1, Math.round(100 / 1.25 ** niceness));
export const cpuSharesV1 = (niceness: number): number => Math.max(2, Math.round(1024 / 1.25 ** niceness));

/**
 * The cgroup folders of one data dir's sessions: `<parent>/multisession-<dir>/<sessionId>` in each
 * hierarchy. Creates them with limits, changes limits live, lists and kills every process in
 * them (escaped daemons included: leaving the process group or the session does not leave the
 * cgroup), and removes them when empty.
 */
export class SessionCgroups {
  constructor(
    readonly layout: CgroupLayout,
    private readonly groupName: string,
    /** A session's folder name in the group, and back (systemd names its slices `<group>-<id>.slice`). */
    private readonly naming: { folder(id: string): string; idOf(folder: string): string | null } = {
      folder: (id) => id,
      idOf: (f) => f,
    },
  ) {}

  private dirs(sessionId: string): Record<string, string> {
    const out: Record<string, string> = {};
    const folder = this.naming.folder(sessionId);
    for (const [c, parent] of Object.entries(this.layout.parents)) out[c] = join(parent, this.groupName, folder);
    return out;
  }

  /** systemd makes the folders (a slice per session, a scope per child) — we only read and write them. */
  private get bySystemd(): boolean {
    return this.layout.via === 'systemd-scope';
  }

  private main(sessionId: string): string {
    const d = this.dirs(sessionId);
    return d.unified ?? d.pids ?? d.memory;
  }

  /** Creates the session's cgroups (if needed) with its limits; returns the cgroup.procs files to join. */
  prepare(sessionId: string, limits: KernelLimits): string[] {
    if (this.bySystemd) {
      // The child joins its scope through systemd-run; a slice already there takes the limits now.
      if (existsSync(this.main(sessionId))) this.apply(sessionId, limits);
      return [];
    }
    for (const [c, dir] of Object.entries(this.dirs(sessionId))) {
      const group = join(this.layout.parents[c], this.groupName);
      if (!existsSync(group)) {
        mkdirSync(group, { recursive: true });
        // v2: the group holds no process, so it may hand the controllers on to the sessions.
        if (c === 'unified')
          for (const ctl of this.layout.controllers) write(join(group, 'cgroup.subtree_control'), `+${ctl}`);
      }
      if (!existsSync(dir)) mkdirSync(dir);
    }
    this.apply(sessionId, limits);
    return Object.values(this.dirs(sessionId)).map((d) => join(d, 'cgroup.procs'));
  }

  /** Writes the limits (also to a running session: the kernel applies them at once). */
  apply(sessionId: string, limits: KernelLimits): void {
    const d = this.dirs(sessionId);
    const pids = String(limits.pidsMax ?? DEFAULT_PIDS_MAX);
    if (this.layout.mechanism === 'cgroup-v2') {
      const dir = d.unified;
      const bytes = limits.memoryMb === null ? 'max' : String(Math.round(limits.memoryMb * 1024 * 1024));
      write(join(dir, 'memory.max'), bytes);
      // Swapping would let a hog run far past its limit, slowly: the limit is for memory and swap.
      if (existsSync(join(dir, 'memory.swap.max')))
        write(join(dir, 'memory.swap.max'), limits.memoryMb === null ? 'max' : '0');
      write(join(dir, 'pids.max'), pids);
      if (this.layout.controllers.includes('cpu')) write(join(dir, 'cpu.weight'), String(cpuWeightV2(limits.niceness)));
      return;
    }
    if (d.memory) {
      const bytes = limits.memoryMb === null ? '-1' : String(Math.round(limits.memoryMb * 1024 * 1024));
      const memsw = join(d.memory, 'memory.memsw.limit_in_bytes');
      // memsw (memory + swap) must stay >= the memory limit: order the two writes accordingly.
      if (existsSync(memsw)) {
        if (!write(join(d.memory, 'memory.limit_in_bytes'), bytes)) {
          write(memsw, bytes);
          write(join(d.memory, 'memory.limit_in_bytes'), bytes);
        } else write(memsw, bytes);
      } else write(join(d.memory, 'memory.limit_in_bytes'), bytes);
    }
    if (d.pids) write(join(d.pids, 'pids.max'), pids);
    if (d.cpu) write(join(d.cpu, 'cpu.shares'), String(cpuSharesV1(limits.niceness)));
  }

  /** Every process in the session's cgroup and below it (v2: systemd's scopes, or an agent's own sub-cgroups). */
  pids(sessionId: string): number[] {
    const out: number[] = [];
    const walk = (dir: string, depth: number) => {
      const text = read(join(dir, 'cgroup.procs')) ?? '';
      for (const l of text.split('\n')) if (l) out.push(Number(l));
      if (depth === 0 || this.layout.mechanism !== 'cgroup-v2') return;
      try {
        for (const e of readdirSync(dir, { withFileTypes: true }))
          if (e.isDirectory()) walk(join(dir, e.name), depth - 1);
      } catch {
        // Gone meanwhile.
      }
    };
    walk(this.main(sessionId), 4);
    return out;
  }

  /** How often the kernel's OOM killer acted in this session's cgroup. */
  oomKills(sessionId: string): number {
    const d = this.dirs(sessionId);
    const text =
      this.layout.mechanism === 'cgroup-v2'
        ? read(join(d.unified, 'memory.events'))
        : read(join(d.memory, 'memory.oom_control'));
    const m = /oom_kill (\d+)/.exec(text ?? '');
    return m ? Number(m[1]) : 0;
  }

  /**
   * Kills every process of the session, however it left its parent: v2's cgroup.kill, else freeze
   * (so nothing forks while we kill), SIGKILL each, thaw; repeated until the cgroup is empty.
   */
  async killAll(sessionId: string): Promise<number> {
    const d = this.dirs(sessionId);
    let killed = 0;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const pids = this.pids(sessionId).filter((p) => p !== process.pid);
      if (pids.length === 0) return killed;
      if (d.unified && existsSync(join(d.unified, 'cgroup.kill'))) {
        write(join(d.unified, 'cgroup.kill'), '1');
        killed += pids.length;
      } else {
        const freezer = d.freezer
          ? join(d.freezer, 'freezer.state')
          : d.unified
            ? join(d.unified, 'cgroup.freeze')
            : null;
        if (freezer) write(freezer, freezer.endsWith('freezer.state') ? 'FROZEN' : '1');
        for (const pid of this.pids(sessionId)) {
          try {
            process.kill(pid, 'SIGKILL');
            killed++;
          } catch {
            // Gone already.
          }
        }
        if (freezer) write(freezer, freezer.endsWith('freezer.state') ? 'THAWED' : '0');
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return killed;
  }

  /** The highest memory use the kernel saw in the session's cgroup, in MB (null: not known here). */
  peakMb(sessionId: string): number | null {
    const d = this.dirs(sessionId);
    const file =
      this.layout.mechanism === 'cgroup-v2'
        ? join(d.unified, 'memory.peak')
        : d.memory
          ? join(d.memory, 'memory.max_usage_in_bytes')
          : null;
    const text = file ? read(file) : null;
    return text === null || !/^\d+\s*$/.test(text) ? null : Number(text) / 1024 / 1024;
  }

  /**
   * Removes the session's cgroups. rmdir removes only an empty cgroup (the kernel refuses one
   * with a process in it), so a busy one stays and goes on a later call.
   */
  release(sessionId: string): boolean {
    if (this.bySystemd) {
      // systemd owns the slice: it is stopped (never rmdir'd behind systemd's back), and only empty.
      if (!existsSync(this.main(sessionId))) return true;
      if (this.pids(sessionId).length > 0) return false;
      const stop = spawn('systemctl', ['--user', 'stop', this.naming.folder(sessionId)], { stdio: 'ignore' });
      stop.on('error', () => undefined);
      stop.unref();
      return true;
    }
    let all = true;
    for (const dir of Object.values(this.dirs(sessionId))) {
      try {
        rmdirSync(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') all = false;
      }
    }
    return all;
  }

  /** Session ids that have a cgroup folder in this data dir's group (any hierarchy). */
  sessionIds(): string[] {
    const ids = new Set<string>();
    for (const parent of Object.values(this.layout.parents)) {
      try {
        for (const e of readdirSync(join(parent, this.groupName), { withFileTypes: true })) {
          const id = e.isDirectory() ? this.naming.idOf(e.name) : null;
          if (id) ids.add(id);
        }
      } catch {
        // No group in this hierarchy.
      }
    }
    return [...ids];
  }

  /** Removes the data dir's group folders when no session folder is left in them. */
  releaseGroup(): void {
    // systemd's group slice is left to systemd (empty, it costs nothing; it goes with the user manager).
    if (this.bySystemd) return;
    for (const parent of Object.values(this.layout.parents)) {
      try {
        rmdirSync(join(parent, this.groupName));
      } catch {
        // Holds a session still, or gone.
      }
    }
  }
}

import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Which kernel mechanism caps a session's processes here. */
export type LimitMechanism = 'cgroup-v2' | 'cgroup-v1' | 'sampling';

export interface CgroupLayout {
  mechanism: 'cgroup-v2' | 'cgroup-v1';
  /** Per controller (v1: memory, pids, cpu, freezer; v2: one entry 'unified'), the folder our session cgroups go under. */
  parents: Record<string, string>;
  /** Controllers whose limits are enforced (memory, pids, cpu). */
  controllers: string[];
}

export interface Probe {
  layout: CgroupLayout | null;
  /** Why the kernel is not used (shown in `status`), or null when it is. */
  reason: string | null;
}

interface Mount {
  type: 'cgroup' | 'cgroup2';
  dir: string;
  options: string[];
}

function mounts(): Mount[] {
  const out: Mount[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const left = line.slice(0, dash).split(' ');
    const [fstype, , superOpts] = line.slice(dash + 3).split(' ');
    if (fstype !== 'cgroup' && fstype !== 'cgroup2') continue;
    out.push({ type: fstype, dir: left[4], options: (superOpts ?? '').split(',') });
  }
  return out;
}

/** Our own cgroup path per hierarchy from /proc/self/cgroup ('' key = the v2 hierarchy). */
function ownCgroups(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n')) {
    const [, controllers, path] = line.split(':');
    for (const c of controllers.split(',')) out.set(c.replace(/^name=/, ''), path);
  }
  return out;
}

/** Whether we may create (and remove) a child folder under `dir`. */
function canCreateUnder(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `multisession-probe-${process.pid}`);
    mkdirSync(probe);
    rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
}

function probeV1(all: Mount[], own: Map<string, string>): CgroupLayout | null {
  const parents: Record<string, string> = {};
  for (const c of ['memory', 'pids', 'cpu', 'freezer']) {
    const m = all.find((x) => x.type === 'cgroup' && x.options.includes(c));
    const path = own.get(c);
    if (!m || path === undefined) continue;
    const dir = join(m.dir, path);
    if (canCreateUnder(dir)) parents[c] = dir;
  }
  if (!parents.memory || !parents.pids) return null;
  return { mechanism: 'cgroup-v1', parents, controllers: ['memory', 'pids', 'cpu'].filter((c) => parents[c]) };
}

/**
 * v2: a delegated subtree. Our own cgroup can hold session cgroups with controllers only if its
 * subtree_control has (or accepts) memory and pids — true for a delegated, process-free cgroup or
 * the root of a namespace. A cgroup with processes in it refuses (the no-internal-processes rule).
 */
function probeV2(all: Mount[], own: Map<string, string>): CgroupLayout | null {
  const m = all.find((x) => x.type === 'cgroup2');
  const path = own.get('');
  if (!m || path === undefined) return null;
  const dir = join(m.dir, path);
  if (!canCreateUnder(dir)) return null;
  const available = (read(join(dir, 'cgroup.controllers')) ?? '').split(/\s+/);
  if (!available.includes('memory') || !available.includes('pids')) return null;
  const enabled = () => (read(join(dir, 'cgroup.subtree_control')) ?? '').split(/\s+/);
  for (const c of ['memory', 'pids', 'cpu']) {
    if (available.includes(c) && !enabled().includes(c)) {
      try {
        writeFileSync(join(dir, 'cgroup.subtree_control'), `+${c}`);
      } catch {
        // Refused (processes in our cgroup): checked below.
      }
    }
  }
  const on = enabled();
  if (!on.includes('memory') || !on.includes('pids')) return null;
  return {
    mechanism: 'cgroup-v2',
    parents: { unified: dir },
    controllers: ['memory', 'pids', 'cpu'].filter((c) => on.includes(c)),
  };
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

let cached: Probe | null = null;

/**
 * Finds where this process may create session cgroups with memory and pids limits: a v2
 * delegated subtree first, then v1 hierarchies (memory and pids required; cpu and freezer used
 * when there). `MULTISESSION_LIMITS=sampling` turns the kernel off (tests of the fallback).
 */
export function probeCgroups(): Probe {
  if (cached) return cached;
  if (process.platform !== 'linux') cached = { layout: null, reason: 'cgroups exist only on Linux' };
  else if (process.env.MULTISESSION_LIMITS === 'sampling')
    cached = { layout: null, reason: 'turned off (MULTISESSION_LIMITS=sampling)' };
  else if (!existsSync('/proc/self/mountinfo')) cached = { layout: null, reason: 'no /proc' };
  else {
    try {
      const all = mounts();
      const own = ownCgroups();
      const layout = probeV2(all, own) ?? probeV1(all, own);
      cached = layout
        ? { layout, reason: null }
        : {
            layout: null,
            reason:
              'no cgroup this user may create with memory and pids limits (cgroup v2 needs a delegated subtree; v1 needs write access)',
          };
    } catch (e) {
      cached = { layout: null, reason: `cgroups could not be read: ${(e as Error).message}` };
    }
  }
  return cached;
}

/** Probes again (tests switch MULTISESSION_LIMITS). */
export function reprobeCgroups(): void {
  cached = null;
}

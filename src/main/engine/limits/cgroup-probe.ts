import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemdScopeProblem, userServiceDir } from './systemd-scope';

import type { CgroupLayout } from './cgroup-layout';
export type { CgroupLayout, LimitMechanism } from './cgroup-layout';

export interface Probe {
  layout: CgroupLayout | null;
  /** Why the kernel is not used (shown in `status`), or null when it is. */
  reason: string | null;
}

interface Mount {
  type: 'cgroup' | 'cgroup2';
  /** Where it is mounted, under the probed root. */
  dir: string;
  options: string[];
}

/** What the probe reads: the machine (root '/'), or a fixture tree in tests. */
export interface ProbeSystem {
  /** Prefix of every path read or created. */
  root: string;
  uid: number;
  /** Null when `systemd-run --user --scope` works here, else why not (only asked when it could help). */
  systemdScope(): string | null;
}

function mounts(sys: ProbeSystem): Mount[] {
  const out: Mount[] = [];
  for (const line of readFileSync(join(sys.root, 'proc/self/mountinfo'), 'utf8').split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const left = line.slice(0, dash).split(' ');
    const [fstype, , superOpts] = line.slice(dash + 3).split(' ');
    if (fstype !== 'cgroup' && fstype !== 'cgroup2') continue;
    out.push({ type: fstype, dir: join(sys.root, left[4]), options: (superOpts ?? '').split(',') });
  }
  return out;
}

/** Our own cgroup path per hierarchy from /proc/self/cgroup ('' key = the v2 hierarchy). */
function ownCgroups(sys: ProbeSystem): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(join(sys.root, 'proc/self/cgroup'), 'utf8').trim().split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers === undefined || path === undefined) continue;
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

type Found = { layout: CgroupLayout } | { reason: string };

function probeV1(all: Mount[], own: Map<string, string>): Found {
  const parents: Record<string, string> = {};
  for (const c of ['memory', 'pids', 'cpu', 'freezer']) {
    const m = all.find((x) => x.type === 'cgroup' && x.options.includes(c));
    const path = own.get(c);
    if (!m || path === undefined) continue;
    const dir = join(m.dir, path);
    if (canCreateUnder(dir)) parents[c] = dir;
  }
  if (!parents.memory || !parents.pids) {
    return { reason: 'cgroup v1: no writable memory and pids hierarchy for this user' };
  }
  return {
    layout: {
      mechanism: 'cgroup-v1',
      parents,
      controllers: ['memory', 'pids', 'cpu'].filter((c) => parents[c]),
      via: 'direct',
    },
  };
}

const words = (text: string | null): string[] => (text ?? '').split(/\s+/).filter(Boolean);

/**
 * v2: a delegated subtree. Our own cgroup can hold session cgroups with controllers only if its
 * subtree_control has (or accepts) memory and pids — true for a delegated, process-free cgroup or
 * the root of a namespace. A cgroup with processes in it refuses (the no-internal-processes rule).
 */
function probeV2Delegated(m: Mount, own: Map<string, string>): Found {
  const path = own.get('');
  if (path === undefined) return { reason: 'cgroup v2: this process is not in the unified hierarchy' };
  const dir = join(m.dir, path);
  if (!canCreateUnder(dir)) return { reason: `cgroup v2: ${path} is not delegated to this user` };
  const available = words(read(join(dir, 'cgroup.controllers')));
  if (!available.includes('memory') || !available.includes('pids')) {
    return { reason: `cgroup v2: memory and pids are not available in ${path}` };
  }
  const enabled = () => words(read(join(dir, 'cgroup.subtree_control')));
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
  if (!on.includes('memory') || !on.includes('pids')) {
    return { reason: `cgroup v2: ${path} holds processes, so it cannot hand memory and pids to session cgroups` };
  }
  return {
    layout: {
      mechanism: 'cgroup-v2',
      parents: { unified: dir },
      controllers: ['memory', 'pids', 'cpu'].filter((c) => on.includes(c)),
      via: 'direct',
    },
  };
}

/**
 * v2 through the user's systemd: the user manager (`user@UID.service`, delegated to the user)
 * must hand memory and pids to its units, and must take a transient scope from us.
 */
function probeV2Systemd(m: Mount, sys: ProbeSystem): Found {
  const dir = userServiceDir(m.dir, sys.uid);
  if (!existsSync(dir)) return { reason: `no systemd user manager (user@${sys.uid}.service) on the unified hierarchy` };
  const handed = words(read(join(dir, 'cgroup.subtree_control')));
  if (!handed.includes('memory') || !handed.includes('pids')) {
    return {
      reason: `the systemd user manager does not delegate memory and pids (it has: ${handed.join(' ') || 'none'})`,
    };
  }
  const problem = sys.systemdScope();
  if (problem) return { reason: problem };
  return {
    layout: {
      mechanism: 'cgroup-v2',
      parents: { unified: dir },
      controllers: ['memory', 'pids', 'cpu'].filter((c) => handed.includes(c)),
      via: 'systemd-scope',
    },
  };
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * Decides where this process may put session cgroups with memory and pids limits, in this order:
 * a v2 subtree delegated to us; v2 through a systemd user scope; v1 hierarchies (memory and pids
 * required; cpu and freezer used when there). Otherwise no layout, with every reason found.
 */
export function probeCgroupsAt(sys: ProbeSystem): Probe {
  const all = mounts(sys);
  const own = ownCgroups(sys);
  const reasons: string[] = [];
  const v2 = all.find((x) => x.type === 'cgroup2');
  const attempts: Array<() => Found> = [];
  if (v2)
    attempts.push(
      () => probeV2Delegated(v2, own),
      () => probeV2Systemd(v2, sys),
    );
  if (all.some((x) => x.type === 'cgroup')) attempts.push(() => probeV1(all, own));
  for (const attempt of attempts) {
    const found = attempt();
    if ('layout' in found) return { layout: found.layout, reason: null };
    reasons.push(found.reason);
  }
  return {
    layout: null,
    reason: `no cgroup this user may create with memory and pids limits — ${reasons.join('; ') || 'no cgroup hierarchy is mounted'}`,
  };
}

let cached: Probe | null = null;

/**
 * The machine's answer of probeCgroupsAt, once. `MULTISESSION_LIMITS=sampling` turns the kernel off
 * (tests of the fallback).
 */
export function probeCgroups(): Probe {
  if (cached) return cached;
  if (process.platform !== 'linux') cached = { layout: null, reason: 'cgroups exist only on Linux' };
  else if (process.env.MULTISESSION_LIMITS === 'sampling')
    cached = { layout: null, reason: 'turned off (MULTISESSION_LIMITS=sampling)' };
  else if (!existsSync('/proc/self/mountinfo')) cached = { layout: null, reason: 'no /proc' };
  else {
    try {
      cached = probeCgroupsAt({ root: '/', uid: process.getuid?.() ?? 0, systemdScope: () => systemdScopeProblem() });
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

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { sleep } from './stats';

let ticksPerSecond: number | null = null;

function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks();
}

/** Resident set size in MB, from /proc/<pid>/status. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** RSS in MB summed over processes (the UI host and its terminal host count together). */
export function rssMbOf(pids: number[]): number {
  return pids.reduce((n, p) => n + rssMb(p), 0);
}

/** Percent of one core the processes used together over `ms` of wall time. */
export async function cpuPercentOver(pid: number | number[], ms: number): Promise<number> {
  const pids = Array.isArray(pid) ? pid : [pid];
  const total = () => pids.reduce((n, p) => n + cpuSeconds(p), 0);
  const c0 = total();
  const t0 = process.hrtime.bigint();
  await sleep(ms);
  const c1 = total();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return ((c1 - c0) / wall) * 100;
}

/** Percent of one core each process used over `ms` of wall time (the split behind cpuPercentOver). */
export async function cpuPercentEach(pids: number[], ms: number): Promise<number[]> {
  const c0 = pids.map(cpuSeconds);
  const t0 = process.hrtime.bigint();
  await sleep(ms);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return pids.map((p, i) => ((cpuSeconds(p) - c0[i]) / wall) * 100);
}

/** Waits until the process uses less than `belowPct` of a core over a `windowMs` window (or gives up). */
export async function waitQuiet(
  pid: number | number[],
  belowPct = 3,
  windowMs = 1000,
  timeoutMs = 60_000,
): Promise<number> {
  const end = Date.now() + timeoutMs;
  let pct = Number.POSITIVE_INFINITY;
  while (Date.now() < end) {
    pct = await cpuPercentOver(pid, windowMs);
    if (pct < belowPct) break;
  }
  return pct;
}

/** Whether any child of `pids` is a git process (read from /proc; a process that just ended is skipped). */
function gitChildRunning(pids: number[]): boolean {
  const parents = new Set(pids);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces, so read around its parentheses.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'git' && parents.has(ppid)) return true;
    } catch {
      // Gone between the listing and the read.
    }
  }
  return false;
}

/**
 * Waits until the host ran no git process for `quietMs` (after creates, the engine scans each new
 * worktree once: snapshots, diff stats — a burst of git processes whose spawns are not the terminal
 * work a streaming figure measures). Returns how long it waited.
 */
export async function waitGitQuiet(pids: () => number[], quietMs = 3000, timeoutMs = 90_000): Promise<number> {
  const t0 = Date.now();
  let quietSince = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (gitChildRunning(pids())) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) break;
    await sleep(100);
  }
  return Date.now() - t0;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  git: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  let git = 'unknown';
  try {
    git = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // No git: the repositories could not have been built either; reported as unknown.
  }
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${osType()} ${release()} ${process.arch}`,
    git,
  };
}

/**
 * Where a process's resident memory is, in MB, from /proc/<pid>/smaps: `brk` is glibc's main heap
 * (malloc'd memory of the main thread, freed chunks included), `anon` every other anonymous
 * mapping (V8's heap pages, other malloc arenas), `file` mapped files (the binary, libraries).
 */
export function rssSplitMb(pid: number): { brk: number; anon: number; file: number } {
  const split = { brk: 0, anon: 0, file: 0 };
  let kind: keyof typeof split = 'anon';
  try {
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (head) {
        kind = head[1] === '[heap]' ? 'brk' : head[1].startsWith('/') ? 'file' : 'anon';
        continue;
      }
      const rss = /^Rss:\s+(\d+) kB/.exec(line);
      if (rss) split[kind] += Number(rss[1]) / 1024;
    }
  } catch {
    // Gone: nothing resident.
  }
  return split;
}

import { execFile, execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** Resident memory in bytes. */
  rssBytes: number;
  /** User + system CPU time consumed so far, in milliseconds. */
  cpuMs: number;
}

const hasProc = process.platform === 'linux';

/**
 * Clock ticks per second (/proc's CPU times) and the page size (its resident set), asked of the
 * system once: 64 KB pages (some arm64 and ppc64 kernels) or another tick rate would otherwise
 * scale every memory and CPU figure. The usual values stand in where getconf is missing.
 */
let procUnits: { clkTck: number; pageSize: number } | null = null;
function sysconf(name: 'CLK_TCK' | 'PAGESIZE', usual: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 5000 }).trim());
    return Number.isSafeInteger(value) && value > 0 ? value : usual;
  } catch {
    return usual;
  }
}
function units(): { clkTck: number; pageSize: number } {
  procUnits ??= { clkTck: sysconf('CLK_TCK', 100), pageSize: sysconf('PAGESIZE', 4096) };
  return procUnits;
}

/** One reused buffer: a /proc/<pid>/stat line is far shorter. */
const statBuffer = Buffer.alloc(4096);

function readStat(pid: string): string | null {
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r');
    const len = readSync(fd, statBuffer, 0, statBuffer.length, 0);
    return statBuffer.toString('latin1', 0, len);
  } catch {
    // The process exited between readdir and the read.
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Synchronous on purpose: /proc reads never block on a disk, and one pass over a few hundred
 * processes costs ~1 ms this way, where async readFile (a 64 KB buffer, fstat and several thread-pool
 * hops per file) cost ~10x the CPU and most of an idle host's load (bench: idle_cpu_pct_100).
 */
async function readProcLinux(): Promise<ProcInfo[]> {
  const names = await readdir('/proc');
  const { clkTck, pageSize } = units();
  const out: ProcInfo[] = [];
  for (const name of names) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const stat = readStat(name);
    if (stat === null) continue;
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie has exited (only its parent's wait is missing): gone, as isAlive says.
    if (rest[0] === 'Z') continue;
    const ppid = Number(rest[1]);
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    const rssPages = Number(rest[21]);
    out.push({
      pid: Number(name),
      ppid,
      rssBytes: rssPages * pageSize,
      cpuMs: ((utime + stime) * 1000) / clkTck,
    });
  }
  return out;
}

function parseCpuTime(s: string): number {
  // ps TIME: [[dd-]hh:]mm:ss
  const [dayPart, clock] = s.includes('-') ? s.split('-') : ['0', s];
  const parts = clock.split(':').map(Number);
  while (parts.length < 3) parts.unshift(0);
  return ((Number(dayPart) * 24 + parts[0]) * 3600 + parts[1] * 60 + parts[2]) * 1000;
}

async function readProcPs(): Promise<ProcInfo[]> {
  const { stdout } = await execFileAsync('ps', ['-A', '-o', 'pid=,ppid=,rss=,time=,stat=']);
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length >= 5 && !p[4].startsWith('Z'))
    .map((p) => ({ pid: Number(p[0]), ppid: Number(p[1]), rssBytes: Number(p[2]) * 1024, cpuMs: parseCpuTime(p[3]) }));
}

/**
 * A snapshot of every process on the machine that has not exited — zombies (exited, not yet
 * reaped) are left out, as isAlive counts them gone: Linux reads /proc, other Unixes (macOS, BSD)
 * ask `ps`. `source` picks one (tests compare the two on Linux). Windows has neither: see README,
 * Portability.
 */
export function listProcesses(source: 'proc' | 'ps' = hasProc ? 'proc' : 'ps'): Promise<ProcInfo[]> {
  if (process.platform === 'win32') {
    return Promise.reject(new Error('listing processes is not supported on Windows (no /proc, no ps)'));
  }
  return source === 'proc' ? readProcLinux() : readProcPs();
}

/** The pids of `root` and all its descendants, root first, found in one process snapshot. */
export function descendantsOf(root: number, all: ProcInfo[]): ProcInfo[] {
  const children = new Map<number, ProcInfo[]>();
  let rootInfo: ProcInfo | undefined;
  for (const p of all) {
    if (p.pid === root) rootInfo = p;
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  if (!rootInfo) return [];
  const out: ProcInfo[] = [rootInfo];
  for (let i = 0; i < out.length; i++) {
    for (const c of children.get(out[i].pid) ?? []) out.push(c);
  }
  return out;
}

export interface TreeUsage {
  pids: number[];
  rssBytes: number;
  cpuMs: number;
}

/** Memory and CPU time of a whole process tree. */
export async function treeUsage(root: number): Promise<TreeUsage> {
  const tree = descendantsOf(root, await listProcesses());
  return {
    pids: tree.map((p) => p.pid),
    rssBytes: tree.reduce((s, p) => s + p.rssBytes, 0),
    cpuMs: tree.reduce((s, p) => s + p.cpuMs, 0),
  };
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** True while `pid` runs. A zombie (exited, not yet reaped — common where PID 1 never reaps) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (hasProc) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * How long SIGKILLed processes get to disappear. SIGKILL cannot be refused, but a process in an
 * uninterruptible wait (a stuck disk or network filesystem) dies only when that wait ends, and on
 * a loaded machine a killed process may not be scheduled for a while.
 */
const KILL_WAIT_MS = 10_000;

/**
 * Kills a process and every descendant: also the process group when `root` leads one (PTY
 * children and detached commands do), then each pid found in the tree, so grandchildren that
 * left the group (setsid, daemonising) go too. SIGTERM first, SIGKILL after `graceMs`. Resolves
 * once every process of the tree is gone, or with the pids still alive after KILL_WAIT_MS.
 */
export async function killTree(root: number, opts: { graceMs?: number } = {}): Promise<number[]> {
  const graceMs = opts.graceMs ?? 2000;
  const snapshot = async () => descendantsOf(root, await listProcesses()).map((p) => p.pid);
  let pids = await snapshot();
  if (pids.length === 0 && !isAlive(root)) return [];
  signalPid(-root, 'SIGTERM');
  for (const pid of pids) signalPid(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (pids.every((p) => !isAlive(p))) return [];
    await new Promise((r) => setTimeout(r, 50));
  }
  // Re-read: children may have forked during the grace period.
  pids = Array.from(new Set([...pids, ...(await snapshot())]));
  signalPid(-root, 'SIGKILL');
  for (const pid of pids) signalPid(pid, 'SIGKILL');
  const hardDeadline = Date.now() + KILL_WAIT_MS;
  while (Date.now() < hardDeadline && pids.some((p) => isAlive(p))) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return pids.filter((p) => isAlive(p));
}

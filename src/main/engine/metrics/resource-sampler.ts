import { descendantsOf, type ProcInfo } from '../process/process-tree';

export interface TreeSample {
  cpuPercent: number;
  memoryMb: number;
  /** False when the pid is no longer in the snapshot (the program just exited). */
  alive: boolean;
}

const MB = 1024 * 1024;

/** A session's processes in the snapshot: the program's tree, and escaped members with theirs, each once. */
function sessionTree(pid: number, snapshot: ProcInfo[], members: readonly number[]): ProcInfo[] {
  let tree = descendantsOf(pid, snapshot);
  if (tree.length > 0 && members.length > 0) {
    const seen = new Set(tree.map((p) => p.pid));
    for (const m of members) {
      if (seen.has(m)) continue;
      for (const p of descendantsOf(m, snapshot)) {
        if (seen.has(p.pid)) continue;
        seen.add(p.pid);
        tree = [...tree, p];
      }
    }
  }
  return tree;
}

/** The memory (RSS, MB) of a session's processes alone: no CPU delta, nothing remembered. */
export function treeMemoryMb(pid: number, snapshot: ProcInfo[], members: readonly number[] = []): number {
  const rss = sessionTree(pid, snapshot, members).reduce((n, p) => n + p.rssBytes, 0);
  return Math.round((rss / MB) * 10) / 10;
}

/**
 * CPU % and memory of each session's whole process tree, computed from one shared process
 * snapshot per tick. CPU % is the tree's CPU-time delta since the previous tick over the wall time
 * between them (100 % = one core), so the first tick of a program reports 0.
 */
export class ResourceSampler {
  private readonly previous = new Map<string, { pid: number; t: number; cpuMs: number }>();

  sample(sessionId: string, pid: number, snapshot: ProcInfo[], t: number, members: readonly number[] = []): TreeSample {
    const tree = sessionTree(pid, snapshot, members);
    if (tree.length === 0) {
      this.previous.delete(sessionId);
      return { cpuPercent: 0, memoryMb: 0, alive: false };
    }
    let rss = 0;
    let cpuMs = 0;
    for (const p of tree) {
      rss += p.rssBytes;
      cpuMs += p.cpuMs;
    }
    const prev = this.previous.get(sessionId);
    // A child that exits takes its CPU time out of the tree: a negative delta reads as 0, not less.
    const cpuPercent =
      prev && prev.pid === pid && t > prev.t ? Math.max(0, ((cpuMs - prev.cpuMs) / (t - prev.t)) * 100) : 0;
    this.previous.set(sessionId, { pid, t, cpuMs });
    return { cpuPercent: Math.round(cpuPercent * 10) / 10, memoryMb: Math.round((rss / MB) * 10) / 10, alive: true };
  }

  /** Drops state of sessions that no longer run a program. */
  retain(sessionIds: Set<string>): void {
    for (const id of this.previous.keys()) if (!sessionIds.has(id)) this.previous.delete(id);
  }
}

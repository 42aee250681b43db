import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { isAlive, killTree, listProcesses, treeUsage } from '../../../src/main/engine/process/process-tree';
import { waitFor } from '../../support/wait-for';

// The process snapshot behind metrics, limits and stopping a session's tree. On Linux it reads
// /proc with the system's page size and clock tick (getconf); elsewhere on Unix it asks `ps`. Both
// are checked here against what Node itself reports for this very process, and against each other.

/** Burns about `ms` of CPU on this thread, so CPU times have something to show. */
function burn(ms: number): void {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  expect(x).toBeGreaterThan(0);
}

const linux = process.platform === 'linux';

describe.runIf(process.platform !== 'win32')('process snapshot', () => {
  it.runIf(linux)('reads this process from /proc in the units Node reports: resident memory and CPU time', async () => {
    burn(300);
    const before = process.cpuUsage();
    const me = (await listProcesses('proc')).find((p) => p.pid === process.pid);
    const after = process.cpuUsage();
    const rss = process.memoryUsage().rss;
    expect(me?.ppid).toBe(process.ppid);
    // Same process, read a moment apart: a wrong page size would be off by 16x, not by 30 %.
    expect(me!.rssBytes).toBeGreaterThan(rss * 0.7);
    expect(me!.rssBytes).toBeLessThan(rss * 1.3);
    // /proc counts whole clock ticks (10 ms at 100 Hz) and this process has other threads too,
    // so /proc may read a little more than the main thread's share, never less than Node's own
    // figure before the read minus one tick per counter.
    const nodeMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
    expect(me!.cpuMs).toBeGreaterThanOrEqual(nodeMs(before) - 20);
    expect(me!.cpuMs).toBeLessThan(nodeMs(after) * 1.5 + 100);
  });

  it('asks ps on Unix without /proc, and on Linux ps and /proc agree', async () => {
    burn(200);
    const viaPs = (await listProcesses('ps')).find((p) => p.pid === process.pid);
    expect(viaPs?.ppid).toBe(process.ppid);
    const rss = process.memoryUsage().rss;
    expect(viaPs!.rssBytes).toBeGreaterThan(rss * 0.7);
    expect(viaPs!.rssBytes).toBeLessThan(rss * 1.3);
    // ps prints whole seconds of CPU time: at least what Node counted, minus that rounding.
    expect(viaPs!.cpuMs).toBeGreaterThanOrEqual((process.cpuUsage().user + process.cpuUsage().system) / 1000 - 1000);
    if (linux) {
      const viaProc = (await listProcesses('proc')).find((p) => p.pid === process.pid);
      expect(viaProc?.ppid).toBe(viaPs!.ppid);
      expect(Math.abs(viaProc!.rssBytes - viaPs!.rssBytes)).toBeLessThan(rss * 0.3);
    }
  });

  it('leaves zombies out (exited, not yet reaped): a tree just stopped is empty, as isAlive says', async () => {
    // `sleep 0.01` exits at once, and its parent — the shell, replaced by `sleep 300` — never
    // reaps it: a zombie child for as long as the parent lives.
    const parent = spawn('sh', ['-c', 'sleep 0.01 & exec sleep 300'], { stdio: 'ignore' });
    try {
      const zombie = await waitFor('a zombie child', async () => {
        for (const name of await readdir('/proc').catch(() => [])) {
          const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
          const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          if (rest[0] === 'Z' && Number(rest[1]) === parent.pid) return Number(name);
        }
        return null;
      });
      expect(isAlive(zombie)).toBe(false);
      for (const source of ['proc', 'ps'] as const) {
        const all = await listProcesses(source);
        expect(all.some((p) => p.pid === zombie)).toBe(false);
        expect(all.some((p) => p.pid === parent.pid)).toBe(true);
      }
      expect((await treeUsage(parent.pid!)).pids).toEqual([parent.pid]);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('sums a whole tree (a child that left the group included), and stopping it takes every member', async () => {
    // The shell ignores SIGTERM, and so do its children (an ignored signal survives exec).
    const sh = spawn('sh', ['-c', 'trap "" TERM; setsid sleep 300 & sleep 300 & wait'], {
      detached: true,
      stdio: 'ignore',
    });
    const usage = await waitFor('the shell and both children', async () => {
      const u = await treeUsage(sh.pid!);
      return u.pids.length === 3 ? u : null;
    });
    expect(usage.pids[0]).toBe(sh.pid);
    expect(usage.rssBytes).toBeGreaterThan(0);
    // SIGTERM is ignored: the grace runs out and SIGKILL takes all three.
    expect(await killTree(sh.pid!, { graceMs: 100 })).toEqual([]);
    for (const pid of usage.pids) expect(isAlive(pid)).toBe(false);
    expect(await treeUsage(sh.pid!)).toEqual({ pids: [], rssBytes: 0, cpuMs: 0 });
    expect(await killTree(sh.pid!)).toEqual([]);
  });
});

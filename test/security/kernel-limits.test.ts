import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';
import { isAlive } from '../../src/main/engine/process/process-tree';
import { probeCgroups, reprobeCgroups } from '../../src/main/engine/limits/cgroup-probe';
import { pidsWithMarker } from '../../src/main/engine/limits/marker-scan';
import { DEFAULT_PIDS_MAX, cpuSharesV1, cpuWeightV2 } from '../../src/main/engine/limits/session-cgroups';
import { PropertyTally } from '../reliability/support/report';

// Limits are enforced by the kernel where it can: each session's processes live in its own cgroup
// (memory, pids, CPU weight from the priority), so a hog is stopped at its limit, and a daemon
// that left the process group or the session (setsid, double fork) is still counted, capped and
// killed on stop. Elsewhere the fallback samples and finds escaped processes by the session
// marker in their environment. Kernel tests are skipped (reported as not run) where no cgroup
// can be made; the fallback tests run everywhere on Linux.
const tally = new PropertyTally('kernel-limits');
const kernel = probeCgroups().layout;
/** A program whose daemons escape: one by setsid, one by double fork; both sleep long. */
const ESCAPER = `setsid sleep 611 & (sleep 622 &); exec sleep 633`;
/** Allocates ~200 MB and holds it. */
const HOG = `perl -e '$x = "a" x (200 * 1024 * 1024); sleep 60'`;

let repo: TempDir;
beforeAll(async () => {
  repo = await makeTempRepo();
});
afterAll(async () => {
  tally.figures.mechanism = kernel ? kernel.mechanism : `sampling (${probeCgroups().reason})`;
  // Never "passed" where they could not run.
  tally.figures.kernelTests = kernel ? 'run' : 'NOT RUN (no cgroup this user may create here)';
  tally.report();
  await repo.cleanup();
});

async function startSession(h: Harness, name: string, script: string, extra: Record<string, unknown> = {}) {
  const [s] = await h.call('sessions.create', {
    name,
    repoPath: repo.path,
    program: 'sh',
    args: ['-c', script],
    ...extra,
  });
  await waitFor(`${name} to run`, () => h.engine.sessions.list().find((x) => x.id === s.id)?.pid != null);
  return h.engine.sessions.list().find((x) => x.id === s.id)!;
}

const daemonsOf = (sessionId: string) => pidsWithMarker([sessionId]).get(sessionId) ?? [];
const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
};

describe.skipIf(!kernel)(`kernel limits (${kernel?.mechanism ?? 'not available here'})`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openEngine({ metricsIntervalMs: 500 });
  });
  afterAll(async () => {
    await h.close();
  });

  /** Where the engine put a session's cgroup in one hierarchy (the data dir's group, then the session id). */
  const cgroupDir = (controller: string, sessionId: string) => {
    const parent = kernel!.parents[controller] ?? kernel!.parents.unified;
    const group = `multisession-${createHash('sha256').update(h.home).digest('hex').slice(0, 12)}`;
    return join(parent, group, sessionId);
  };

  it('a hog is stopped by the kernel at its memory limit, not sampled past it', async () => {
    const s = await startSession(h, 'hog', HOG, { limits: { memoryMb: 64 } });
    tally.fault();
    await waitFor(
      'the hog to be stopped',
      () => h.engine.sessions.list().find((x) => x.id === s.id)?.status === 'error',
      30_000,
    );
    const after = h.engine.sessions.list().find((x) => x.id === s.id)!;
    tally.check(/Memory limit reached/.test(after.errorReason ?? ''), `hog outcome: ${after.errorReason}`);
    tally.check(after.limitMechanism === kernel!.mechanism, `recorded mechanism ${after.limitMechanism}`);
    // The kernel's own peak (read before the empty cgroup was removed) is part of the outcome.
    const peak = /peak ([\d.]+) MB/.exec(after.errorReason ?? '');
    tally.check(peak !== null, `the outcome names the kernel's peak: ${after.errorReason}`);
    if (peak) {
      const peakMb = Number(peak[1]);
      tally.figures.hogPeakOverLimit = Math.round((peakMb / 64) * 100) / 100;
      tally.check(peakMb <= 64.5, `the hog peaked at ${peakMb.toFixed(1)} MB, limit 64 MB`);
    }
    tally.check(!existsSync(cgroupDir('pids', s.id)), 'the stopped session’s empty cgroup was removed');
    expect(tally.failed).toEqual([]);
  });

  it('escaped daemons (setsid, double fork) are counted in the cgroup, capped and killed on stop', async () => {
    const mark = tally.failed.length;
    const s = await startSession(h, 'escaper', ESCAPER, { priority: 3 });
    await waitFor(
      'both daemons to start',
      () => daemonsOf(s.id).filter((p) => /sleep 6(11|22)/.test(cmdline(p))).length === 2,
    );
    const daemons = daemonsOf(s.id).filter((p) => /sleep 6(11|22)/.test(cmdline(p)));
    const procsFile = join(
      kernel!.mechanism === 'cgroup-v2' ? cgroupDir('unified', s.id) : cgroupDir('pids', s.id),
      'cgroup.procs',
    );
    const inCgroup = readFileSync(procsFile, 'utf8').split('\n').filter(Boolean).map(Number);
    tally.fault(2);
    for (const d of daemons)
      tally.check(inCgroup.includes(d), `escaped daemon ${d} (${cmdline(d)}) is in the session's cgroup`);
    // Capped: the session's cgroup has its pids limit and a CPU weight from its priority.
    const niceness = Math.round(((10 - 3) * 19) / 9);
    if (kernel!.mechanism === 'cgroup-v1') {
      tally.check(
        readFileSync(join(cgroupDir('pids', s.id), 'pids.max'), 'utf8').trim() === String(DEFAULT_PIDS_MAX),
        'pids.max',
      );
      if (kernel!.parents.cpu)
        tally.check(
          readFileSync(join(cgroupDir('cpu', s.id), 'cpu.shares'), 'utf8').trim() === String(cpuSharesV1(niceness)),
          'cpu.shares',
        );
    } else {
      tally.check(
        readFileSync(join(cgroupDir('unified', s.id), 'pids.max'), 'utf8').trim() === String(DEFAULT_PIDS_MAX),
        'pids.max',
      );
      if (kernel!.controllers.includes('cpu'))
        tally.check(
          readFileSync(join(cgroupDir('unified', s.id), 'cpu.weight'), 'utf8').trim() === String(cpuWeightV2(niceness)),
          'cpu.weight',
        );
    }
    await h.call('sessions.stop', { sessionId: s.id });
    await waitFor('the daemons to be gone', () => daemons.every((d) => !isAlive(d)), 10_000).catch(() => undefined);
    for (const d of daemons) tally.check(!isAlive(d), `escaped daemon ${d} killed on stop`);
    tally.figures.escapedKilledByCgroup = daemons.filter((d) => !isAlive(d)).length;
    // Emptied by the stop, the session's cgroup folders go in every hierarchy.
    for (const c of Object.keys(kernel!.parents))
      tally.check(!existsSync(cgroupDir(c, s.id)), `${c} cgroup of the stopped session removed`);
    expect(tally.since(mark)).toEqual([]);
  });

  it('a command runs in its session’s cgroup, which goes when the last child of the session ends', async () => {
    const mark = tally.failed.length;
    const s = await startSession(h, 'with-command', 'exec sleep 600');
    const hier = kernel!.mechanism === 'cgroup-v2' ? 'unified' : 'pids';
    const r = await h.call('commands.execute', {
      sessionId: s.id,
      command: `cat /proc/self/cgroup; sleep 0.5`,
      shell: true,
    });
    const line = r.stdout
      .split('\n')
      .find((l: string) => (hier === 'unified' ? l.startsWith('0::') : /:pids:/.test(l)));
    tally.check(Boolean(line?.endsWith(`/${s.id}`)), `the command ran in the session’s cgroup: ${line}`);
    tally.check(existsSync(cgroupDir(hier, s.id)), 'the running program keeps its cgroup after a command ended');
    await h.call('sessions.stop', { sessionId: s.id });
    tally.check(!existsSync(cgroupDir(hier, s.id)), 'removed once the program stopped too');
    expect(tally.since(mark)).toEqual([]);
  });

  it('on close, the data dir’s group goes with every empty session cgroup; a stray empty one goes on the next start', async () => {
    const mark = tally.failed.length;
    const h2 = await openEngine();
    const group = (c: string) => join(kernel!.parents[c] ?? kernel!.parents.unified, groupOf(h2.home));
    const hier = kernel!.mechanism === 'cgroup-v2' ? 'unified' : 'pids';
    const s = await startSession(h2, 'closing', 'exec sleep 600');
    tally.check(existsSync(join(group(hier), s.id)), 'a running session has its cgroup');
    // A host that crashed leaves folders behind; this one is empty (no process in it).
    mkdirSync(join(group(hier), 'stray-session'));
    await h2.close();
    for (const c of Object.keys(kernel!.parents)) tally.check(!existsSync(group(c)), `${c}: group removed on close`);
    mkdirSync(join(group(hier), 'stray-after-crash'), { recursive: true });
    const h3 = await openEngine({ home: h2.home });
    tally.check(!existsSync(group(hier)), 'the next start removed the stray folder and the group');
    await h3.close();
    expect(tally.since(mark)).toEqual([]);
  });
});

const groupOf = (home: string) => `multisession-${createHash('sha256').update(home).digest('hex').slice(0, 12)}`;

describe.skipIf(process.platform !== 'linux')('the fallback: sampling and the session marker', () => {
  let h: Harness;
  beforeAll(async () => {
    process.env.MULTISESSION_LIMITS = 'sampling';
    reprobeCgroups();
    h = await openEngine({ metricsIntervalMs: 300 });
  });
  afterAll(async () => {
    await h.close();
    delete process.env.MULTISESSION_LIMITS;
    reprobeCgroups();
  });

  it('reports the fallback as the mechanism in force', async () => {
    const status = await h.call('metrics.system', {});
    tally.check(status.isolation?.limits === 'sampling', `status says ${status.isolation?.limits}`);
    expect(status.isolation?.limits).toBe('sampling');
    expect(status.isolation?.envAllowList.names).toContain('PATH');
  });

  it('escaped daemons are found by the session marker and killed on stop', async () => {
    const mark = tally.failed.length;
    const s = await startSession(h, 'escaper-fallback', ESCAPER);
    await waitFor(
      'both daemons to start',
      () => daemonsOf(s.id).filter((p) => /sleep 6(11|22)/.test(cmdline(p))).length === 2,
    );
    const daemons = daemonsOf(s.id).filter((p) => /sleep 6(11|22)/.test(cmdline(p)));
    tally.fault(2);
    await h.call('sessions.stop', { sessionId: s.id });
    await waitFor('the daemons to be gone', () => daemons.every((d) => !isAlive(d)), 10_000).catch(() => undefined);
    for (const d of daemons) tally.check(!isAlive(d), `escaped daemon ${d} killed on stop (fallback)`);
    tally.figures.escapedKilledByMarker = daemons.filter((d) => !isAlive(d)).length;
    expect(tally.since(mark)).toEqual([]);
  });

  it('an escaped hog counts toward its session’s memory and is stopped by the sampler', async () => {
    const mark = tally.failed.length;
    // The program sleeps quietly; the hog runs in a double-forked daemon outside its tree.
    const s = await startSession(h, 'escaped-hog', `(${HOG} &); exec sleep 600`, { limits: { memoryMb: 64 } });
    tally.fault();
    await waitFor(
      'the sampler to stop the session',
      () => h.engine.sessions.list().find((x) => x.id === s.id)?.status === 'error',
      30_000,
    );
    const after = h.engine.sessions.list().find((x) => x.id === s.id)!;
    tally.check(/Memory limit/.test(after.errorReason ?? ''), `outcome: ${after.errorReason}`);
    await waitFor('the hog to be gone', () => daemonsOf(s.id).length === 0, 10_000).catch(() => undefined);
    tally.check(daemonsOf(s.id).length === 0, 'the escaped hog was killed with its session');
    expect(tally.since(mark)).toEqual([]);
  });
});

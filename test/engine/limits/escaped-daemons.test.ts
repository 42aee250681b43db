import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/shared/domain';
import { probeCgroups, reprobeCgroups } from '../../../src/main/engine/limits/cgroup-probe';
import { pidsWithMarker } from '../../../src/main/engine/limits/marker-scan';
import { descendantsOf, isAlive, listProcesses } from '../../../src/main/engine/process/process-tree';
import { openEngine, type Harness } from '../../support/engine-harness';
import { makeTempRepo, type TempDir } from '../../support/temp-repo';
import { waitFor } from '../../support/wait-for';

// A daemon that left both its program's process tree and its process group (a double fork into
// a new session) survives the program's stop — stopping the tree and the group cannot reach it.
// The engine then kills what is left of the session: by its cgroup where the kernel offers one,
// else by the session marker in the environment. Also: a running session's new memory limit
// reaches its cgroup at once.
const DAEMON = `(setsid sleep 644 &); exec sleep 600`;
const kernel = probeCgroups().layout;

let repo: TempDir;
beforeAll(async () => {
  repo = await makeTempRepo();
});
afterAll(async () => {
  await repo.cleanup();
});

async function startDaemonSession(h: Harness, name: string): Promise<{ s: Session; daemon: number }> {
  const [created] = await h.call('sessions.create', { name, repoPath: repo.path, program: 'sh', args: ['-c', DAEMON] });
  const s = await waitFor(`${name} to run`, async () => {
    const x = await h.call('sessions.get', { sessionId: created.id });
    return x.pid !== null && x.status !== 'queued' ? x : null;
  });
  const daemon = await waitFor('the daemon to start', () =>
    (pidsWithMarker([s.id]).get(s.id) ?? []).find((p) => readCmdline(p) === 'sleep 644'),
  );
  // Escaped indeed: not in the program's tree, not in its process group.
  expect(descendantsOf(s.pid!, await listProcesses()).map((p) => p.pid)).not.toContain(daemon);
  expect(pgidOf(daemon)).not.toBe(s.pid);
  return { s, daemon };
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}
function pgidOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

describe.skipIf(!kernel)(`by the session's cgroup (${kernel?.mechanism ?? 'not available here'})`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openEngine({ terminals: 'in-process' });
  });
  afterAll(async () => {
    await h.close();
  });
  const cgroupDir = (controller: string, sessionId: string) => {
    const parent = kernel!.parents[controller] ?? kernel!.parents.unified;
    return join(parent, `multisession-${createHash('sha256').update(h.home).digest('hex').slice(0, 12)}`, sessionId);
  };
  const procsOf = (sessionId: string) =>
    readFileSync(
      join(cgroupDir(kernel!.mechanism === 'cgroup-v2' ? 'unified' : 'pids', sessionId), 'cgroup.procs'),
      'utf8',
    )
      .split('\n')
      .filter(Boolean)
      .map(Number);

  it('the escaped daemon is still in the cgroup and dies with the stop; the emptied cgroup goes', async () => {
    const { s, daemon } = await startDaemonSession(h, 'escaper');
    expect(procsOf(s.id)).toContain(daemon);
    const stopped = await h.call('sessions.stop', { sessionId: s.id });
    expect(stopped.status).toBe('stopped');
    expect(isAlive(daemon)).toBe(false);
    for (const c of Object.keys(kernel!.parents)) expect(existsSync(cgroupDir(c, s.id))).toBe(false);
  });

  it('a new memory limit reaches the running session’s cgroup at once, raised or lowered', async () => {
    const [created] = await h.call('sessions.create', {
      name: 'limited',
      repoPath: repo.path,
      program: 'sleep',
      args: ['600'],
      limits: { memoryMb: 256 },
    });
    await waitFor('the program to run', async () => (await h.call('sessions.get', { sessionId: created.id })).pid);
    const limitFiles =
      kernel!.mechanism === 'cgroup-v2'
        ? [join(cgroupDir('unified', created.id), 'memory.max')]
        : ['memory.limit_in_bytes', 'memory.memsw.limit_in_bytes']
            .map((f) => join(cgroupDir('memory', created.id), f))
            .filter((f) => existsSync(f));
    const limits = () => limitFiles.map((f) => Number(readFileSync(f, 'utf8').trim()) / 1024 / 1024);
    expect(limits()).toEqual(limitFiles.map(() => 256));
    // Raising: on v1 memory+swap must be raised first, or the kernel refuses the memory limit.
    await h.call('sessions.update', { sessionId: created.id, limits: { memoryMb: 512 } });
    expect(limits()).toEqual(limitFiles.map(() => 512));
    await h.call('sessions.update', { sessionId: created.id, limits: { memoryMb: 128 } });
    expect(limits()).toEqual(limitFiles.map(() => 128));
    await h.call('sessions.stop', { sessionId: created.id });
  });
});

describe.runIf(process.platform === 'linux')('by the session marker (no cgroups: the fallback)', () => {
  let h: Harness;
  beforeAll(async () => {
    process.env.MULTISESSION_LIMITS = 'sampling';
    reprobeCgroups();
    h = await openEngine({ terminals: 'in-process' });
  });
  afterAll(async () => {
    await h.close();
    delete process.env.MULTISESSION_LIMITS;
    reprobeCgroups();
  });

  it('the escaped daemon carries the marker and dies with the stop', async () => {
    const { s, daemon } = await startDaemonSession(h, 'escaper-fallback');
    expect((await h.call('sessions.get', { sessionId: s.id })).limitMechanism).toBe('sampling');
    await h.call('sessions.stop', { sessionId: s.id });
    expect(isAlive(daemon)).toBe(false);
    expect(pidsWithMarker([s.id]).get(s.id) ?? []).toEqual([]);
  });
});

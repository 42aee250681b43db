import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { openEngine, type Harness } from '../support/engine-harness';
import { waitFor } from '../support/wait-for';

let h: Harness;
let repo: TempDir;
beforeEach(async () => {
  h = await openEngine({ metricsIntervalMs: 250 });
  repo = await makeTempRepo();
});
afterEach(async () => {
  await h.close();
  await repo.cleanup();
});

it('a busy program shows CPU and memory of its whole tree, an idle one almost none', async () => {
  const [busy] = await h.call('sessions.create', {
    name: 'spinner',
    repoPath: repo.path,
    program: 'bash',
    // No dotfiles: the machine's ~/.bashrc must not decide when the shell takes input.
    args: ['--noprofile', '--norc'],
    autoStart: true,
  });
  const [idle] = await h.call('sessions.create', {
    name: 'resting',
    repoPath: repo.path,
    program: 'bash',
    // No dotfiles: the machine's ~/.bashrc must not decide when the shell takes input.
    args: ['--noprofile', '--norc'],
    autoStart: true,
  });
  await waitFor('start', async () => (await h.call('sessions.get', { sessionId: busy.id })).pid);
  await waitFor('start', async () => (await h.call('sessions.get', { sessionId: idle.id })).pid);
  // The loop runs in a child of the shell: the tree, not just the PTY's own process, is measured.
  await h.call('terminals.input', { sessionId: busy.id, data: "sh -c 'while :; do :; done'\r" });
  const m = await waitFor('CPU of the busy loop to be measured', async () => {
    const all = await h.call('metrics.sessions', {});
    const b = all.find((x) => x.sessionId === busy.id);
    return b && b.cpuPercent > 30 ? all : null;
  });
  const i = m.find((x) => x.sessionId === idle.id)!;
  expect(i.cpuPercent).toBeLessThan(30);
  expect(m.find((x) => x.sessionId === busy.id)!.memoryMb).toBeGreaterThan(0);
  const system = await h.call('metrics.system', {});
  expect(system.totalSessions).toBe(2);
  expect(system.activeSessions).toBe(2);
  expect(system.runningPrograms).toBe(2);
});

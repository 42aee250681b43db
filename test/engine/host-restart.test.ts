import { rmSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTempRepo, type TempDir } from '../support/temp-repo';
import { openEngine, type Harness } from '../support/engine-harness';
import { waitFor } from '../support/wait-for';

/** A shell that reads no dotfiles: the machine's ~/.bashrc (pyenv's rehash lock, …) must not decide when it takes input. */
const SHELL_ARGS = ['--noprofile', '--norc'];

let repo: TempDir;
let h: Harness | null = null;
beforeEach(async () => {
  repo = await makeTempRepo({ files: 2 });
});
afterEach(async () => {
  await h?.close();
  await repo.cleanup();
});

it('a restarted host brings back sessions in every state, with history, scrollback and metrics', async () => {
  h = await openEngine({ metricsIntervalMs: 200 });
  const home = h.home;
  const make = async (name: string, extra: Record<string, unknown>) =>
    (
      await h!.call('sessions.create', {
        name,
        repoPath: repo.path,
        program: 'bash',
        args: SHELL_ARGS,
        autoStart: false,
        ...extra,
      })
    )[0];
  const running = await make('running', { autoStart: true });
  const stopped = await make('stopped', {});
  const completed = await make('completed', { program: 'true', autoStart: true });
  const failed = await make('failed', { program: 'false', autoStart: true });
  const terminated = await make('terminated', {});
  const vanished = await make('vanished', {});
  await h.call('sessions.terminate', { sessionId: terminated.id });
  await waitFor(
    'completed',
    async () => (await h!.call('sessions.get', { sessionId: completed.id })).status === 'completed',
  );
  await waitFor('failed', async () => (await h!.call('sessions.get', { sessionId: failed.id })).status === 'error');
  await h.call('terminals.attach', { sessionId: running.id, cols: 100, rows: 30 });
  await h.call('terminals.input', { sessionId: running.id, data: 'echo marker-before-restart\r' });
  await waitFor('echo', () =>
    h!.peer.events.some(
      (e) => e.name === 'terminals.data' && JSON.stringify(e.payload).includes('marker-before-restart'),
    ),
  );
  const cmd = await h.call('commands.execute', { sessionId: stopped.id, command: 'git', args: ['status', '--short'] });
  expect(cmd.exitCode).toBe(0);
  await h.close();
  h = null;
  rmSync(vanished.worktreePath, { recursive: true, force: true });

  h = await openEngine({ home, metricsIntervalMs: 200 });
  const byName = Object.fromEntries((await h.call('sessions.list', {})).map((s) => [s.name, s]));
  expect(byName.running.status).toBe('stopped');
  expect(byName.running.pid).toBeNull();
  expect(byName.stopped.status).toBe('stopped');
  expect(byName.completed.status).toBe('completed');
  expect(byName.failed.status).toBe('error');
  expect(byName.terminated.status).toBe('terminated');
  expect(byName.vanished.worktreeMissing).toMatch(/no longer exists/);
  const startVanished = await h.request('sessions.start', { sessionId: vanished.id });
  expect(startVanished.ok ? 'ok' : startVanished.error.code).toBe('INVALID_STATE');
  // History and metrics survived.
  const history = await h.call('commands.history', { sessionId: stopped.id });
  expect(history.map((c) => c.command)).toContain('git');
  const metrics = await h.call('sessions.metrics', { sessionId: stopped.id });
  expect(metrics.commandsExecuted).toBe(1);
  // The saved scrollback is what a re-attached terminal shows.
  const attached = await h.call('terminals.attach', { sessionId: running.id, cols: 100, rows: 30 });
  expect(attached.running).toBe(false);
  expect(attached.snapshot).toContain('marker-before-restart');
  // One call restarts it.
  const restarted = await h.call('sessions.start', { sessionId: running.id });
  expect(['active', 'busy', 'idle']).toContain(restarted.status);
});

import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/main/engine/process/process-tree';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { openEngine, type Harness } from '../support/engine-harness';
import { waitFor } from '../support/wait-for';
import type { EventPayload } from '../../src/shared/contract';
import { outcome, terminateAccepting } from '../support/accept-loss';

/** A shell that reads no dotfiles: the machine's ~/.bashrc (pyenv's rehash lock, …) must not decide when it takes input. */
const SHELL_ARGS = ['--noprofile', '--norc'];

const fakeAgent = resolve(__dirname, '../fixtures/fake-agent.mjs');
let h: Harness;
let repo: TempDir;

beforeEach(async () => {
  h = await openEngine({ metricsIntervalMs: 200 });
  repo = await makeTempRepo({ files: 3 });
});
afterEach(async () => {
  await h.close();
  await repo.cleanup();
});

const status = async (id: string) => (await h.call('sessions.get', { sessionId: id })).status;
const make = async (name: string, extra: Record<string, unknown> = {}) =>
  (
    await h.call('sessions.create', {
      name,
      repoPath: repo.path,
      program: 'bash',
      args: SHELL_ARGS,
      autoStart: false,
      ...extra,
    })
  )[0];

describe('program lifecycle', () => {
  it('start, stop and restart run the program in the worktree', async () => {
    const s = await make('Life');
    const started = await h.call('sessions.start', { sessionId: s.id });
    expect(['active', 'busy', 'idle']).toContain(started.status);
    expect(started.pid).toBeGreaterThan(0);
    await h.call('terminals.input', { sessionId: s.id, data: 'pwd > where.txt\r' });
    await waitFor('the shell to write where.txt', () => existsSync(join(s.worktreePath, 'where.txt')));
    const stopped = await h.call('sessions.stop', { sessionId: s.id });
    expect(stopped.status).toBe('stopped');
    expect(isAlive(started.pid!)).toBe(false);
    const restarted = await h.call('sessions.restart', { sessionId: s.id });
    expect(restarted.pid).not.toBe(started.pid);
    expect(restarted.pid).toBeGreaterThan(0);
  });

  it('a program exiting 0 completes the session, non-zero puts it in error', async () => {
    const ok = await make('ok', { program: 'true', autoStart: true });
    const bad = await make('bad', { program: 'false', autoStart: true });
    await waitFor('completed', async () => (await status(ok.id)) === 'completed');
    await waitFor('error', async () => (await status(bad.id)) === 'error');
    const b = await h.call('sessions.get', { sessionId: bad.id });
    expect(b.exitCode).toBe(1);
    expect(b.errorReason).toMatch(/exited with code 1/);
  });

  it('the running cap queues sessions and starts them highest priority first', async () => {
    await h.call('settings.update', { maxRunning: 1 });
    const first = await make('first', { autoStart: true, priority: 5 });
    await waitFor('first running', async () => ['active', 'busy', 'idle'].includes(await status(first.id)));
    const low = await make('low', { autoStart: true, priority: 2 });
    const high = await make('high', { autoStart: true, priority: 9 });
    const mid = await make('mid', { autoStart: true, priority: 5 });
    for (const s of [low, high, mid]) expect(await status(s.id)).toBe('queued');
    const order: string[] = [];
    for (const running of [first, high, mid]) {
      await h.call('sessions.stop', { sessionId: running.id });
      const next = await waitFor('the next queued session to start', async () => {
        const all = await h.call('sessions.list', {});
        return all.find((s) => ['active', 'busy', 'idle'].includes(s.status));
      });
      order.push(next.name);
    }
    expect(order).toEqual(['high', 'mid', 'low']);
  });

  it('raising the running cap starts the queued sessions at once, without any stop', async () => {
    await h.call('settings.update', { maxRunning: 1 });
    const first = await make('first', { autoStart: true });
    await waitFor('first running', async () => ['active', 'busy', 'idle'].includes(await status(first.id)));
    const second = await make('second', { autoStart: true });
    const third = await make('third', { autoStart: true });
    expect([await status(second.id), await status(third.id)]).toEqual(['queued', 'queued']);
    await h.call('settings.update', { maxRunning: 3 });
    await waitFor('both queued sessions to run', async () => {
      const both = [await status(second.id), await status(third.id)];
      return both.every((st) => ['active', 'busy', 'idle'].includes(st));
    });
    expect(['active', 'busy', 'idle']).toContain(await status(first.id));
  });

  it('a memory hog is stopped by its limit and a sleep by its runtime limit, whole trees gone', async () => {
    const hog = await make('hog', {
      program: process.execPath,
      args: ['-e', 'const a=[];setInterval(()=>{a.push(Buffer.alloc(16*1024*1024,1))},50)'],
      limits: { memoryMb: 96 },
      autoStart: true,
    });
    // A duration no other test on this machine uses, so `ps` finds this test's sleeps only.
    const marker = `sleep ${300_000 + Math.floor(Math.random() * 600_000)}`;
    const sleeper = await make('sleeper', {
      program: 'sh',
      args: ['-c', `${marker} & ${marker}`],
      limits: { runtimeSec: 1 },
      autoStart: true,
    });
    // The hog may be stopped before any poll sees it running: its pid comes from the events.
    const hogPid = await waitFor('hog pid', () => {
      for (const e of h.peer.events) {
        if (e.name !== 'sessions.changed') continue;
        const { session } = e.payload as EventPayload<'sessions.changed'>;
        if (session.id === hog.id && session.pid) return session.pid;
      }
      return null;
    });
    await waitFor('the hog to be stopped', async () => (await status(hog.id)) === 'error', 30_000);
    await waitFor('the sleeper to be stopped', async () => (await status(sleeper.id)) === 'error', 30_000);
    const hogAfter = await h.call('sessions.get', { sessionId: hog.id });
    const sleeperAfter = await h.call('sessions.get', { sessionId: sleeper.id });
    expect(hogAfter.errorReason).toMatch(/memory limit/i);
    expect(sleeperAfter.errorReason).toMatch(/time limit/i);
    expect(isAlive(hogPid)).toBe(false);
    const { stdout } = await import('node:child_process').then((cp) =>
      import('node:util').then((u) => u.promisify(cp.execFile)('ps', ['-eo', 'args'])),
    );
    // Announced `error` only after the whole tree was gone: no wait here.
    expect(stdout).not.toContain(marker);
  });

  it('the fake agent goes busy, waits on its prompt, resumes after the answer and completes', async () => {
    const s = await make('agent', {
      program: process.execPath,
      args: [fakeAgent, '--spin-ms', '1500', '--work-ms', '1500'],
      autoStart: true,
    });
    const seen: string[] = [];
    const record = async () => {
      const st = await status(s.id);
      if (seen[seen.length - 1] !== st) seen.push(st);
      return st;
    };
    await waitFor('waiting', async () => (await record()) === 'waiting', 30_000);
    await h.call('terminals.input', { sessionId: s.id, data: 'y' });
    await waitFor('completed', async () => (await record()) === 'completed', 30_000);
    expect(seen).toContain('busy');
    expect(seen.indexOf('waiting')).toBeGreaterThan(seen.indexOf('busy'));
    expect(existsSync(join(s.worktreePath, 'AGENT_EDIT.md'))).toBe(true);
    // The exit is announced once its outcome is on record, just after the status changed.
    const kinds = () =>
      h.peer.events.filter((e) => e.name === 'notify').map((e) => (e.payload as { kind: string }).kind);
    await waitFor('the exit notification', () => kinds().includes('exited'));
    expect(kinds()).toEqual(expect.arrayContaining(['waiting', 'exited']));
  });
});

describe('terminate never loses work silently', () => {
  it('clean: removes the worktree and keeps the branch', async () => {
    const s = await make('clean');
    const t = await h.call('sessions.terminate', { sessionId: s.id });
    expect(t.status).toBe('terminated');
    expect(existsSync(s.worktreePath)).toBe(false);
    expect(await runGit(repo.path, ['branch', '--list', s.branch])).toContain(s.branch);
  });

  it('dirty: refused unless the loss is accepted and nothing changes; commit-first keeps the work; accepting discards', async () => {
    const a = await make('dirty-a');
    writeFileSync(join(a.worktreePath, 'work.txt'), 'precious\n');
    const refused = await h.request('sessions.terminate', { sessionId: a.id });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('WORK_AT_RISK');
    expect(existsSync(join(a.worktreePath, 'work.txt'))).toBe(true);
    expect(await status(a.id)).toBe('stopped');
    await h.call('sessions.terminate', { sessionId: a.id, commitMessage: 'Save work before terminating' });
    expect(existsSync(a.worktreePath)).toBe(false);
    expect(await runGit(repo.path, ['show', `${a.branch}:work.txt`])).toBe('precious\n');

    const b = await make('dirty-b');
    writeFileSync(join(b.worktreePath, 'README.md'), 'changed\n');
    expect(outcome(await terminateAccepting(h, b.id))).toBe('ok');
    expect(existsSync(b.worktreePath)).toBe(false);
  });

  it('unmerged: deleting the branch needs the loss accepted', async () => {
    const s = await make('unmerged');
    writeFileSync(join(s.worktreePath, 'feature.txt'), 'x\n');
    await runGit(s.worktreePath, ['add', '.']);
    await runGit(s.worktreePath, ['commit', '-m', 'feature']);
    const refused = await h.request('sessions.terminate', { sessionId: s.id, deleteBranch: true });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('WORK_AT_RISK');
    expect(existsSync(s.worktreePath)).toBe(true);
    expect(outcome(await terminateAccepting(h, s.id, { deleteBranch: true }))).toBe('ok');
    expect(await runGit(repo.path, ['branch', '--list', s.branch])).toBe('');
  });

  it('cleanup previews, keeps what holds work, and removes the rest', async () => {
    const merged = await make('merged');
    const unmerged = await make('unmerged');
    writeFileSync(join(unmerged.worktreePath, 'f.txt'), 'x\n');
    await runGit(unmerged.worktreePath, ['add', '.']);
    await runGit(unmerged.worktreePath, ['commit', '-m', 'work']);
    await h.call('sessions.terminate', { sessionId: merged.id });
    await h.call('sessions.terminate', { sessionId: unmerged.id });
    const preview = await h.call('cleanup.preview', {});
    expect(preview.dryRun).toBe(true);
    expect(preview.removed.map((i) => `${i.kind}:${i.sessionName}`)).toEqual(
      expect.arrayContaining(['branch:merged', 'record:merged']),
    );
    expect(preview.kept.map((i) => `${i.kind}:${i.sessionName}`)).toEqual(expect.arrayContaining(['branch:unmerged']));
    // Dry run changed nothing.
    expect(await runGit(repo.path, ['branch', '--list', merged.branch])).toContain(merged.branch);
    const done = await h.call('cleanup.run', {});
    expect(done.removed.length).toBe(preview.removed.length);
    expect(await runGit(repo.path, ['branch', '--list', merged.branch])).toBe('');
    expect(await runGit(repo.path, ['branch', '--list', unmerged.branch])).toContain(unmerged.branch);
    expect((await h.call('sessions.list', {})).map((s) => s.name)).toEqual(['unmerged']);
  });
});

describe('batch runs', () => {
  it('one command across sessions with one failing shows per-session results', async () => {
    const sessions = [await make('b1'), await make('b2'), await make('b3')];
    writeFileSync(join(sessions[1].worktreePath, 'fail-marker'), '');
    const batch = await h.call('batch.run', {
      selector: { all: true },
      command: 'test ! -e fail-marker && echo fine || { echo broken >&2; exit 3; }',
      shell: true,
      concurrency: 2,
    });
    const done = await waitFor('the batch to finish', async () => {
      const b = await h.call('batch.get', { batchId: batch.id });
      return b.status === 'done' ? b : null;
    });
    const byName = Object.fromEntries(done.items.map((i) => [i.sessionName, i]));
    expect(byName.b1.status).toBe('succeeded');
    expect(byName.b3.status).toBe('succeeded');
    expect(byName.b2.status).toBe('failed');
    expect(byName.b2.exitCode).toBe(3);
    expect(byName.b2.outputTail).toContain('broken');
    const history = await h.call('commands.history', { sessionId: sessions[1].id });
    expect(history[0].exitCode).toBe(3);
  });
});

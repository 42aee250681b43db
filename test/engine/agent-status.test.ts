import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/shared/contract';
import type { Session } from '../../src/shared/domain';
import { outcome, terminateAccepting } from '../support/accept-loss';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';

// The real engine running the fake agent under the names of the agents it stands in for: the
// engine injects Claude Code's --settings hooks / Codex's -c notify exactly as for the real CLIs,
// the fake agent runs them as those CLIs do, and the session's status follows.
const fakeAgent = resolve(__dirname, '../fixtures/fake-agent.mjs');
let h: Harness;
let repo: TempDir;
let bin: TempDir;

beforeAll(async () => {
  h = await openEngine({ metricsIntervalMs: 60_000 });
  repo = await makeTempRepo();
  bin = await makeTempDir('ms-agent-bin-');
  for (const name of ['claude', 'codex']) {
    writeFileSync(
      join(bin.path, name),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(fakeAgent)} "$@"\n`,
    );
    chmodSync(join(bin.path, name), 0o755);
  }
});
afterAll(async () => {
  await h?.close();
  await repo?.cleanup();
  await bin?.cleanup();
});

const get = (id: string) => h.call('sessions.get', { sessionId: id });
const create = async (name: string, program: string, extra: Record<string, unknown> = {}) =>
  (await h.call('sessions.create', { name, repoPath: repo.path, program, ...extra }))[0];
/** The (status, source) pairs a session went through, from the events every client gets. */
const trail = (id: string) =>
  h.peer.events
    .filter((e) => e.name === 'sessions.changed')
    .map((e) => (e.payload as EventPayload<'sessions.changed'>).session)
    .filter((s) => s.id === id)
    .map((s) => `${s.status}/${s.statusSource ?? '-'}`)
    .filter((x, i, all) => x !== all[i - 1]);
const notices = (id: string, kind: string) =>
  h.peer.events.filter(
    (e) =>
      e.name === 'notify' &&
      (e.payload as EventPayload<'notify'>).sessionId === id &&
      (e.payload as EventPayload<'notify'>).kind === kind,
  );
/** A process's argv ([] while it is between fork and exec, or gone). */
const argvOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
};

describe('status from the agent’s own hooks', () => {
  it('Claude Code hooks: busy while it thinks silently, though the screen looks idle; the source is shown', async () => {
    const s = await create('hooked', `${bin.path}/claude --prompt go --quiet --spin-ms 600000`);
    expect(s.agent).toBe('claude');
    await waitFor('busy from the hooks', async () => {
      const now = await get(s.id);
      return now.status === 'busy' && now.statusSource === 'hooks';
    });
    // The screen's own reading (no output for a while) is idle — the hooks' busy stands.
    await waitFor('the screen to read idle', () => h.engine.terminals.stats(s.id)?.activity === 'idle');
    expect(await get(s.id)).toMatchObject({ status: 'busy', statusSource: 'hooks' });
    expect(argvOf((await get(s.id)).pid!)).toContain('--settings');
    await h.call('sessions.stop', { sessionId: s.id });
  });

  it('Claude Code hooks: waiting on its permission dialog, busy once answered, idle and "finished" at the end', async () => {
    const s = await create('turn', `${bin.path}/claude --prompt go --menu --spin-ms 300 --work-ms 300 --hold`);
    await waitFor('waiting from the hooks', async () => {
      const now = await get(s.id);
      return now.status === 'waiting' && now.statusSource === 'hooks';
    });
    await h.call('terminals.input', { sessionId: s.id, data: '\r' });
    await waitFor('the edit', () => existsSync(join(s.worktreePath, 'AGENT_EDIT.md')));
    await waitFor('idle from the hooks', async () => {
      const now = await get(s.id);
      return now.status === 'idle' && now.statusSource === 'hooks';
    });
    const seen = trail(s.id);
    expect(seen).toContain('busy/hooks');
    expect(seen.indexOf('waiting/hooks')).toBeGreaterThan(seen.indexOf('busy/hooks'));
    expect(seen.lastIndexOf('busy/hooks')).toBeGreaterThan(seen.indexOf('waiting/hooks'));
    await waitFor('the finished-turn notification', () => notices(s.id, 'finished').length === 1);
    await h.call('sessions.stop', { sessionId: s.id });
  });

  it('Codex notify: the end of a turn is reported by the agent itself', async () => {
    const s = await create('codex', `${bin.path}/codex --no-confirm --spin-ms 1500 --hold`);
    expect(s.agent).toBe('codex');
    await waitFor('a status from the notify hook', () => trail(s.id).some((x) => x.endsWith('/hooks')));
    expect(trail(s.id)).toContain('idle/hooks');
    expect(argvOf((await get(s.id)).pid!).some((a) => a.startsWith('notify=['))).toBe(true);
    await h.call('sessions.stop', { sessionId: s.id });
  });

  it('a program without hooks gets its status from the screen, and says so', async () => {
    const s = await create('plain', `${process.execPath} ${fakeAgent} --no-confirm --spin-ms 200 --hold`);
    await waitFor('idle from the screen', async () => {
      const now = await get(s.id);
      return now.status === 'idle' && now.statusSource !== null && now.statusSource !== 'hooks';
    });
    expect(trail(s.id).some((x) => x.endsWith('/hooks'))).toBe(false);
    await h.call('sessions.stop', { sessionId: s.id });
  });
});

describe('auto-yes', () => {
  it('answers a running program’s (y/n) confirmation, counts it, and does not ask the user', async () => {
    const s = await create('yes', `${process.execPath} ${fakeAgent} --spin-ms 200 --work-ms 200 --hold`, {
      approval: { policy: 'auto-yes' },
    });
    await waitFor('the edit after the automatic yes', () => existsSync(join(s.worktreePath, 'AGENT_EDIT.md')));
    await waitFor('the answer counted', async () => (await get(s.id)).autoApproved === 1);
    expect(notices(s.id, 'waiting')).toHaveLength(0);
    await h.call('sessions.stop', { sessionId: s.id });
  });

  it('accepts Claude Code’s permission dialog with Enter, the hooks saying it waits', async () => {
    const s = await create('yes-claude', `${bin.path}/claude --menu --spin-ms 200 --work-ms 200 --hold`, {
      approval: { policy: 'auto-yes' },
    });
    await waitFor('the edit after the automatic Enter', () => existsSync(join(s.worktreePath, 'AGENT_EDIT.md')));
    expect(trail(s.id)).toContain('waiting/hooks');
    expect((await get(s.id)).autoApproved).toBe(1);
    await h.call('sessions.stop', { sessionId: s.id });
  });
});

describe('sessions.setApproval', () => {
  let s: Session;
  beforeAll(async () => {
    s = await create('approve', `${bin.path}/claude --menu --spin-ms 100 --work-ms 100 --hold`);
  });

  it('refuses a mode the agent does not have, and a terminated session; changes nothing', async () => {
    await waitFor('the dialog', async () => (await get(s.id)).status === 'waiting');
    const bad = await h.request('sessions.setApproval', {
      sessionId: s.id,
      approval: { policy: 'agent', mode: 'yolo' },
    });
    expect(bad.ok ? null : bad.error.code).toBe('BAD_INPUT');
    expect(bad.ok ? '' : bad.error.message).toMatch(/acceptEdits/);
    expect((await get(s.id)).approval).toEqual({ policy: 'off', mode: null });
  });

  it('a mode without restart is recorded for the next start; the running program is left alone', async () => {
    const pid = (await get(s.id)).pid;
    const next = await h.call('sessions.setApproval', { sessionId: s.id, approval: { policy: 'agent', mode: 'plan' } });
    expect(next.approval).toEqual({ policy: 'agent', mode: 'plan' });
    expect(next.pid).toBe(pid);
    expect(argvOf(pid!)).not.toContain('--permission-mode');
  });

  it('with restart, the agent starts again in the new mode (and skips the question it brings)', async () => {
    const before = (await get(s.id)).pid;
    const next = await h.call('sessions.setApproval', {
      sessionId: s.id,
      approval: { policy: 'agent', mode: 'acceptEdits' },
      restart: true,
    });
    expect(next.pid).not.toBe(before);
    const argv = await waitFor('the new program’s argv', () => {
      const a = argvOf(next.pid!);
      return a.includes('--permission-mode') ? a : null;
    });
    expect(argv[argv.indexOf('--permission-mode') + 1]).toBe('acceptEdits');
    await waitFor('the edit without a question', () => existsSync(join(s.worktreePath, 'AGENT_EDIT.md')));
  });

  it('auto-yes switched on answers the question already on screen', async () => {
    const q = await create('pending', `${process.execPath} ${fakeAgent} --spin-ms 100 --work-ms 100 --hold`);
    await waitFor('the question', async () => (await get(q.id)).status === 'waiting');
    await h.call('sessions.setApproval', { sessionId: q.id, approval: { policy: 'auto-yes' } });
    await waitFor('the edit', () => existsSync(join(q.worktreePath, 'AGENT_EDIT.md')));
    expect((await get(q.id)).autoApproved).toBe(1);
    // The agent's edit is untracked work: terminate accepting exactly that loss.
    expect(outcome(await terminateAccepting(h, q.id))).toBe('ok');
    const gone = await h.request('sessions.setApproval', { sessionId: q.id, approval: { policy: 'off' } });
    expect(gone.ok ? null : gone.error.code).toBe('INVALID_STATE');
  });
});

describe('per-session ports', () => {
  it('each session’s program gets its own PORT; terminate releases the block and the next session reuses it', async () => {
    // Each program writes what it was given, then stays up.
    const program = `sh -c 'echo "$PORT $MULTISESSION_PORT_RANGE" > port.txt; exec sleep 600'`;
    const portOf = async (sess: Session) => {
      const file = join(sess.worktreePath, 'port.txt');
      await waitFor(
        `${sess.name} to write its port`,
        () => existsSync(file) && readFileSync(file, 'utf8').includes('-'),
      );
      return readFileSync(file, 'utf8').trim();
    };
    const a = await create('port-a', program);
    const b = await create('port-b', program);
    const [pa, pb] = [await portOf(a), await portOf(b)];
    const blockA = (await get(a.id)).ports!;
    expect(pa).toBe(`${blockA.base} ${blockA.base}-${blockA.base + blockA.count - 1}`);
    expect(pb).not.toBe(pa);
    // A restart keeps the block.
    const restarted = await h.call('sessions.restart', { sessionId: a.id });
    expect(restarted.ports).toEqual(blockA);
    expect(outcome(await terminateAccepting(h, a.id))).toBe('ok');
    expect((await h.engine.ports.held()).some((x) => x.sessionId === a.id)).toBe(false);
    const c = await create('port-c', program);
    expect(await portOf(c)).toBe(pa);
    expect((await get(c.id)).ports).toEqual(blockA);
    for (const x of [b, c]) await h.call('sessions.stop', { sessionId: x.id });
  });
});

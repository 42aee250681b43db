import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TERMINAL_HOST_PROTOCOL } from '../../src/shared/terminal-host-contract';
import { isAlive } from '../../src/main/engine/process/process-tree';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';
import { stopTerminalHosts, terminalHostLock } from '../support/terminal-host';
import { waitFor } from '../support/wait-for';

const fakeAgent = resolve(__dirname, '../fixtures/fake-agent.mjs');
/** The "older" version: the real terminal host binary, started speaking another protocol number. */
const OLD = TERMINAL_HOST_PROTOCOL + 100;
let home: TempDir;
let repo: TempDir;
let bin: TempDir;
let h: Harness | null = null;

beforeAll(async () => {
  home = await makeTempDir('ms-older-');
  repo = await makeTempRepo({ files: 2 });
  bin = await makeTempDir('ms-older-bin-');
  // The fake agent under Claude Code's name: the resume table gives it `--continue`.
  writeFileSync(
    join(bin.path, 'claude'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(fakeAgent)} "$@"\n`,
  );
  chmodSync(join(bin.path, 'claude'), 0o755);
});
afterAll(async () => {
  delete process.env.MULTISESSION_TERMINAL_HOST_PROTOCOL;
  await h?.close();
  await stopTerminalHosts(home.path);
  for (const d of [home, repo, bin]) await d.cleanup();
});

const screen = async (x: Harness, id: string) => (await x.engine.terminals.serialize(id)) ?? '';

describe('sessions held by an older terminal host after an update', () => {
  it('are reported as running there; start and "restart them here" move them: resumed in this version, old host gone, worktrees untouched', async () => {
    // ── The older app: its terminal host speaks protocol OLD. ──
    process.env.MULTISESSION_TERMINAL_HOST_PROTOCOL = String(OLD);
    const old = await openEngine({ home: home.path });
    const [agent] = await old.call('sessions.create', {
      name: 'agent',
      repoPath: repo.path,
      program: join(bin.path, 'claude'),
      args: ['--no-confirm', '--spin-ms', '50', '--hold'],
      env: { FAKE_AGENT_HOME: join(home.path, 'fake-agent-home') },
    });
    // No rc files: a shell killed while its .bashrc runs can leave a machine-wide lock behind (pyenv).
    const [shell] = await old.call('sessions.create', {
      name: 'shell',
      repoPath: repo.path,
      program: 'bash',
      args: ['--noprofile', '--norc'],
    });
    const [quiet] = await old.call('sessions.create', {
      name: 'quiet',
      repoPath: repo.path,
      program: 'bash',
      args: ['--noprofile', '--norc'],
    });
    const convo = await waitFor('the conversation to start', async () =>
      /Conversation ([0-9a-f]{12})/.exec(await screen(old, agent.id)),
    );
    await old.call('terminals.input', {
      sessionId: shell.id,
      data: 'echo work > notes.txt; echo typed-in-the-old-host\r',
    });
    await waitFor('the shell to write', () => existsSync(join(shell.worktreePath, 'notes.txt')));
    await old.call('terminals.input', { sessionId: quiet.id, data: 'echo quiet-was-here\r' });
    await waitFor('the quiet shell to echo', async () => (await screen(old, quiet.id)).includes('quiet-was-here\r\n'));
    const oldPids = {
      agent: (await old.call('sessions.get', { sessionId: agent.id })).pid!,
      shell: (await old.call('sessions.get', { sessionId: shell.id })).pid!,
      quiet: (await old.call('sessions.get', { sessionId: quiet.id })).pid!,
    };
    const oldHost = terminalHostLock(home.path, OLD)!;
    expect(oldHost).not.toBeNull();
    // The update: the app quits keeping its programs; the new version starts.
    await old.close({ stopPrograms: false });
    delete process.env.MULTISESSION_TERMINAL_HOST_PROTOCOL;

    // ── The new app. ──
    h = await openEngine({ home: home.path });
    const hosts = await h.call('sessions.olderHosts', {});
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toMatchObject({ protocol: OLD, pid: oldHost.pid });
    expect(hosts[0].sessions.map((x) => x.name).sort()).toEqual(['agent', 'quiet', 'shell']);
    for (const id of [agent.id, shell.id, quiet.id]) {
      const s = await h.call('sessions.get', { sessionId: id });
      // Not lost, not failed: still running there, and said so.
      expect(s.status).toBe('stopped');
      expect(s.errorReason).toMatch(/Still running in the terminal host of an older Multisession version/);
    }
    expect(isAlive(oldPids.agent) && isAlive(oldPids.shell)).toBe(true);
    // Bad input changes nothing: an unknown id, a session no older host holds.
    const bad = await h.request('sessions.restartHere', { sessionIds: ['no-such-session'] });
    expect(bad.ok ? null : bad.error.code).toBe('NOT_FOUND');
    const [other] = await h.call('sessions.create', {
      name: 'here',
      repoPath: repo.path,
      program: 'bash',
      autoStart: false,
    });
    const notHeld = await h.request('sessions.restartHere', { sessionIds: [other.id, agent.id] });
    expect(notHeld.ok ? null : notHeld.error.code).toBe('INVALID_STATE');
    expect(isAlive(oldPids.agent)).toBe(true);
    // Recorded stopped, but its program writes in the folder there: pause and terminate would
    // remove the folder under it — refused in plain words, nothing changed.
    for (const r of [
      await h.request('sessions.pause', { sessionId: shell.id }),
      await h.request('sessions.terminate', { sessionId: shell.id }),
    ]) {
      expect(r.ok ? 'ok' : `${r.error.code}: ${r.error.message}`).toMatch(
        /^INVALID_STATE: .*still running in the terminal host of an older Multisession.*Stop it, or restart it here/,
      );
    }
    expect((await h.call('sessions.get', { sessionId: shell.id })).status).toBe('stopped');
    expect(isAlive(oldPids.shell) && existsSync(join(shell.worktreePath, 'notes.txt'))).toBe(true);

    // ── Stop stops it there and keeps its screen here (then it can be terminated like any stopped one). ──
    const stopped = await h.call('sessions.stop', { sessionId: quiet.id });
    expect(stopped.status).toBe('stopped');
    expect(stopped.errorReason).toBeNull();
    await waitFor('the quiet shell to stop in the older host', () => !isAlive(oldPids.quiet));
    expect(await screen(h, quiet.id)).toContain('quiet-was-here');

    // ── Restart (as Start) on one of them moves that one — never a second program in its worktree; the old host stays for the other. ──
    const started = await h.call('sessions.restart', { sessionId: shell.id });
    expect(started.status).not.toBe('stopped');
    await waitFor('the shell to leave the older host', () => !isAlive(oldPids.shell));
    expect(isAlive(oldHost.pid) && isAlive(oldPids.agent)).toBe(true);
    expect((await h.call('sessions.olderHosts', {}))[0].sessions.map((x) => x.name)).toEqual(['agent']);

    // ── Restart them here: the rest. ──
    const r = await h.call('sessions.restartHere', {});
    expect(r.failed).toEqual([]);
    expect(r.restarted.map((s) => s.name)).toEqual(['agent']);
    expect(r.hostsExited).toEqual([oldHost.pid]);
    await waitFor('the older terminal host to exit', () => !isAlive(oldHost.pid));
    expect(isAlive(oldPids.agent) || isAlive(oldPids.shell)).toBe(false);
    expect(await h.call('sessions.olderHosts', {})).toEqual([]);

    const current = terminalHostLock(home.path, TERMINAL_HOST_PROTOCOL)!;
    const a = await waitFor('the agent to run in this version', async () => {
      const s = await h!.call('sessions.get', { sessionId: agent.id });
      return s.pid !== null ? s : null;
    });
    expect(a.restoredAs).toBe('resumed');
    expect(a.errorReason).toBeNull();
    expect(a.pid).not.toBe(oldPids.agent);
    const sh = await waitFor('the shell to run in this version', async () => {
      const s = await h!.call('sessions.get', { sessionId: shell.id });
      return s.pid !== null ? s : null;
    });
    expect(sh.restoredAs).toBe('restarted');
    // Both run in this version's terminal host.
    const live = await h.engine.terminals.list();
    expect(live.filter((t) => t.running).map((t) => t.pid)).toEqual(expect.arrayContaining([a.pid, sh.pid]));
    expect(current.protocol).toBe(TERMINAL_HOST_PROTOCOL);
    // The agent continued its conversation; above the separator, what the old host showed.
    await waitFor('the agent to resume its conversation', async () =>
      (await screen(h!, agent.id)).includes(`Resumed conversation ${convo[1]} (1 turns)`),
    );
    const agentScreen = await screen(h, agent.id);
    expect(agentScreen).toContain(`Conversation ${convo[1]}`);
    expect(agentScreen).toMatch(/moved here from the terminal host of Multisession \S+/);
    expect(agentScreen.indexOf(`Conversation ${convo[1]}`)).toBeLessThan(agentScreen.indexOf('moved here from'));
    expect(await screen(h, shell.id)).toContain('typed-in-the-old-host');
    // Worktrees untouched.
    expect(readFileSync(join(shell.worktreePath, 'notes.txt'), 'utf8')).toBe('work\n');
    expect(existsSync(agent.worktreePath)).toBe(true);
  });
});

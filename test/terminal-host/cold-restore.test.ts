import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/main/engine/store/database';
import { RuntimeStore } from '../../src/main/engine/store/runtime-store';
import { isAlive } from '../../src/main/engine/process/process-tree';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempDir, makeTempRepo, type TempDir } from '../support/temp-repo';
import { stopTerminalHosts } from '../support/terminal-host';
import { waitFor } from '../support/wait-for';

const fakeAgent = resolve(__dirname, '../fixtures/fake-agent.mjs');
let home: TempDir;
let repo: TempDir;
let bin: TempDir;
let h: Harness | null = null;

beforeAll(async () => {
  home = await makeTempDir('ms-cold-');
  repo = await makeTempRepo({ files: 2 });
  bin = await makeTempDir('ms-cold-bin-');
  // The fake agent under Claude Code's name: the resume table gives it `--continue`.
  writeFileSync(
    join(bin.path, 'claude'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(fakeAgent)} "$@"\n`,
  );
  chmodSync(join(bin.path, 'claude'), 0o755);
});
afterAll(async () => {
  await h?.close();
  await stopTerminalHosts(home.path);
  for (const d of [home, repo, bin]) await d.cleanup();
});

const screen = async (x: Harness, id: string) => (await x.engine.terminals.serialize(id)) ?? '';

describe('cold restore after a restart of the machine', () => {
  it('an agent that was running is started again in its worktree and continues its conversation; a shell restarts', async () => {
    h = await openEngine({ home: home.path });
    const conversations = join(home.path, 'fake-agent-home');
    const [agent] = await h.call('sessions.create', {
      name: 'agent',
      repoPath: repo.path,
      program: join(bin.path, 'claude'),
      args: ['--no-confirm', '--spin-ms', '50', '--hold'],
      env: { FAKE_AGENT_HOME: conversations },
    });
    const [shell] = await h.call('sessions.create', { name: 'shell', repoPath: repo.path, program: 'bash' });
    const first = await waitFor('the conversation to start', async () =>
      /Conversation ([0-9a-f]{12})/.exec(await screen(h!, agent.id)),
    );
    const agentPid = (await h.call('sessions.get', { sessionId: agent.id })).pid!;
    // The app quits keeping its programs; then the machine "restarts": every program is gone,
    // and the boot the engine last ran in is another one.
    await h.close({ stopPrograms: false });
    h = null;
    await stopTerminalHosts(home.path);
    expect(isAlive(agentPid)).toBe(false);
    const db = await Database.open(join(home.path, 'multisession.db'));
    await new RuntimeStore(db).update({ bootId: 'a-boot-before-the-restart' });
    await db.close();

    h = await openEngine({ home: home.path });
    const restored = await waitFor('the agent to run again', async () => {
      const s = await h!.call('sessions.get', { sessionId: agent.id });
      return s.pid !== null && s.pid !== agentPid ? s : null;
    });
    expect(restored.restoredAs).toBe('resumed');
    expect(restored.worktreePath).toBe(agent.worktreePath);
    expect(existsSync(restored.worktreePath)).toBe(true);
    // The fake agent says which conversation it continued: the one of this worktree.
    await waitFor('the agent to resume its conversation', async () =>
      (await screen(h!, agent.id)).includes(`Resumed conversation ${first[1]} (1 turns)`),
    );
    const sh = await waitFor('the shell to run again', async () => {
      const s = await h!.call('sessions.get', { sessionId: shell.id });
      return s.pid !== null ? s : null;
    });
    expect(sh.restoredAs).toBe('restarted');
    // (The notification naming both is emitted while the engine opens, before a peer can listen.)
  });

  it('hibernate stops the program and keeps worktree and scrollback; wake continues the same conversation', async () => {
    h ??= await openEngine({ home: home.path });
    const [s] = await h.call('sessions.create', {
      name: 'sleeper',
      repoPath: repo.path,
      program: join(bin.path, 'claude'),
      args: ['--no-confirm', '--spin-ms', '50', '--hold'],
      env: { FAKE_AGENT_HOME: join(home.path, 'fake-agent-home') },
    });
    const convo = await waitFor('the conversation to start', async () =>
      /Conversation ([0-9a-f]{12})/.exec(await screen(h!, s.id)),
    );
    const pid = (await h.call('sessions.get', { sessionId: s.id })).pid!;
    const asleep = await h.call('sessions.hibernate', { sessionId: s.id });
    expect(asleep.status).toBe('hibernated');
    expect(asleep.pid).toBeNull();
    await waitFor('the program to be gone', () => !isAlive(pid));
    expect(existsSync(asleep.worktreePath)).toBe(true);
    expect(await screen(h, s.id)).toContain(`Conversation ${convo[1]}`);
    const bad = await h.request('sessions.wake', { sessionId: 'no-such-session' });
    expect(bad.ok ? null : bad.error.code).toBe('NOT_FOUND');

    const awake = await h.call('sessions.wake', { sessionId: s.id });
    expect(awake.restoredAs).toBe('resumed');
    await waitFor('the agent to continue its conversation', async () =>
      (await screen(h!, s.id)).includes(`Resumed conversation ${convo[1]} (1 turns)`),
    );
    const again = await h.request('sessions.wake', { sessionId: s.id });
    expect(again.ok ? null : again.error.code).toBe('INVALID_STATE');
  });
});

import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEngineWithRepo } from '../../support/engine-fixture';
import { makeTempDir } from '../../support/temp-repo';
import { waitFor } from '../../support/wait-for';

// Starting a session's program when the world changed under it (its program uninstalled, its
// worktree deleted while it waited for a slot), the running cap's queue, and an initial prompt
// typed into a plain shell once it is ready for input.
const fx = useEngineWithRepo({ engine: { terminals: 'in-process' } });

const get = (id: string) => fx.h.call('sessions.get', { sessionId: id });
const notices = () => fx.h.peer.events.filter((e) => e.name === 'notify').map((e) => e.payload);

describe('starting a program', () => {
  it('a program removed since the session was created: the session goes to error saying why, and says so once', async () => {
    const bin = await makeTempDir('ms-start-bin-');
    try {
      const tool = join(bin.path, 'tool');
      writeFileSync(tool, '#!/bin/sh\nexec sleep 600\n');
      chmodSync(tool, 0o755);
      const [s] = await fx.h.call('sessions.create', {
        name: 'uninstalled',
        repoPath: fx.repo.path,
        program: tool,
        autoStart: false,
      });
      rmSync(tool);
      await fx.h.call('sessions.start', { sessionId: s.id });
      const failed = await waitFor('the start to fail', async () => {
        const x = await get(s.id);
        return x.status === 'error' ? x : null;
      });
      expect(failed.pid).toBeNull();
      expect(failed.errorReason).toMatch(new RegExp(`^Could not start \`${tool}\`: `));
      const said = notices().filter((n) => JSON.stringify(n).includes('could not start'));
      expect(said).toEqual([
        expect.objectContaining({ kind: 'error', sessionId: s.id, title: 'uninstalled could not start' }),
      ]);
    } finally {
      await bin.cleanup();
    }
  });

  it('a queued session waits for a slot; terminated while queued it never starts; one whose worktree vanished fails when its turn comes', async () => {
    await fx.h.engine.settings.update({ maxRunning: 1 });
    const create = async (name: string) =>
      (await fx.h.call('sessions.create', { name, repoPath: fx.repo.path, program: 'sleep', args: ['600'] }))[0];
    const first = await create('first');
    await waitFor('the first to run', async () => (await get(first.id)).pid);
    const dropped = await create('dropped');
    const vanished = await create('vanished');
    expect((await get(dropped.id)).status).toBe('queued');
    expect((await get(vanished.id)).status).toBe('queued');

    const terminated = await fx.h.call('sessions.terminate', { sessionId: dropped.id });
    expect(terminated.status).toBe('terminated');
    rmSync(vanished.worktreePath, { recursive: true, force: true });

    // The slot frees: the terminated one is skipped, the next one fails on its missing folder.
    await fx.h.call('sessions.stop', { sessionId: first.id });
    const failed = await waitFor('the vanished one to fail', async () => {
      const x = await get(vanished.id);
      return x.status === 'error' ? x : null;
    });
    expect(failed.errorReason).toBe(
      `Could not start \`${failed.program}\`: \`${vanished.worktreePath}\` is not a folder — the session's worktree may have been removed.`,
    );
    const gone = await get(dropped.id);
    expect(gone).toMatchObject({ status: 'terminated', pid: null, startedAt: null });
  });

  it('a prompt typed into a plain shell runs once the shell is ready for input', async () => {
    const [s] = await fx.h.call('sessions.create', {
      name: 'typed',
      repoPath: fx.repo.path,
      program: 'bash',
      args: ['--norc', '--noprofile'],
      prompt: 'echo typed-$((6*7))',
      typePrompt: true,
    });
    expect(s.promptDelivery).toBe('typed');
    await waitFor('the prompt to have run', async () =>
      ((await fx.h.engine.terminals.serialize(s.id)) ?? '').includes('typed-42'),
    );
    expect((await get(s.id)).promptSent).toBe(true);
  });
});

import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine, type Harness } from '../../support/engine-harness';
import { makeTempDir, makeTempRepo, type TempDir } from '../../support/temp-repo';
import { waitFor } from '../../support/wait-for';

// OpenCode files its conversations per project (every worktree of a repository shares one), so
// waking a session must pick the latest conversation whose folder is this worktree — asked of
// `opencode session list --format json` — or restart plainly when there is none or the answer is
// unreadable. A stand-in `opencode` prints its arguments and answers the list from a file.
let repo: TempDir;
let bin: TempDir;
let h: Harness;

beforeEach(async () => {
  repo = await makeTempRepo();
  bin = await makeTempDir('ms-opencode-');
  writeFileSync(
    join(bin.path, 'opencode'),
    [
      '#!/bin/sh',
      'if [ "$1" = session ] && [ "$2" = list ]; then exec cat "$FAKE_OPENCODE_SESSIONS"; fi',
      'echo "opencode args: $*"',
      'exec sleep 600',
      '',
    ].join('\n'),
  );
  chmodSync(join(bin.path, 'opencode'), 0o755);
  h = await openEngine({ terminals: 'in-process' });
});
afterEach(async () => {
  await h.close();
  await repo.cleanup();
  await bin.cleanup();
});

const screen = async (id: string) => (await h.engine.terminals.serialize(id)) ?? '';

describe('waking an OpenCode session', () => {
  it('continues the latest conversation of its own worktree; restarts when none is listed or the list is unreadable', async () => {
    const sessions = join(bin.path, 'sessions.json');
    const [s] = await h.call('sessions.create', {
      name: 'oc',
      repoPath: repo.path,
      program: join(bin.path, 'opencode'),
      env: { FAKE_OPENCODE_SESSIONS: sessions },
    });
    expect(s.agent).toBe('opencode');
    await waitFor('the first run', async () => (await screen(s.id)).includes('opencode args:'));

    const sleepWake = async () => {
      expect((await h.call('sessions.hibernate', { sessionId: s.id })).status).toBe('hibernated');
      await h.call('sessions.wake', { sessionId: s.id });
      return waitFor('the program to run again', async () => {
        const x = await h.call('sessions.get', { sessionId: s.id });
        return x.pid !== null && x.restoredAs !== null ? x : null;
      });
    };

    writeFileSync(
      sessions,
      JSON.stringify([
        { id: 'ses_other_worktree', directory: join(repo.path, '..', 'elsewhere'), time: { updated: 9e12 } },
        { id: 'ses_older', directory: s.worktreePath, time: { updated: 1000 } },
        { id: 'ses_latest', directory: s.worktreePath, time: { created: 2000 } },
      ]),
    );
    expect((await sleepWake()).restoredAs).toBe('resumed');
    await waitFor('the resume arguments', async () =>
      /opencode args:.*--session ses_latest\s*$/m.test(await screen(s.id)),
    );

    writeFileSync(sessions, JSON.stringify([{ id: 'ses_other_worktree', directory: '/elsewhere' }]));
    expect((await sleepWake()).restoredAs).toBe('restarted');

    writeFileSync(sessions, 'not json');
    const restarted = await sleepWake();
    expect(restarted.restoredAs).toBe('restarted');
    expect(await screen(s.id)).not.toMatch(/--session ses_other_worktree/);
  });
});

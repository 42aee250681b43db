import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEngineWithRepo } from '../../support/engine-fixture';
import { runGit } from '../../support/temp-repo';

// What pause and resume refuse, each with a typed error and nothing changed: a session with no
// folder to pause, a folder that is not on the session's branch or holds submodules, and a
// paused session whose branch was deleted meanwhile. (The round trip itself: session-pause.test.ts.)
const fx = useEngineWithRepo({ engine: { terminals: 'in-process' } });

const create = async (name: string) =>
  (await fx.h.call('sessions.create', { name, repoPath: fx.repo.path, program: 'bash', autoStart: false }))[0];
const tip = async (branch: string) => (await runGit(fx.repo.path, ['rev-parse', branch])).trim();
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

describe('pause refuses', () => {
  it('a terminated session, and one whose folder was deleted: INVALID_STATE', async () => {
    const gone = await create('terminated');
    await fx.h.call('sessions.terminate', { sessionId: gone.id });
    expect(code(await fx.h.request('sessions.pause', { sessionId: gone.id }))).toBe('INVALID_STATE');

    const folderless = await create('folderless');
    rmSync(folderless.worktreePath, { recursive: true, force: true });
    const r = await fx.h.request('sessions.pause', { sessionId: folderless.id });
    expect(code(r)).toBe('INVALID_STATE');
    expect(r.ok ? '' : r.error.message).toMatch(/has no worktree folder to pause/);
    expect((await fx.h.call('sessions.get', { sessionId: folderless.id })).status).toBe('stopped');
  });

  it('a folder on another branch, or with submodules: NOT_PAUSABLE naming each reason, branch and folder untouched', async () => {
    const s = await create('elsewhere');
    const before = await tip(s.branch);
    await runGit(s.worktreePath, ['switch', '-q', '-c', 'side-work']);
    writeFileSync(join(s.worktreePath, '.gitmodules'), '[submodule "lib"]\n\tpath = lib\n\turl = ../lib\n');
    const r = await fx.h.request('sessions.pause', { sessionId: s.id });
    expect(code(r)).toBe('NOT_PAUSABLE');
    const message = r.ok ? '' : r.error.message;
    expect(message).toMatch(new RegExp(`its folder is not on the branch ${s.branch} \\(refs/heads/side-work\\)`));
    expect(message).toMatch(/it has submodules/);
    expect(message).toMatch(/Nothing was changed\.$/);
    expect(await tip(s.branch)).toBe(before);
    expect((await runGit(s.worktreePath, ['branch', '--show-current'])).trim()).toBe('side-work');
    expect((await fx.h.call('sessions.get', { sessionId: s.id })).status).toBe('stopped');
  });
});

describe('resume refuses', () => {
  it('a paused session whose branch was deleted meanwhile: BRANCH_NOT_FOUND, still paused', async () => {
    const s = await create('branchless');
    writeFileSync(join(s.worktreePath, 'work.txt'), 'kept on the branch\n');
    expect((await fx.h.call('sessions.pause', { sessionId: s.id })).status).toBe('paused');
    await runGit(fx.repo.path, ['branch', '-D', s.branch]);
    const r = await fx.h.request('sessions.resume', { sessionId: s.id });
    expect(code(r)).toBe('BRANCH_NOT_FOUND');
    expect((await fx.h.call('sessions.get', { sessionId: s.id })).status).toBe('paused');
  });
});

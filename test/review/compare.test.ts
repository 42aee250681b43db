import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { waitFor } from '../support/wait-for';
import { commitFiles, lines, newSession, rev, write } from './review-support';

let h: Harness;
let repo: TempDir;

beforeEach(async () => {
  h = await openEngine();
  repo = await makeTempRepo({ files: { 'app.txt': lines(), 'README.md': '# app\n' }, branches: ['dev'] });
});
afterEach(async () => {
  await h.close();
  await repo.cleanup();
});

describe('fan-out groups', () => {
  it('copies made together share a group id that survives a restart; a single session has none', async () => {
    const copies = await newSession(h, repo.path, 'Try it', { copies: 3 });
    const groups = new Set(copies.map((s) => s.groupId));
    expect(groups.size).toBe(1);
    expect([...groups][0]).toMatch(/^[0-9a-f]{12}$/);
    const [single] = await newSession(h, repo.path, 'Alone');
    expect(single.groupId).toBeNull();
    // A mix of agents is several creates with one group id from the caller.
    const [mixed] = await h.call('sessions.create', {
      name: 'Mix',
      repoPath: repo.path,
      program: 'bash',
      autoStart: false,
      groupId: copies[0].groupId!,
    });
    expect(mixed.groupId).toBe(copies[0].groupId);
    const home = h.home;
    await h.close();
    h = await openEngine({ home });
    const again = await h.call('sessions.list', {});
    expect(again.filter((s) => s.groupId === copies[0].groupId)).toHaveLength(4);
  });

  it('compare shows each candidate: diffstat, files, latest batch run, run time; shared files listed', async () => {
    const [a, b, c] = await newSession(h, repo.path, 'Candidate', { copies: 3, base: 'dev' });
    await commitFiles(a.worktreePath, { 'app.txt': lines({ 1: 'a' }), 'a.txt': 'a\n' }, 'a');
    await commitFiles(b.worktreePath, { 'app.txt': lines({ 2: 'b', 3: 'b' }) }, 'b');
    await write(c.worktreePath, { 'c.txt': 'c1\nc2\n' });
    const batch = await h.call('batch.run', {
      selector: { sessionIds: [a.id, b.id] },
      command: 'git',
      args: ['log', '--oneline', '-1'],
    });
    await waitFor(
      'the batch to finish',
      async () => (await h.call('batch.get', { batchId: batch.id })).status === 'done',
    );

    const cmp = await h.call('review.compare', { groupId: a.groupId! });
    expect(cmp.entries.map((e) => e.sessionId)).toEqual([a.id, b.id, c.id]);
    const [ea, eb, ec] = cmp.entries;
    expect(ea).toMatchObject({ ahead: 1, additions: 2, deletions: 1, uncommitted: 0, merged: false, error: null });
    expect(ea.files.map((f) => f.path)).toEqual(['a.txt', 'app.txt']);
    expect(eb).toMatchObject({ additions: 2, deletions: 2 });
    expect(ec).toMatchObject({ ahead: 0, additions: 2, uncommitted: 1 });
    expect(ea.latestRun).toMatchObject({
      batchId: batch.id,
      command: 'git log --oneline -1',
      exitCode: 0,
      timedOut: false,
    });
    expect(ea.latestRun?.outputTail).toContain(' a\n');
    expect(ec.latestRun).toBeNull();
    expect(ea.costUsd).toBeNull();
    expect(cmp.sharedFiles).toEqual(['app.txt']);
    const unknown = await h.request('review.compare', { groupId: 'nope' });
    expect(unknown.ok ? null : unknown.error.code).toBe('NOT_FOUND');
  });

  it('pick this one: merges it, terminates the others through the removal check, keeping their branches', async () => {
    const [a, b, c] = await newSession(h, repo.path, 'Candidate', { copies: 3, base: 'dev' });
    await commitFiles(a.worktreePath, { 'a.txt': 'a\n' }, 'a');
    await commitFiles(b.worktreePath, { 'b.txt': 'b\n' }, 'b');
    // C holds uncommitted work: the removal check must keep it.
    await write(c.worktreePath, { 'unsaved.txt': 'work in progress\n' });
    const bTip = await rev(repo.path, b.branch);
    const r = await h.call('review.pick', { sessionId: a.id, terminateOthers: true });
    expect(r.merge).toMatchObject({ sessionId: a.id, base: 'dev' });
    expect(await runGit(repo.path, ['show', 'dev:a.txt'])).toBe('a\n');
    expect(r.terminated).toEqual([b.id]);
    expect(r.kept).toHaveLength(1);
    expect(r.kept[0].sessionId).toBe(c.id);
    expect(r.kept[0].reason).toMatch(/uncommitted|untracked/);
    expect(existsSync(c.worktreePath)).toBe(true);
    expect((await h.call('sessions.get', { sessionId: b.id })).status).toBe('terminated');
    // B's branch and commits are still there.
    expect(await rev(repo.path, b.branch)).toBe(bTip);
    const cmp = await h.call('review.compare', { groupId: a.groupId! });
    expect(cmp.entries.find((e) => e.sessionId === a.id)?.merged).toBe(true);
    expect(cmp.entries.find((e) => e.sessionId === b.id)?.error).toMatch(/terminated/);
  });

  it('pick refuses a session that is not part of a group, and changes nothing', async () => {
    const [single] = await newSession(h, repo.path, 'Alone', { base: 'dev' });
    await commitFiles(single.worktreePath, { 'x.txt': 'x\n' }, 'x');
    const before = await rev(repo.path, 'dev');
    const r = await h.request('review.pick', { sessionId: single.id, terminateOthers: true });
    expect(r.ok ? null : r.error.code).toBe('BAD_INPUT');
    expect(await rev(repo.path, 'dev')).toBe(before);
  });
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/domain';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { commitFiles, lines, newOne, rev, status, write } from './review-support';

let h: Harness;
let repo: TempDir;
let remoteDir: TempDir;
let origin: string;
let other: string;

/**
 * The user's clone tracks `origin/main` (a local bare repository); a second clone pushes to origin
 * behind the user's back, so only a fetch can tell the session it is behind.
 */
beforeEach(async () => {
  h = await openEngine();
  repo = await makeTempRepo({ files: { 'app.txt': lines(), 'README.md': '# app\n' } });
  remoteDir = await makeTempDir('ms-origin-');
  origin = join(remoteDir.path, 'origin.git');
  await runGit(remoteDir.path, ['clone', '--quiet', '--bare', repo.path, origin]);
  await runGit(repo.path, ['remote', 'add', 'origin', origin]);
  await runGit(repo.path, ['fetch', '--quiet', 'origin']);
  await runGit(repo.path, ['branch', '--quiet', '--set-upstream-to=origin/main', 'main']);
  other = join(remoteDir.path, 'other');
  await runGit(remoteDir.path, ['clone', '--quiet', origin, other]);
  await runGit(other, ['config', 'user.name', 'Other']);
  await runGit(other, ['config', 'user.email', 'other@multisession.invalid']);
});
afterEach(async () => {
  await h.close();
  await repo.cleanup();
  await remoteDir.cleanup();
});

async function pushFromOther(files: Record<string, string>, message: string): Promise<string> {
  const sha = await commitFiles(other, files, message);
  await runGit(other, ['push', '--quiet', 'origin', 'main']);
  return sha;
}

async function sessionEditing(line: number): Promise<Session> {
  const s = await newOne(h, repo.path, `edit line ${line}`, 'main');
  await commitFiles(s.worktreePath, { 'app.txt': lines({ [line]: `session line ${line}` }) }, `session edits ${line}`);
  return s;
}

describe('update from base', () => {
  it('fetches a base with a remote first: behind counts what origin has, and a rebase brings it in', async () => {
    const s = await sessionEditing(2);
    const pushed = await pushFromOther({ 'app.txt': lines({ 9: 'origin line 9' }) }, 'origin edits 9');
    const offline = await h.call('review.baseStatus', { sessionId: s.id, fetch: false });
    expect(offline).toMatchObject({ ahead: 1, behind: 0, fetched: false });
    const st = await h.call('review.baseStatus', { sessionId: s.id });
    expect(st).toMatchObject({
      base: 'main',
      baseRef: 'origin/main',
      remote: 'origin',
      fetched: true,
      ahead: 1,
      behind: 1,
    });
    const r = await h.call('review.update', { sessionId: s.id });
    expect(r.outcome).toBe('updated');
    expect(r.status).toMatchObject({ ahead: 1, behind: 0, operation: null, strategy: 'rebase' });
    // Rebased: linear on top of origin's commit, no merge commit.
    expect(await rev(s.worktreePath, 'HEAD~1')).toBe(pushed);
    const text = await readFile(join(s.worktreePath, 'app.txt'), 'utf8');
    expect(text).toContain('session line 2');
    expect(text).toContain('origin line 9');
  });

  it('a fetch that fails is reported, and the status still answers from what is known', async () => {
    const s = await sessionEditing(2);
    await runGit(repo.path, ['remote', 'set-url', 'origin', join(remoteDir.path, 'gone.git')]);
    const st = await h.call('review.baseStatus', { sessionId: s.id });
    expect(st.fetched).toBe(false);
    expect(st.fetchError).toBeTruthy();
    expect(st.ahead).toBe(1);
  });

  it('merge strategy (repository setting) makes a merge commit', async () => {
    await h.call('settings.update', { repoSettings: { [repo.path]: { updateStrategy: 'merge' } } });
    const s = await sessionEditing(2);
    await pushFromOther({ 'app.txt': lines({ 9: 'origin line 9' }) }, 'origin edits 9');
    const r = await h.call('review.update', { sessionId: s.id });
    expect(r.outcome).toBe('updated');
    expect(r.status.strategy).toBe('merge');
    expect((await runGit(s.worktreePath, ['rev-list', '--parents', '-n', '1', 'HEAD'])).trim().split(' ')).toHaveLength(
      3,
    );
  });

  it('rebase with conflicts stops with the files; abort restores the branch exactly', async () => {
    const s = await sessionEditing(5);
    const tip = await rev(s.worktreePath, 'HEAD');
    await pushFromOther({ 'app.txt': lines({ 5: 'origin line 5' }) }, 'origin edits 5');
    const r = await h.call('review.update', { sessionId: s.id });
    expect(r.outcome).toBe('conflicts');
    expect(r.status.operation?.kind).toBe('rebase');
    expect(r.status.conflicts).toEqual([{ path: 'app.txt', kind: 'both-modified' }]);
    const changes = await h.call('review.changes', { sessionId: s.id });
    expect(changes.conflicts.map((c) => c.path)).toEqual(['app.txt']);
    // Another update, a commit or a merge while stopped is refused.
    expect((await h.request('review.update', { sessionId: s.id })).ok).toBe(false);
    const merging = await h.request('review.merge', { sessionId: s.id });
    expect(merging.ok ? null : merging.error.code).toBe('INVALID_STATE');
    const aborted = await h.call('review.abort', { sessionId: s.id });
    expect(aborted.outcome).toBe('aborted');
    expect(aborted.status.operation).toBeNull();
    expect(await rev(s.worktreePath, 'HEAD')).toBe(tip);
    expect(await runGit(s.worktreePath, ['symbolic-ref', '--short', 'HEAD'])).toBe(`${s.branch}\n`);
    expect(await status(s.worktreePath)).toBe('');
  });

  it("rebase conflict resolved by keeping the session's version, then continued", async () => {
    const s = await sessionEditing(5);
    await pushFromOther({ 'app.txt': lines({ 5: 'origin line 5' }), 'other.txt': 'from origin\n' }, 'origin edits 5');
    await h.call('review.update', { sessionId: s.id });
    const resolved = await h.call('review.resolve', { sessionId: s.id, path: 'app.txt', take: 'session' });
    expect(resolved.status.conflicts).toEqual([]);
    const done = await h.call('review.continue', { sessionId: s.id });
    expect(done.outcome).toBe('updated');
    expect(done.status).toMatchObject({ behind: 0, ahead: 1, operation: null });
    const text = await readFile(join(s.worktreePath, 'app.txt'), 'utf8');
    expect(text).toContain('session line 5');
    expect(text).not.toContain('origin line 5');
    expect(await readFile(join(s.worktreePath, 'other.txt'), 'utf8')).toBe('from origin\n');
  });

  it("merge conflict resolved by keeping the base's version; an edit with markers left is refused", async () => {
    await h.call('settings.update', { repoSettings: { [repo.path]: { updateStrategy: 'merge' } } });
    const s = await sessionEditing(5);
    await commitFiles(s.worktreePath, { 'notes.txt': 'session notes\n' }, 'session notes');
    await pushFromOther({ 'app.txt': lines({ 5: 'origin line 5' }), 'notes.txt': 'origin notes\n' }, 'origin edits');
    const r = await h.call('review.update', { sessionId: s.id });
    expect(r.outcome).toBe('conflicts');
    expect(r.status.conflicts.map((c) => `${c.path}:${c.kind}`).sort()).toEqual([
      'app.txt:both-modified',
      'notes.txt:both-added',
    ]);
    const marked = await h.request('review.resolve', { sessionId: s.id, path: 'notes.txt', take: 'resolved' });
    expect(marked.ok ? null : marked.error.code).toBe('MERGE_CONFLICT');
    const early = await h.request('review.continue', { sessionId: s.id });
    expect(early.ok ? null : early.error.code).toBe('MERGE_CONFLICT');
    await h.call('review.resolve', { sessionId: s.id, path: 'app.txt', take: 'base' });
    await write(s.worktreePath, { 'notes.txt': 'session notes\norigin notes\n' });
    await h.call('review.resolve', { sessionId: s.id, path: 'notes.txt', take: 'resolved' });
    const done = await h.call('review.continue', { sessionId: s.id });
    expect(done.outcome).toBe('updated');
    expect(await readFile(join(s.worktreePath, 'app.txt'), 'utf8')).toContain('origin line 5');
    expect(await runGit(s.worktreePath, ['show', 'HEAD:notes.txt'])).toBe('session notes\norigin notes\n');
  });

  it('uncommitted changes block an update and nothing moves', async () => {
    const s = await sessionEditing(2);
    await pushFromOther({ 'app.txt': lines({ 9: 'origin' }) }, 'origin');
    await write(s.worktreePath, { 'README.md': 'dirty\n' });
    const tip = await rev(s.worktreePath, 'HEAD');
    const r = await h.request('review.update', { sessionId: s.id });
    expect(r.ok ? null : r.error.code).toBe('DIRTY_WORKTREE');
    expect(await rev(s.worktreePath, 'HEAD')).toBe(tip);
    expect(await status(s.worktreePath)).toBe(' M README.md\n');
  });

  it('an up-to-date session says so', async () => {
    const s = await sessionEditing(2);
    const r = await h.call('review.update', { sessionId: s.id, fetch: false });
    expect(r.outcome).toBe('up-to-date');
  });
});

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/domain';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { commitFiles, lines, newOne, rev, status, write } from './review-support';

let h: Harness;
let repo: TempDir;
let s: Session;

beforeEach(async () => {
  h = await openEngine();
  repo = await makeTempRepo({ files: { 'app.txt': lines(), 'README.md': '# app\n', 'old name.txt': 'moved\n' } });
  s = await newOne(h, repo.path, 'review me');
});
afterEach(async () => {
  await h.close();
  await repo.cleanup();
});

describe('commits on the session branch', () => {
  it('lists only what the base lacks, newest first, with author, time, files and renames', async () => {
    await commitFiles(repo.path, { 'base-only.txt': 'x\n' }, 'on main after the session started');
    await commitFiles(s.worktreePath, { 'app.txt': lines({ 2: 'two' }) }, 'first: edit app');
    await runGit(s.worktreePath, ['mv', 'old name.txt', 'new name.txt']);
    await commitFiles(s.worktreePath, { 'src/a b.ts': 'export {};\n' }, 'second: rename and add\n\nWith a body.');
    const list = await h.call('review.commits', { sessionId: s.id });
    expect(list.commits.map((c) => c.subject)).toEqual(['second: rename and add', 'first: edit app']);
    const [second, first] = list.commits;
    expect(second.body).toBe('With a body.');
    expect(second.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(second.sha.startsWith(second.shortSha) && second.shortSha.length < 40).toBe(true);
    expect(second.authorName).toBe('Multisession Test');
    expect(Math.abs(second.authoredAt - Date.now())).toBeLessThan(10 * 60_000);
    expect(second.files).toEqual([
      { path: 'new name.txt', oldPath: 'old name.txt', status: 'R', additions: 0, deletions: 0, binary: false },
      { path: 'src/a b.ts', oldPath: null, status: 'A', additions: 1, deletions: 0, binary: false },
    ]);
    expect(first.files).toEqual([
      { path: 'app.txt', oldPath: null, status: 'M', additions: 1, deletions: 1, binary: false },
    ]);
    expect(list.mergeBase).toBe(await rev(repo.path, 'main~1'));
    const limited = await h.call('review.commits', { sessionId: s.id, limit: 1 });
    expect(limited).toMatchObject({ truncated: true });
    expect(limited.commits).toHaveLength(1);
  });
});

describe('live changes: stage, unstage, discard, commit', () => {
  it('lists staged, unstaged and untracked files with counts', async () => {
    await write(s.worktreePath, { 'app.txt': lines({ 1: 'one', 2: 'two' }), 'notes/new.md': 'a\nb\nc\n' });
    await runGit(s.worktreePath, ['add', 'app.txt']);
    await write(s.worktreePath, { 'README.md': '# changed\n' });
    const c = await h.call('review.changes', { sessionId: s.id });
    expect(c.operation).toBeNull();
    expect(c.files.map((f) => [f.path, f.staged, f.unstaged, f.additions, f.deletions])).toEqual([
      ['README.md', '.', 'M', 1, 1],
      ['app.txt', 'M', '.', 2, 2],
      ['notes/new.md', '?', '?', 3, 0],
    ]);
  });

  it('stage and unstage move exactly the named files; unknown paths are refused', async () => {
    await write(s.worktreePath, { 'app.txt': lines({ 1: 'one' }), 'new.txt': 'n\n' });
    let c = await h.call('review.stage', { sessionId: s.id, paths: ['app.txt', 'new.txt'] });
    expect(c.files.map((f) => `${f.path}:${f.staged}${f.unstaged}`)).toEqual(['app.txt:M.', 'new.txt:A.']);
    c = await h.call('review.unstage', { sessionId: s.id, paths: ['new.txt'] });
    expect(c.files.map((f) => `${f.path}:${f.staged}${f.unstaged}`)).toEqual(['app.txt:M.', 'new.txt:??']);
    const bad = await h.request('review.stage', { sessionId: s.id, paths: ['README.md'] });
    expect(bad.ok ? null : bad.error.code).toBe('BAD_INPUT');
    const escape = await h.request('review.stage', { sessionId: s.id, paths: ['../outside'] });
    expect(escape.ok ? null : escape.error.code).toBe('BAD_INPUT');
    const option = await h.request('review.stage', { sessionId: s.id, paths: ['/etc/passwd'] });
    expect(option.ok ? null : option.error.code).toBe('BAD_INPUT');
  });

  it('discard removes only the listed files and keeps a recovery commit', async () => {
    await write(s.worktreePath, {
      'app.txt': lines({ 1: 'edited' }),
      'README.md': '# keep this edit\n',
      'scratch.txt': 'throw away\n',
      'added.txt': 'staged new file\n',
    });
    await runGit(s.worktreePath, ['add', 'added.txt']);
    const r = await h.call('review.discard', { sessionId: s.id, paths: ['app.txt', 'scratch.txt', 'added.txt'] });
    expect(r.discarded).toEqual(['app.txt', 'scratch.txt', 'added.txt']);
    expect(await status(s.worktreePath)).toBe(' M README.md\n');
    expect(existsSync(join(s.worktreePath, 'scratch.txt'))).toBe(false);
    expect(existsSync(join(s.worktreePath, 'added.txt'))).toBe(false);
    expect(await readFile(join(s.worktreePath, 'README.md'), 'utf8')).toBe('# keep this edit\n');
    // What was thrown away can be brought back from the recovery commit.
    expect(r.recoveryCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(await runGit(s.worktreePath, ['show', `${r.recoveryCommit}:scratch.txt`])).toBe('throw away\n');
    expect(await runGit(s.worktreePath, ['show', `${r.recoveryCommit}:app.txt`])).toContain('edited');
    expect(await rev(repo.path, `refs/multisession/discarded/${s.id}`)).toBe(r.recoveryCommit);
    const bad = await h.request('review.discard', { sessionId: s.id, paths: ['app.txt'] });
    expect(bad.ok ? null : bad.error.code).toBe('BAD_INPUT');
  });

  it('commit takes what is staged, or everything with all; an empty commit is refused', async () => {
    const empty = await h.request('review.commit', { sessionId: s.id, message: 'nothing' });
    expect(empty.ok ? null : empty.error.code).toBe('NOTHING_TO_COMMIT');
    const blank = await h.request('review.commit', { sessionId: s.id, message: '   ' });
    expect(blank.ok ? null : blank.error.code).toBe('BAD_INPUT');
    await write(s.worktreePath, { 'app.txt': lines({ 1: 'one' }), 'new.txt': 'n\n' });
    await h.call('review.stage', { sessionId: s.id, paths: ['app.txt'] });
    const c1 = await h.call('review.commit', { sessionId: s.id, message: 'Edit app\n\nBecause.' });
    expect(c1).toMatchObject({ subject: 'Edit app', body: 'Because.' });
    expect(c1.files.map((f) => f.path)).toEqual(['app.txt']);
    expect(await status(s.worktreePath)).toBe('?? new.txt\n');
    const c2 = await h.call('review.commit', { sessionId: s.id, message: 'Add new', all: true });
    expect(c2.files.map((f) => f.path)).toEqual(['new.txt']);
    expect(await status(s.worktreePath)).toBe('');
    expect(await rev(s.worktreePath, 'HEAD')).toBe(c2.sha);
  });
});

describe('diffs', () => {
  it('branch scope: committed, uncommitted and untracked since the base, one patch per file', async () => {
    await commitFiles(s.worktreePath, { 'app.txt': lines({ 3: 'three' }) }, 'edit');
    await write(s.worktreePath, { 'README.md': '# readme edit\n', 'untracked file.txt': 'u1\nu2\n' });
    const d = await h.call('review.diff', { sessionId: s.id });
    expect(d.files.map((f) => [f.path, f.status, f.additions, f.deletions])).toEqual([
      ['README.md', 'M', 1, 1],
      ['app.txt', 'M', 1, 1],
      ['untracked file.txt', '?', 2, 0],
    ]);
    for (const f of d.files) {
      expect(f.patch.startsWith('diff --git ')).toBe(true);
      expect(f.patch).toContain(f.path);
      expect(f.patch.match(/^diff --git /gm)).toHaveLength(1);
    }
    expect(d.files[1].patch).toContain('+three');
    expect(d.files[2].patch).toContain('+u2');
  });

  it('staged, unstaged and commit scopes show their own side', async () => {
    const sha = await commitFiles(s.worktreePath, { 'app.txt': lines({ 3: 'committed' }) }, 'edit');
    await write(s.worktreePath, { 'app.txt': lines({ 3: 'committed', 4: 'staged' }) });
    await runGit(s.worktreePath, ['add', 'app.txt']);
    await write(s.worktreePath, { 'app.txt': lines({ 3: 'committed', 4: 'staged', 5: 'unstaged' }) });
    const staged = await h.call('review.diff', { sessionId: s.id, scope: 'staged' });
    expect(staged.files[0].patch).toContain('+staged');
    expect(staged.files[0].patch).not.toContain('+unstaged');
    const unstaged = await h.call('review.diff', { sessionId: s.id, scope: 'unstaged' });
    expect(unstaged.files[0].patch).toContain('+unstaged');
    expect(unstaged.files[0].patch).not.toContain('+staged');
    const commit = await h.call('review.diff', { sessionId: s.id, scope: 'commit', commit: sha });
    expect(commit.files[0].patch).toContain('+committed');
    const missing = await h.request('review.diff', { sessionId: s.id, scope: 'commit' });
    expect(missing.ok ? null : missing.error.code).toBe('BAD_INPUT');
    const unknown = await h.request('review.diff', { sessionId: s.id, scope: 'commit', commit: 'abcdef1234' });
    expect(unknown.ok ? null : unknown.error.code).toBe('NOT_FOUND');
  });
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { commitFiles, lines, newOne, rev, status, write } from './review-support';

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

const worktreeCount = async () =>
  (await runGit(repo.path, ['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree '))
    .length;

/** The base `dev` (not checked out anywhere) moves on line 9 while the session changes line 2. */
async function divergedOnDev(sessionLine = 2, baseLine = 9) {
  const s = await newOne(h, repo.path, 'feature', 'dev');
  await commitFiles(s.worktreePath, { 'app.txt': lines({ [sessionLine]: 'session edit' }) }, 'session: edit app');
  await commitFiles(s.worktreePath, { 'new.txt': 'added by the session\n' }, 'session: add new.txt');
  // Another clone of history: move dev with a commit made in a scratch worktree of the repository.
  const scratch = join(repo.path, '..', 'scratch');
  await runGit(repo.path, ['worktree', 'add', '--quiet', scratch, 'dev']);
  await commitFiles(scratch, { 'app.txt': lines({ [baseLine]: 'base edit' }) }, 'base: edit app');
  await runGit(repo.path, ['worktree', 'remove', scratch]);
  return s;
}

describe('merging a session into its base', () => {
  it('merge commit into a base that is not checked out: a ref update with both parents', async () => {
    const s = await divergedOnDev();
    const before = await rev(repo.path, 'dev');
    const mainBefore = await rev(repo.path, 'main');
    const r = await h.call('review.merge', { sessionId: s.id, strategy: 'merge' });
    expect(r).toMatchObject({
      strategy: 'merge',
      base: 'dev',
      before,
      via: 'ref-update',
      baseCheckout: null,
      commits: 2,
    });
    const parents = (await runGit(repo.path, ['rev-list', '--parents', '-n', '1', 'dev'])).trim().split(' ');
    expect(parents.slice(1)).toEqual([before, await rev(repo.path, s.branch)]);
    const merged = await runGit(repo.path, ['show', 'dev:app.txt']);
    expect(merged).toContain('session edit');
    expect(merged).toContain('base edit');
    expect(await runGit(repo.path, ['show', 'dev:new.txt'])).toBe('added by the session\n');
    // The user's checkout (main) saw nothing.
    expect(await rev(repo.path, 'main')).toBe(mainBefore);
    expect(await status(repo.path)).toBe('');
    expect((await h.call('review.state', { sessionId: s.id })).merged?.after).toBe(r.after);
  });

  it('squash: one new commit on the base with the combined change and the session as its message', async () => {
    const s = await divergedOnDev();
    const before = await rev(repo.path, 'dev');
    const r = await h.call('review.merge', { sessionId: s.id, strategy: 'squash' });
    expect(r.via).toBe('ref-update');
    const parents = (await runGit(repo.path, ['rev-list', '--parents', '-n', '1', 'dev'])).trim().split(' ');
    expect(parents.slice(1)).toEqual([before]);
    const message = await runGit(repo.path, ['log', '-1', '--format=%B', 'dev']);
    expect(message).toContain('* session: edit app');
    expect(message).toContain('* session: add new.txt');
    expect(await runGit(repo.path, ['show', 'dev:app.txt'])).toContain('session edit');
  });

  it('rebase onto a base that moved: replayed in a temporary worktree, linear, and nothing left behind', async () => {
    const s = await divergedOnDev();
    const before = await rev(repo.path, 'dev');
    const wtBefore = await worktreeCount();
    const r = await h.call('review.merge', { sessionId: s.id, strategy: 'rebase' });
    expect(r.via).toBe('temporary-worktree');
    const history = (await runGit(repo.path, ['rev-list', '--parents', `${before}..dev`])).trim().split('\n');
    expect(history).toHaveLength(2);
    for (const line of history) expect(line.split(' ')).toHaveLength(2);
    expect(await runGit(repo.path, ['log', '-2', '--format=%s', 'dev'])).toBe(
      'session: add new.txt\nsession: edit app\n',
    );
    expect(await worktreeCount()).toBe(wtBefore);
    // The session branch itself is left as it was.
    expect(await rev(repo.path, s.branch)).not.toBe(await rev(repo.path, 'dev'));
  });

  it('rebase when the base has not moved is a fast-forward to the session tip', async () => {
    const s = await newOne(h, repo.path, 'ff', 'dev');
    const tip = await commitFiles(s.worktreePath, { 'x.txt': 'x\n' }, 'add x');
    const r = await h.call('review.merge', { sessionId: s.id, strategy: 'rebase' });
    expect(r).toMatchObject({ via: 'ref-update', after: tip });
    expect(await rev(repo.path, 'dev')).toBe(tip);
  });

  for (const strategy of ['merge', 'squash', 'rebase'] as const) {
    it(`a conflicting ${strategy} is refused with the files and changes nothing`, async () => {
      const s = await divergedOnDev(5, 5);
      const before = await rev(repo.path, 'dev');
      const wtBefore = await worktreeCount();
      const r = await h.request('review.merge', { sessionId: s.id, strategy });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('MERGE_CONFLICT');
      expect(r.error.details?.files).toEqual(['app.txt']);
      expect(r.error.message).toMatch(/update the session from dev/);
      expect(await rev(repo.path, 'dev')).toBe(before);
      expect(await worktreeCount()).toBe(wtBefore);
      expect(await status(s.worktreePath)).toBe('');
    });
  }

  it('a clean checkout of the base is fast-forwarded with it (files and ref together)', async () => {
    const s = await newOne(h, repo.path, 'on main', 'main');
    await commitFiles(s.worktreePath, { 'app.txt': lines({ 2: 'session edit' }) }, 'session edit');
    await commitFiles(repo.path, { 'app.txt': lines({ 9: 'base edit' }) }, 'base edit in the checkout');
    const r = await h.call('review.merge', { sessionId: s.id, strategy: 'merge' });
    expect(r.via).toBe('checkout-fast-forward');
    expect(r.baseCheckout).toBe(repo.path);
    expect(await rev(repo.path, 'HEAD')).toBe(r.after);
    expect(await status(repo.path)).toBe('');
    const onDisk = await readFile(join(repo.path, 'app.txt'), 'utf8');
    expect(onDisk).toContain('session edit');
    expect(onDisk).toContain('base edit');
  });

  it('a dirty checkout of the base is never touched: refused, ref, index and files unchanged', async () => {
    const s = await newOne(h, repo.path, 'on dirty main', 'main');
    await commitFiles(s.worktreePath, { 'new.txt': 'from session\n' }, 'session adds a file');
    await write(repo.path, { 'README.md': '# app — edited by the user, not committed\n' });
    await runGit(repo.path, ['add', 'README.md']);
    await write(repo.path, { 'app.txt': lines({ 3: 'unstaged user edit' }) });
    const head = await rev(repo.path, 'HEAD');
    const st = await status(repo.path);
    const index = await runGit(repo.path, ['ls-files', '--stage']);
    for (const strategy of ['merge', 'squash', 'rebase'] as const) {
      const r = await h.request('review.merge', { sessionId: s.id, strategy });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('BASE_CHECKOUT_DIRTY');
        expect(r.error.details?.checkout).toBe(repo.path);
      }
    }
    expect(await rev(repo.path, 'HEAD')).toBe(head);
    expect(await status(repo.path)).toBe(st);
    expect(await runGit(repo.path, ['ls-files', '--stage'])).toBe(index);
    expect(await readFile(join(repo.path, 'app.txt'), 'utf8')).toContain('unstaged user edit');
  });

  it('uncommitted work in the session is not silently left out', async () => {
    const s = await newOne(h, repo.path, 'wip', 'dev');
    await commitFiles(s.worktreePath, { 'a.txt': 'a\n' }, 'a');
    await write(s.worktreePath, { 'b.txt': 'not committed\n' });
    const r = await h.request('review.merge', { sessionId: s.id });
    expect(r.ok ? null : r.error.code).toBe('DIRTY_WORKTREE');
    const ok = await h.call('review.merge', { sessionId: s.id, ignoreUncommitted: true });
    expect(await runGit(repo.path, ['ls-tree', '--name-only', ok.after])).not.toContain('b.txt');
  });

  it('nothing to merge, a terminated session and an unknown strategy are typed refusals', async () => {
    const s = await newOne(h, repo.path, 'empty', 'dev');
    const r = await h.request('review.merge', { sessionId: s.id });
    expect(r.ok ? null : r.error.code).toBe('NOTHING_TO_COMMIT');
    const bad = await h.request('review.merge', { sessionId: s.id, strategy: 'octopus' as never });
    expect(bad.ok ? null : bad.error.code).toBe('BAD_INPUT');
    await h.call('sessions.terminate', { sessionId: s.id });
    const gone = await h.request('review.merge', { sessionId: s.id });
    expect(gone.ok ? null : gone.error.code).toBe('INVALID_STATE');
  });

  it('the repository setting picks the strategy', async () => {
    const s = await divergedOnDev();
    await h.call('settings.update', { repoSettings: { [repo.path]: { mergeStrategy: 'squash' } } });
    const r = await h.call('review.merge', { sessionId: s.id });
    expect(r.strategy).toBe('squash');
  });
});

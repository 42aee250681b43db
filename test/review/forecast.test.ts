import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RepoForecast } from '../../src/shared/review';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';
import { commitFiles, lines, newOne, status, write } from './review-support';

let h: Harness;
let repo: TempDir;

beforeEach(async () => {
  h = await openEngine();
  repo = await makeTempRepo({
    files: { 'app.txt': lines(), 'lib/util.txt': lines(), 'docs/guide.md': '# guide\n', 'README.md': '# app\n' },
  });
});
afterEach(async () => {
  await h.close();
  await repo.cleanup();
});

const pair = (f: RepoForecast, a: string, b: string) =>
  f.pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a));

describe('conflict forecast', () => {
  it('pairs that touch the same lines conflict, others do not; uncommitted work counts; nothing is checked out', async () => {
    const a = await newOne(h, repo.path, 'A');
    const b = await newOne(h, repo.path, 'B');
    const c = await newOne(h, repo.path, 'C');
    const d = await newOne(h, repo.path, 'D');
    // A commits a change to line 3 of app.txt; B has the same line changed but not committed.
    await commitFiles(a.worktreePath, { 'app.txt': lines({ 3: 'A was here' }) }, 'A edits app');
    await write(b.worktreePath, { 'app.txt': lines({ 3: 'B was here' }) });
    // C edits another line of the same file (merges cleanly with both), D another file.
    await commitFiles(c.worktreePath, { 'app.txt': lines({ 9: 'C was here' }) }, 'C edits app');
    await write(d.worktreePath, { 'docs/guide.md': '# guide by D\n', 'docs/new.md': 'new\n' });
    const before = await Promise.all([a, b, c, d].map((s) => status(s.worktreePath)));

    const [f] = await h.call('review.forecast', { repoPath: repo.path });
    expect(f.sessionIds).toEqual([a.id, b.id, c.id, d.id]);
    expect(pair(f, a.id, b.id)).toMatchObject({ conflict: true, files: ['app.txt'] });
    expect(pair(f, a.id, c.id)).toMatchObject({ conflict: false });
    expect(pair(f, b.id, c.id)).toMatchObject({ conflict: false });
    for (const x of [a, b, c]) expect(pair(f, x.id, d.id)).toMatchObject({ conflict: false, files: [] });
    expect(f.pairs).toHaveLength(6);
    expect(f.vsBase.every((v) => !v.conflict && v.behind === 0)).toBe(true);
    expect(f.skipped).toEqual([]);
    // D touches nothing the others do: it can go first; A and B must be serialised.
    const order = f.order.map((o) => o.sessionId);
    expect(order.indexOf(d.id)).toBeLessThan(Math.max(order.indexOf(a.id), order.indexOf(b.id)));
    const second = f.order.find((o) => o.sessionId === (order.indexOf(a.id) > order.indexOf(b.id) ? a.id : b.id));
    expect(second?.reason).toMatch(/update from the base and resolve app\.txt/);
    // The worktrees, their index and the user's checkout are exactly as they were.
    expect(await Promise.all([a, b, c, d].map((s) => status(s.worktreePath)))).toEqual(before);
    expect(await status(repo.path)).toBe('');
  });

  it('against the base: a session conflicts once the base changes the same lines', async () => {
    const a = await newOne(h, repo.path, 'A');
    await commitFiles(a.worktreePath, { 'lib/util.txt': lines({ 4: 'A' }) }, 'A edits util');
    let [f] = await h.call('review.forecast', {});
    expect(f.vsBase).toEqual([{ sessionId: a.id, conflict: false, files: [], behind: 0 }]);
    await commitFiles(repo.path, { 'README.md': '# app, edited on main\n' }, 'main: readme');
    [f] = await h.call('review.forecast', {});
    expect(f.vsBase[0]).toMatchObject({ conflict: false, behind: 1 });
    await commitFiles(repo.path, { 'lib/util.txt': lines({ 4: 'main' }) }, 'main: util');
    [f] = await h.call('review.forecast', {});
    expect(f.vsBase[0]).toMatchObject({ conflict: true, files: ['lib/util.txt'], behind: 2 });
    expect(f.order[0].reason).toMatch(/Conflicts with its base in lib\/util\.txt/);
  });

  it('a file on one side where the other has a folder is caught although no path is shared', async () => {
    const a = await newOne(h, repo.path, 'A');
    const b = await newOne(h, repo.path, 'B');
    await commitFiles(a.worktreePath, { out: 'a file called out\n' }, 'A adds file out');
    await commitFiles(b.worktreePath, { 'out/report.txt': 'in a folder called out\n' }, 'B adds out/report.txt');
    const [f] = await h.call('review.forecast', {});
    expect(pair(f, a.id, b.id)?.conflict).toBe(true);
  });

  it('answers from its cache until something changes, and skips sessions mid-update', async () => {
    const a = await newOne(h, repo.path, 'A');
    const b = await newOne(h, repo.path, 'B');
    await commitFiles(a.worktreePath, { 'app.txt': lines({ 1: 'A' }) }, 'A');
    await commitFiles(b.worktreePath, { 'app.txt': lines({ 1: 'B' }) }, 'B');
    const [first] = await h.call('review.forecast', {});
    expect(first.checksRun).toBe(1);
    const [second] = await h.call('review.forecast', {});
    expect(second.checksRun).toBe(0);
    expect(second.pairs).toEqual(first.pairs);
    // B stops in a rebase with a conflict: it is reported as skipped, with why.
    await commitFiles(repo.path, { 'app.txt': lines({ 1: 'main' }) }, 'main');
    await h.call('review.update', { sessionId: b.id, fetch: false });
    const [third] = await h.call('review.forecast', {});
    expect(third.skipped).toEqual([{ sessionId: b.id, reason: 'an update from its base is in progress' }]);
    expect(third.sessionIds).toEqual([a.id]);
    await h.call('review.abort', { sessionId: b.id });
    expect(await runGit(b.worktreePath, ['status', '--porcelain'])).toBe('');
  });
});

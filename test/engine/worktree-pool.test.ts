import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openEngine, type Harness } from '../support/engine-harness';
import { makeTempRepo, runGit, type TempDir } from '../support/temp-repo';

let h: Harness | null = null;
let repo: TempDir | null = null;

afterEach(async () => {
  await h?.close();
  await repo?.cleanup();
  h = null;
  repo = null;
});

/** A repository and an engine whose pool prepares as soon as it is asked (no idle wait). */
async function setup(files: number | Record<string, string> = 20): Promise<{ h: Harness; repo: TempDir }> {
  repo = await makeTempRepo({ files });
  h = await openEngine({ pool: { idleMs: 0 } });
  return { h, repo };
}

const create = async (hh: Harness, repoPath: string, name: string) =>
  (await hh.call('sessions.create', { name, repoPath, program: 'sh', autoStart: false }))[0];

/** The worktree's git admin dir name: git keeps it when a worktree moves, so it tells where a worktree came from. */
const adminName = (worktree: string) =>
  basename(
    readFileSync(join(worktree, '.git'), 'utf8')
      .replace(/^gitdir:\s*/, '')
      .trim(),
  );

const listed = async (repoPath: string) =>
  (await runGit(repoPath, ['worktree', 'list', '--porcelain']))
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));

describe('warm worktree pool', () => {
  test('a create claims a warm worktree of its base, which is then replenished', async () => {
    const { h, repo } = await setup();
    await create(h, repo.path, 'first');
    await h.engine.pool.maintainNow();
    const warm = h.engine.pool.paths();
    expect(warm).toHaveLength(2);
    for (const p of warm) {
      expect(readFileSync(join(p, 'file-1.txt'), 'utf8')).toBeTruthy();
      expect((await runGit(p, ['status', '--porcelain'])).trim()).toBe('');
    }
    const adminNames = warm.map(adminName);

    const s = await create(h, repo.path, 'second');
    // The session's worktree is one of the warm ones, moved to the session's own path.
    const from = warm[adminNames.indexOf(adminName(s.worktreePath))];
    expect(from).toBeDefined();
    expect(existsSync(from)).toBe(false);
    expect(h.engine.pool.paths()).not.toContain(from);
    expect((await runGit(s.worktreePath, ['symbolic-ref', 'HEAD'])).trim()).toBe(`refs/heads/${s.branch}`);
    expect((await runGit(s.worktreePath, ['status', '--porcelain'])).trim()).toBe('');
    expect(readFileSync(join(s.worktreePath, 'file-20.txt'), 'utf8')).toBeTruthy();
    expect(await listed(repo.path)).toContain(s.worktreePath);
    // Pool worktrees are no sessions.
    expect((await h.call('sessions.list', {})).map((x) => x.name).sort()).toEqual(['first', 'second']);

    await h.engine.pool.maintainNow();
    expect(h.engine.pool.paths()).toHaveLength(2);
    const st = await h.call('pool.status', {});
    expect(st.repos).toEqual([
      expect.objectContaining({ repoRoot: repo.path, baseBranch: 'main', ready: 2, preparing: 0, target: 2 }),
    ]);
    expect(st.usedBytes).toBeGreaterThan(0);
  });

  test('when the base moves, warm worktrees follow it, and a claim made before the refresh still gets the new tip', async () => {
    const { h, repo } = await setup();
    await create(h, repo.path, 'first');
    await h.engine.pool.maintainNow();
    const oldTip = (await runGit(repo.path, ['rev-parse', 'main'])).trim();

    await writeFile(join(repo.path, 'new.txt'), 'landed on main\n');
    await runGit(repo.path, ['add', 'new.txt']);
    await runGit(repo.path, ['commit', '-q', '-m', 'new file on main']);
    const newTip = (await runGit(repo.path, ['rev-parse', 'main'])).trim();
    expect(newTip).not.toBe(oldTip);

    // Claimed before any refresh: the warm worktree is at the old tip and must catch up.
    const early = await create(h, repo.path, 'early');
    expect((await runGit(early.worktreePath, ['rev-parse', 'HEAD'])).trim()).toBe(newTip);
    expect(readFileSync(join(early.worktreePath, 'new.txt'), 'utf8')).toBe('landed on main\n');
    expect((await runGit(early.worktreePath, ['status', '--porcelain'])).trim()).toBe('');

    await h.engine.pool.maintainNow();
    for (const p of h.engine.pool.paths()) {
      expect((await runGit(p, ['rev-parse', 'HEAD'])).trim()).toBe(newTip);
      expect(existsSync(join(p, 'new.txt'))).toBe(true);
    }
  });

  test('stops preparing at the disk budget and says so', async () => {
    const { h, repo } = await setup({ 'big.bin': 'x'.repeat(3 * 1024 * 1024), 'a.txt': 'a\n' });
    const s = await h.call('settings.get', {});
    await h.call('settings.update', { pool: { ...s.pool, size: 5, diskBudgetMb: 5 } });
    await create(h, repo.path, 'first');
    await h.engine.pool.maintainNow();
    // One checkout is ~3 MB: a second one would pass 5 MB.
    expect(h.engine.pool.paths()).toHaveLength(1);
    const st = await h.call('pool.status', {});
    expect(st.budgetReached).toBe(true);
    expect(st.usedBytes).toBeLessThanOrEqual(st.budgetBytes);
  });

  test('cleanup leaves warm worktrees to the pool; emptying the pool removes them through git and keeps one holding files', async () => {
    const { h, repo } = await setup();
    await create(h, repo.path, 'first');
    await h.engine.pool.maintainNow();
    const [a, b] = h.engine.pool.paths();
    const preview = await h.call('cleanup.preview', {});
    const mentioned = [...preview.removed, ...preview.kept].map((i) => i.path);
    expect(mentioned).not.toContain(a);
    expect(mentioned).not.toContain(b);

    writeFileSync(join(b, 'somebody-was-here.txt'), 'not ours\n');
    const r = await h.call('pool.drain', {});
    expect(r.removed).toEqual([a]);
    expect(r.kept).toEqual([{ path: b, reason: expect.stringContaining('git refused') }]);
    expect(existsSync(a)).toBe(false);
    expect(readFileSync(join(b, 'somebody-was-here.txt'), 'utf8')).toBe('not ours\n');
    expect(await listed(repo.path)).not.toContain(a);
  });

  test('a preparation cut short by a crash is removed on the next start, a finished one is kept', async () => {
    const { h: first, repo } = await setup();
    await create(first, repo.path, 'first');
    await first.engine.pool.maintainNow();
    const [ready] = first.engine.pool.paths();
    // The state a crash leaves mid-preparation: registered without checkout, marked, recorded as preparing.
    const half = join(ready, '..', 'cut-short');
    await runGit(repo.path, ['worktree', 'add', '--quiet', '--detach', '--no-checkout', half, 'main']);
    const admin = readFileSync(join(half, '.git'), 'utf8')
      .replace(/^gitdir:\s*/, '')
      .trim();
    writeFileSync(join(admin, 'multisession-pool'), `${half}\n`);
    const now = Date.now();
    await first.engine.db.run(
      `INSERT INTO pool_worktrees (path, repo_root, base_branch, rev, state, bytes, sparse, created_at, updated_at)
       VALUES (?, ?, 'main', 'x', 'preparing', 0, '', ?, ?)`,
      [half, repo.path, now, now],
    );
    const home = first.home;
    await first.close();
    h = await openEngine({ home, pool: { idleMs: 60_000 } });
    expect(existsSync(half)).toBe(false);
    expect(await listed(repo.path)).not.toContain(half);
    expect(h.engine.pool.paths()).toContain(ready);
    expect(existsSync(ready)).toBe(true);
  });

  test('a preparation killed before its marker: an empty folder and the worktree git registered at the recorded commit go; a folder not provably ours stays, still owned by its record', async () => {
    const { h: first, repo } = await setup();
    await create(first, repo.path, 'first');
    await first.engine.pool.maintainNow();
    const [ready] = first.engine.pool.paths();
    const rev = (await runGit(repo.path, ['rev-parse', 'main'])).trim();
    // Killed right after git registered it (no checkout, no marker yet).
    const registered = join(ready, '..', 'killed-after-add');
    await runGit(repo.path, ['worktree', 'add', '--quiet', '--detach', '--no-checkout', registered, rev]);
    // Killed before git wrote anything.
    const empty = join(ready, '..', 'killed-before-add');
    await mkdir(empty);
    // A folder with content that git does not list: not provably ours.
    const foreign = join(ready, '..', 'not-provably-ours');
    await mkdir(foreign);
    await writeFile(join(foreign, 'notes.txt'), 'keep me\n');
    const now = Date.now();
    for (const path of [registered, empty, foreign]) {
      await first.engine.db.run(
        `INSERT INTO pool_worktrees (path, repo_root, base_branch, rev, state, bytes, sparse, created_at, updated_at)
         VALUES (?, ?, 'main', ?, 'preparing', 0, '', ?, ?)`,
        [path, repo.path, rev, now, now],
      );
    }
    const home = first.home;
    await first.close();
    h = await openEngine({ home, pool: { idleMs: 60_000 } });
    expect(existsSync(registered)).toBe(false);
    expect(await listed(repo.path)).not.toContain(registered);
    expect(existsSync(empty)).toBe(false);
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('keep me\n');
    expect(h.engine.pool.paths()).toContain(foreign);
    expect(h.engine.pool.paths()).not.toContain(registered);
    expect(h.engine.pool.paths()).not.toContain(empty);
  });

  test('sparse checkout: sessions and warm worktrees of the repository hold only its folders', async () => {
    const files = { 'root.txt': 'r\n', 'app/a.txt': 'a\n', 'docs/d.txt': 'd\n', 'big/b.txt': 'b\n' };
    const { h, repo } = await setup(files);
    const s0 = await h.call('settings.get', {});
    await h.call('settings.update', { repoSettings: { [repo.path]: { sparse: ['app'] } } });
    const direct = await create(h, repo.path, 'direct');
    expect(readdirSync(direct.worktreePath).sort()).toEqual(['.git', 'app', 'root.txt']);
    await h.engine.pool.maintainNow();
    const warm = h.engine.pool.paths().map(adminName);
    for (const p of h.engine.pool.paths()) expect(readdirSync(p).sort()).toEqual(['.git', 'app', 'root.txt']);
    const s = await create(h, repo.path, 'pooled');
    expect(warm).toContain(adminName(s.worktreePath));
    expect(readdirSync(s.worktreePath).sort()).toEqual(['.git', 'app', 'root.txt']);
    expect(s0.pool.enabled).toBe(true);
  });

  test('a smaller size gives worktrees back; turned off for a repository, the pool empties it and creates take the normal path', async () => {
    const { h, repo } = await setup();
    await create(h, repo.path, 'first');
    await h.engine.pool.maintainNow();
    expect(h.engine.pool.paths()).toHaveLength(2);
    const s0 = await h.call('settings.get', {});
    await h.call('settings.update', { pool: { ...s0.pool, size: 1 } });
    await h.engine.pool.maintainNow();
    expect(h.engine.pool.paths()).toHaveLength(1);
    await h.call('settings.update', { repoSettings: { [repo.path]: { pool: false } } });
    await h.engine.pool.maintainNow();
    expect(h.engine.pool.paths()).toHaveLength(0);
    const s = await create(h, repo.path, 'normal');
    expect(adminName(s.worktreePath)).toBe(basename(s.worktreePath));
    await mkdir(join(s.worktreePath, 'x'));
  });
});

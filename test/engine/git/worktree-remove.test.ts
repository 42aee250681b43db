import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../../support/temp-repo';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { GitClient } from '../../../src/main/engine/git/git-client';
import { WorktreeService, type CreatedWorktree } from '../../../src/main/engine/git/worktree-service';

const cleanups: TempDir[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((d) => d.cleanup()));
});
async function track<T extends TempDir>(d: Promise<T>): Promise<T> {
  const v = await d;
  cleanups.push(v);
  return v;
}

async function setup(opts: { existingBranch?: string; branches?: string[] } = {}) {
  const repo = await track(makeTempRepo({ files: { 'a.txt': 'a\n' }, branches: opts.branches }));
  const root = await track(makeTempDir('ms-wt-'));
  const service = new WorktreeService({ git: new GitClient(), worktreeRoot: () => root.path, log: silentLogger });
  const created = await service.create({
    repoPath: repo.path,
    sessionId: 'abcdef0123456789',
    sessionName: 'Work',
    sessionType: 'general',
    branchTemplate: 'ms/{name}',
    copyInPatterns: [],
    existingBranch: opts.existingBranch,
  });
  const removal = (c: CreatedWorktree, over: { force?: boolean; deleteBranch?: boolean } = {}) => ({
    repoPath: repo.path,
    worktreePath: c.worktreePath,
    branch: c.branch,
    baseBranch: c.baseBranch,
    existingBranch: c.existingBranch,
    force: over.force ?? false,
    deleteBranch: over.deleteBranch ?? false,
  });
  return { repo, root, service, created, removal };
}

const hasBranch = async (repo: string, branch: string) =>
  (await runGit(repo, ['branch', '--list', branch])).trim().length > 0;

async function commitIn(cwd: string, file: string) {
  await writeFile(join(cwd, file), 'committed on the session branch\n');
  await runGit(cwd, ['add', '--all']);
  await runGit(cwd, ['commit', '--quiet', '-m', `add ${file}`]);
}

describe('WorktreeService.remove', () => {
  test('removes a clean worktree and keeps the branch by default', async () => {
    const { repo, root, service, created, removal } = await setup();
    const result = await service.remove(removal(created));
    expect(result).toMatchObject({ removedWorktree: true, deletedBranch: false });
    expect(result.keptBranchReason).toBeTruthy();
    expect(existsSync(created.worktreePath)).toBe(false);
    expect(await hasBranch(repo.path, created.branch)).toBe(true);
    expect(await service.listWorktrees(repo.path)).toHaveLength(1);
    expect(existsSync(root.path)).toBe(true);
  });

  test('deletes a merged branch on request', async () => {
    const { repo, service, created, removal } = await setup();
    const result = await service.remove(removal(created, { deleteBranch: true }));
    expect(result).toEqual({ removedWorktree: true, deletedBranch: true, keptBranchReason: null });
    expect(await hasBranch(repo.path, created.branch)).toBe(false);
  });

  test('refuses uncommitted changes, listing them; force discards them', async () => {
    const { service, created, removal } = await setup();
    await writeFile(join(created.worktreePath, 'a.txt'), 'edited\n');
    const err = await service.remove(removal(created)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DIRTY_WORKTREE', details: { uncommitted: 1, untracked: 0, paths: ['a.txt'] } });
    expect((err as Error).message).toContain('a.txt');
    expect(existsSync(join(created.worktreePath, 'a.txt'))).toBe(true);
    expect(await service.remove(removal(created, { force: true }))).toMatchObject({ removedWorktree: true });
    expect(existsSync(created.worktreePath)).toBe(false);
  });

  test('refuses a worktree whose only changes are untracked files', async () => {
    const { service, created, removal } = await setup();
    await writeFile(join(created.worktreePath, 'notes.md'), 'draft\n');
    await expect(service.remove(removal(created))).rejects.toMatchObject({
      code: 'DIRTY_WORKTREE',
      details: { untracked: 1, paths: ['notes.md'] },
    });
    expect(existsSync(join(created.worktreePath, 'notes.md'))).toBe(true);
  });

  test('refuses to delete a branch with commits not on its base; keeping or forcing works', async () => {
    const { repo, service, created, removal } = await setup();
    await commitIn(created.worktreePath, 'feature.txt');
    expect(await service.unmergedCommits(repo.path, created.branch, 'main')).toBe(1);
    const err = await service.remove(removal(created, { deleteBranch: true })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNMERGED_BRANCH', details: { commits: 1 } });
    expect(existsSync(created.worktreePath)).toBe(true);
    const forced = await service.remove(removal(created, { deleteBranch: true, force: true }));
    expect(forced).toMatchObject({ removedWorktree: true, deletedBranch: true });
    expect(await hasBranch(repo.path, created.branch)).toBe(false);
  });

  test('never deletes a pre-existing branch without force', async () => {
    const { repo, service, created, removal } = await setup({ branches: ['theirs'], existingBranch: 'theirs' });
    const kept = await service.remove(removal(created, { deleteBranch: true }));
    expect(kept).toMatchObject({ removedWorktree: true, deletedBranch: false });
    expect(kept.keptBranchReason).toContain('existed before');
    expect(await hasBranch(repo.path, 'theirs')).toBe(true);
    const again = await service.create({
      repoPath: repo.path,
      sessionId: 'fedcba9876543210',
      sessionName: 'again',
      sessionType: 'general',
      branchTemplate: '',
      copyInPatterns: [],
      existingBranch: 'theirs',
    });
    const forced = await service.remove(removal(again, { deleteBranch: true, force: true }));
    expect(forced.deletedBranch).toBe(true);
    expect(await hasBranch(repo.path, 'theirs')).toBe(false);
  });

  test('handles a worktree folder that was already deleted', async () => {
    const { repo, service, created, removal } = await setup();
    await rm(created.worktreePath, { recursive: true, force: true });
    expect((await service.listWorktrees(repo.path))[1]?.prunable).toBe(true);
    expect(await service.status(created.worktreePath)).toEqual({
      exists: false,
      dirty: false,
      uncommitted: 0,
      untracked: 0,
    });
    const result = await service.remove(removal(created, { deleteBranch: true }));
    expect(result).toMatchObject({ removedWorktree: true, deletedBranch: true });
    expect(await service.listWorktrees(repo.path)).toHaveLength(1);
  });

  test('refuses to treat the repository itself as a session worktree', async () => {
    const { repo, service, created, removal } = await setup();
    await expect(
      service.remove({ ...removal(created, { force: true, deleteBranch: true }), worktreePath: repo.path }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(existsSync(join(repo.path, 'a.txt'))).toBe(true);
  });
});

describe('WorktreeService.commitAll and status', () => {
  test('commits tracked and untracked changes, then reports clean', async () => {
    const { repo, service, created } = await setup();
    await writeFile(join(created.worktreePath, 'a.txt'), 'changed\n');
    await writeFile(join(created.worktreePath, 'new.txt'), 'new\n');
    expect(await service.status(created.worktreePath)).toEqual({
      exists: true,
      dirty: true,
      uncommitted: 1,
      untracked: 1,
    });
    const sha = await service.commitAll(created.worktreePath, 'save work: $(touch pwned)');
    expect(sha).toBe((await runGit(created.worktreePath, ['rev-parse', 'HEAD'])).trim());
    expect((await runGit(created.worktreePath, ['log', '-1', '--format=%s'])).trim()).toBe('save work: $(touch pwned)');
    expect(existsSync(join(created.worktreePath, 'pwned'))).toBe(false);
    expect((await service.status(created.worktreePath)).dirty).toBe(false);
    expect(await service.commitAll(created.worktreePath, 'nothing')).toBeNull();
    expect(await service.unmergedCommits(repo.path, created.branch, 'main')).toBe(1);
  });
});

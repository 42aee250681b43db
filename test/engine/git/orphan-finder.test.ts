import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeTempDir, makeTempRepo, type TempDir } from '../../support/temp-repo';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { GitClient } from '../../../src/main/engine/git/git-client';
import { WorktreeService } from '../../../src/main/engine/git/worktree-service';

const cleanups: TempDir[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((d) => d.cleanup()));
});
async function track<T extends TempDir>(d: Promise<T>): Promise<T> {
  const v = await d;
  cleanups.push(v);
  return v;
}

describe('WorktreeService.findOrphans', () => {
  test('finds unowned registered worktrees, missing ones and stray folders, but not owned ones', async () => {
    const repo = await track(makeTempRepo());
    const root = await track(makeTempDir('ms-wt-'));
    const service = new WorktreeService({ git: new GitClient(), worktreeRoot: () => root.path, log: silentLogger });
    const make = (sessionId: string, sessionName: string) =>
      service.create({
        repoPath: repo.path,
        sessionId,
        sessionName,
        sessionType: 'general',
        branchTemplate: 'ms/{name}',
        copyInPatterns: [],
      });
    const owned = await make('owned000', 'owned');
    const unowned = await make('unowned0', 'unowned');
    const vanished = await make('vanished', 'vanished');
    await rm(vanished.worktreePath, { recursive: true, force: true });
    const stray = join(dirname(owned.worktreePath), 'stray-folder');
    await mkdir(stray);
    await writeFile(join(stray, 'leftover.txt'), 'x\n');
    // A worktree git has forgotten (its admin entry pruned) but whose folder is still on disk.
    const forgotten = await make('forgot00', 'forgotten');
    await rm(join(repo.path, '.git', 'worktrees', 'ms-forgotten-forgot00'), { recursive: true, force: true });

    const orphans = await service.findOrphans({ knownWorktreePaths: [owned.worktreePath], repoPaths: [repo.path] });
    const byPath = new Map(orphans.map((o) => [o.path, o]));
    expect(byPath.has(owned.worktreePath)).toBe(false);
    expect(byPath.get(unowned.worktreePath)).toMatchObject({ repoPath: repo.path, registered: true });
    expect(byPath.get(vanished.worktreePath)).toMatchObject({
      registered: true,
      reason: expect.stringContaining('gone'),
    });
    expect(byPath.get(stray)).toMatchObject({ repoPath: null, registered: false });
    expect(byPath.get(forgotten.worktreePath)).toMatchObject({ repoPath: repo.path, registered: false });
    expect(orphans).toHaveLength(4);
  });

  test('an empty or missing worktree root has no orphans', async () => {
    const root = await track(makeTempDir('ms-wt-'));
    const service = new WorktreeService({
      git: new GitClient(),
      worktreeRoot: () => join(root.path, 'not-created-yet'),
      log: silentLogger,
    });
    expect(await service.findOrphans({ knownWorktreePaths: [], repoPaths: [] })).toEqual([]);
  });
});

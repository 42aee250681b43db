import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
const service = () =>
  new WorktreeService({ git: new GitClient(), worktreeRoot: () => '/nonexistent', log: silentLogger });

describe('WorktreeService.inspect', () => {
  test('describes a repository: root, branches, current branch, dirtiness, head', async () => {
    const repo = await track(makeTempRepo({ branches: ['dev', 'feature/x'], dirty: true, commits: 2 }));
    await mkdir(join(repo.path, 'sub'));
    await writeFile(join(repo.path, 'sub', 'new.txt'), 'untracked\n');
    const info = await service().inspect(join(repo.path, 'sub'));
    expect(info.root).toBe(repo.path);
    expect(info.name).toBe('repo');
    expect(info.currentBranch).toBe('main');
    expect(info.branches).toEqual(['dev', 'feature/x', 'main']);
    expect(info.dirty).toBe(true);
    expect(info.changedFiles).toBe(2);
    expect(info.headCommit).toMatch(/^[0-9a-f]{40}$/);
  });

  test('a clean repository is not dirty', async () => {
    const repo = await track(makeTempRepo());
    const info = await service().inspect(repo.path);
    expect(info).toMatchObject({ dirty: false, changedFiles: 0 });
  });

  test('a missing path or a file is NOT_A_DIRECTORY', async () => {
    const dir = await track(makeTempDir());
    await expect(service().inspect(join(dir.path, 'missing'))).rejects.toMatchObject({ code: 'NOT_A_DIRECTORY' });
    await writeFile(join(dir.path, 'file.txt'), 'x');
    await expect(service().inspect(join(dir.path, 'file.txt'))).rejects.toMatchObject({ code: 'NOT_A_DIRECTORY' });
  });

  test('a plain folder is NOT_A_REPOSITORY with a message naming it', async () => {
    const dir = await track(makeTempDir());
    const err = await service()
      .inspect(dir.path)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NOT_A_REPOSITORY' });
    expect((err as Error).message).toBe(`\`${dir.path}\` is not a git repository — pick a folder that contains .git.`);
  });

  test('a bare repository is BARE_REPOSITORY', async () => {
    const bare = await track(makeTempRepo({ bare: true }));
    await expect(service().inspect(bare.path)).rejects.toMatchObject({ code: 'BARE_REPOSITORY' });
  });

  test('a repository without commits is EMPTY_REPOSITORY', async () => {
    const empty = await track(makeTempRepo({ empty: true }));
    await expect(service().inspect(empty.path)).rejects.toMatchObject({ code: 'EMPTY_REPOSITORY' });
  });

  test("git's own .git folder is not accepted as a repository folder", async () => {
    const repo = await track(makeTempRepo());
    await expect(service().inspect(join(repo.path, '.git'))).rejects.toMatchObject({ code: 'NOT_A_REPOSITORY' });
  });
});

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../../support/temp-repo';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { GitClient } from '../../../src/main/engine/git/git-client';
import { PATCH_LIMIT } from '../../../src/main/engine/git/worktree-diff';
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

async function commit(cwd: string, files: Record<string, string>, message: string) {
  for (const [path, content] of Object.entries(files)) await writeFile(join(cwd, path), content);
  await runGit(cwd, ['add', '--all']);
  await runGit(cwd, ['commit', '--quiet', '-m', message]);
}

async function setup() {
  const repo = await track(makeTempRepo({ files: { 'a.txt': '1\n2\n3\n', 'z.txt': 'z\n' } }));
  const root = await track(makeTempDir('ms-wt-'));
  const service = new WorktreeService({ git: new GitClient(), worktreeRoot: () => root.path, log: silentLogger });
  const created = await service.create({
    repoPath: repo.path,
    sessionId: 'diff0000',
    sessionName: 'diff',
    sessionType: 'general',
    branchTemplate: 'ms/{name}',
    copyInPatterns: [],
  });
  return { repo, service, wt: created.worktreePath };
}

describe('WorktreeService.diff', () => {
  test('counts committed, uncommitted and untracked changes since the merge base', async () => {
    const { repo, service, wt } = await setup();
    await commit(wt, { 'a.txt': '1\nTWO\n3\n', 'c.txt': 'c1\nc2\n' }, 'branch work');
    await writeFile(join(wt, 'a.txt'), '1\nTWO\n3\n4\n');
    await writeFile(join(wt, 'u.txt'), 'untracked line\n');
    // Main moves on; its change must not show up as the session's work.
    await commit(repo.path, { 'z.txt': 'z changed on main\n' }, 'main work');

    const d = await service.diff(wt, 'main');
    expect(d).toMatchObject({ base: 'main', ahead: 1, behind: 1, additions: 5, deletions: 1, uncommitted: 2 });
    expect(d.files).toEqual([
      { path: 'a.txt', status: 'M', additions: 2, deletions: 1 },
      { path: 'c.txt', status: 'A', additions: 2, deletions: 0 },
      { path: 'u.txt', status: '?', additions: 1, deletions: 0 },
    ]);
    expect(d.patch).toContain('+TWO');
    expect(d.patch).toContain('+4');
    expect(d.patch).toContain('+untracked line');
    expect(d.patch).not.toContain('z changed on main');
    expect(d.patchTruncated).toBe(false);
  });

  test('an untouched worktree has an empty diff', async () => {
    const { service, wt } = await setup();
    expect(await service.diff(wt, 'main')).toEqual({
      base: 'main',
      ahead: 0,
      behind: 0,
      additions: 0,
      deletions: 0,
      files: [],
      uncommitted: 0,
      patch: '',
      patchTruncated: false,
    });
  });

  test('truncates a large patch at the limit and reports it', async () => {
    const { service, wt } = await setup();
    const big = Array.from({ length: 20_000 }, (_, i) => `line ${i} of a large generated file`).join('\n');
    await commit(wt, { 'big.txt': `${big}\n` }, 'big file');
    const d = await service.diff(wt, 'main');
    expect(d.patchTruncated).toBe(true);
    expect(d.patch.length).toBe(PATCH_LIMIT);
    expect(d.files).toEqual([{ path: 'big.txt', status: 'A', additions: 20_000, deletions: 0 }]);
  });

  test('a base that does not exist is BRANCH_NOT_FOUND', async () => {
    const { service, wt } = await setup();
    await expect(service.diff(wt, 'gone')).rejects.toMatchObject({ code: 'BRANCH_NOT_FOUND' });
  });
});

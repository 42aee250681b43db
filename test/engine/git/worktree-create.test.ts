import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../../support/temp-repo';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { GitClient } from '../../../src/main/engine/git/git-client';
import { WorktreeService, type CreateWorktreeRequest } from '../../../src/main/engine/git/worktree-service';
import { KeyedMutex } from '../../../src/main/engine/git/repo-lock';
import { Database } from '../../../src/main/engine/store/database';
import { RemovalService } from '../../../src/main/engine/safety/removal-service';
import { ensureWorktreeRoot } from '../../../src/main/engine/safety/worktree-root';

const cleanups: TempDir[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((d) => d.cleanup()));
});
async function track<T extends TempDir>(d: Promise<T>): Promise<T> {
  const v = await d;
  cleanups.push(v);
  return v;
}

async function setup(opts: Parameters<typeof makeTempRepo>[0] = {}) {
  const repo = await track(makeTempRepo(opts));
  const root = await track(makeTempDir('ms-wt-'));
  const service = new WorktreeService({ git: new GitClient(), worktreeRoot: () => root.path, log: silentLogger });
  let n = 0;
  const request = (over: Partial<CreateWorktreeRequest> = {}): CreateWorktreeRequest => ({
    repoPath: repo.path,
    sessionId: `session${String(++n).padStart(4, '0')}-uuid`,
    sessionName: 'Fix login',
    sessionType: 'general',
    branchTemplate: 'ms/{name}',
    copyInPatterns: [],
    ...over,
  });
  return { repo, root, service, request };
}

const branches = async (repo: string) =>
  (await runGit(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads'])).split('\n').filter(Boolean);
const worktreeCount = async (repo: string) =>
  (await runGit(repo, ['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree ')).length;
const sha = async (cwd: string, rev: string) => (await runGit(cwd, ['rev-parse', rev])).trim();

/** Session worktree folders under the root (`<root>/<repo-folder>/<worktree>`). */
async function worktreeFolders(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const group of await readdir(root)) out.push(...(await readdir(join(root, group))).map((f) => join(group, f)));
  return out;
}

async function expectNothingLeft(repo: string, root: string, branchesBefore: string[]) {
  expect(await worktreeCount(repo)).toBe(1);
  expect(await branches(repo)).toEqual(branchesBefore);
  expect(await worktreeFolders(root)).toEqual([]);
}

describe('WorktreeService.create', () => {
  test('creates a branch from the current branch in a worktree outside the repository', async () => {
    const { repo, root, service, request } = await setup({ commits: 2 });
    const steps: string[] = [];
    const created = await service.create(request({ onProgress: (step) => steps.push(step) }));
    expect(created).toMatchObject({
      repoRoot: repo.path,
      branch: 'ms/fix-login',
      baseBranch: 'main',
      existingBranch: false,
    });
    expect(dirname(dirname(created.worktreePath))).toBe(root.path);
    expect(basename(dirname(created.worktreePath))).toMatch(/^repo-[0-9a-f]{8}$/);
    expect(basename(created.worktreePath)).toBe('ms-fix-login-session0');
    expect(await sha(created.worktreePath, 'HEAD')).toBe(await sha(repo.path, 'main'));
    expect((await runGit(created.worktreePath, ['branch', '--show-current'])).trim()).toBe('ms/fix-login');
    expect(await worktreeCount(repo.path)).toBe(2);
    expect(steps[0]).toBe('validate');
    expect(steps.at(-1)).toBe('done');
  });

  test('creates from another base branch, and defaults to whatever branch is checked out', async () => {
    const { repo, service, request } = await setup({ branches: ['dev'] });
    await runGit(repo.path, ['checkout', '--quiet', 'dev']);
    await writeFile(join(repo.path, 'dev.txt'), 'dev work\n');
    await runGit(repo.path, ['add', '--all']);
    await runGit(repo.path, ['commit', '--quiet', '-m', 'dev commit']);
    const fromDefault = await service.create(request({ sessionName: 'on dev' }));
    expect(fromDefault.baseBranch).toBe('dev');
    expect(await sha(fromDefault.worktreePath, 'HEAD')).toBe(await sha(repo.path, 'dev'));
    const fromMain = await service.create(request({ sessionName: 'on main', baseBranch: 'main' }));
    expect(fromMain.baseBranch).toBe('main');
    expect(await sha(fromMain.worktreePath, 'HEAD')).toBe(await sha(repo.path, 'main'));
    expect(existsSync(join(fromMain.worktreePath, 'dev.txt'))).toBe(false);
  });

  test('works on an existing branch without creating one', async () => {
    const { repo, service, request } = await setup({ branches: ['feature/old'] });
    const before = await branches(repo.path);
    const created = await service.create(request({ existingBranch: 'feature/old' }));
    expect(created).toMatchObject({ branch: 'feature/old', existingBranch: true, baseBranch: 'main' });
    expect(await branches(repo.path)).toEqual(before);
    expect((await runGit(created.worktreePath, ['branch', '--show-current'])).trim()).toBe('feature/old');
  });

  test('refuses an existing branch that is missing or checked out elsewhere, leaving nothing', async () => {
    const { repo, root, service, request } = await setup({ branches: ['dev'] });
    const before = await branches(repo.path);
    await expect(service.create(request({ existingBranch: 'nope' }))).rejects.toMatchObject({
      code: 'BRANCH_NOT_FOUND',
    });
    const err = await service.create(request({ existingBranch: 'main' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BRANCH_EXISTS', details: { checkedOutAt: repo.path } });
    await expectNothingLeft(repo.path, root.path, before);
  });

  test('makes template names unique, also around branches that would clash as folders', async () => {
    const { repo, service, request } = await setup({ branches: ['ms/fix-login', 'ms/deep/x'] });
    const a = await service.create(request());
    const b = await service.create(request());
    const c = await service.create(request({ sessionName: 'Deep' }));
    expect([a.branch, b.branch, c.branch]).toEqual(['ms/fix-login-2', 'ms/fix-login-3', 'ms/deep-2']);
    expect(await branches(repo.path)).toEqual(expect.arrayContaining(['ms/fix-login-2', 'ms/fix-login-3']));
  });

  test('an explicit branch name is used as given, and refused when it exists', async () => {
    const { repo, root, service, request } = await setup({ branches: ['taken'] });
    const before = await branches(repo.path);
    await expect(service.create(request({ branchName: 'taken' }))).rejects.toMatchObject({ code: 'BRANCH_EXISTS' });
    await expectNothingLeft(repo.path, root.path, before);
    const created = await service.create(request({ branchName: 'Feature/Exact_Name' }));
    expect(created.branch).toBe('Feature/Exact_Name');
  });

  test('rejected branch names and bad bases leave nothing behind', async () => {
    const { repo, root, service, request } = await setup({ branches: ['dev'] });
    const before = await branches(repo.path);
    for (const bad of ['-rf', '--force', 'a..b', 'has space', 'new\nline', 'x.lock', '@{-1}', 'end/']) {
      const err = await service.create(request({ branchName: bad })).catch((e: unknown) => e);
      expect(err, JSON.stringify(bad)).toMatchObject({ code: 'INVALID_BRANCH_NAME' });
    }
    const err = await service.create(request({ baseBranch: 'nope' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BRANCH_NOT_FOUND' });
    expect((err as Error).message).toBe(`Base branch \`nope\` does not exist in ${repo.path} — pick one of: dev, main`);
    await expect(service.create(request({ baseBranch: '--orphan' }))).rejects.toMatchObject({
      code: 'BRANCH_NOT_FOUND',
    });
    await expectNothingLeft(repo.path, root.path, before);
  });

  test('hostile names and branches stay argv elements', async () => {
    const { repo, service, request } = await setup();
    const branch = 'x$(touch_pwned);ls|cat&&id`id`';
    const created = await service.create(
      request({ branchName: branch, sessionName: '$(touch pwned); `touch pwned` && touch pwned' }),
    );
    expect(created.branch).toBe(branch);
    expect(await branches(repo.path)).toContain(branch);
    const named = await service.create(request({ sessionName: '$(touch pwned); `touch pwned`\n| touch pwned' }));
    expect(named.branch).toBe('ms/touch-pwned-touch-pwned-touch-pwned');
    for (const dir of [repo.path, created.worktreePath, named.worktreePath, process.cwd()]) {
      expect(existsSync(join(dir, 'pwned'))).toBe(false);
    }
  });

  test('20 creates started at once on one repository all succeed with distinct branches', async () => {
    const { repo, service, request } = await setup();
    const results = await Promise.all(Array.from({ length: 20 }, () => service.create(request())));
    expect(new Set(results.map((r) => r.branch)).size).toBe(20);
    expect(new Set(results.map((r) => r.worktreePath)).size).toBe(20);
    expect(await worktreeCount(repo.path)).toBe(21);
  });

  test('creates and removes running at once on one repository do not disturb each other', async () => {
    const { repo, root, request } = await setup();
    const mutex = new KeyedMutex();
    const git = new GitClient();
    const service = new WorktreeService({ git, mutex, worktreeRoot: () => root.path, log: silentLogger });
    const db = await Database.open(join(await track(makeTempDir('ms-db-')).then((d) => d.path), 'db'));
    const removal = new RemovalService({ git, mutex, log: silentLogger, db, keepIgnoredPatterns: async () => [] });
    await ensureWorktreeRoot(root.path);
    const owned = (sessionId: string) => ({
      claim: (path: string) => removal.owned.claim(path, { sessionId, repoRoot: repo.path, worktreeRoot: root.path }),
      release: (path: string) => removal.owned.release(path),
    });
    const first = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        service.create(request({ sessionName: 'old', sessionId: `old${i}`, ownership: owned(`old${i}`) })),
      ),
    );
    const removals = first.map((c) =>
      removal.remove(
        { sessionId: null, repoPath: repo.path, worktreePath: c.worktreePath, branch: c.branch, existingBranch: false },
        true,
        null,
      ),
    );
    const creations = Array.from({ length: 20 }, () => service.create(request({ sessionName: 'new' })));
    const [removed, created] = await Promise.all([Promise.all(removals), Promise.all(creations)]);
    expect(removed.every((r) => r.removedWorktree && r.deletedBranch)).toBe(true);
    expect(new Set(created.map((c) => c.branch)).size).toBe(20);
    const listed = await service.listWorktrees(repo.path);
    expect(listed).toHaveLength(21);
    expect(listed.filter((w) => w.prunable)).toEqual([]);
    for (const c of created) expect(existsSync(join(c.worktreePath, '.git'))).toBe(true);
    await db.close();
  });

  test('50 creates started at once on one repository all succeed', async () => {
    const { repo, service, request } = await setup();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => service.create(request({ sessionName: i % 2 ? 'odd' : 'even' }))),
    );
    expect(new Set(results.map((r) => r.branch)).size).toBe(50);
    expect(await worktreeCount(repo.path)).toBe(51);
    expect(await branches(repo.path)).toHaveLength(51);
  });

  test('copies untracked local files in, skipping missing ones and links out of the repository', async () => {
    const outside = await track(makeTempDir());
    await writeFile(join(outside.path, 'secret.txt'), 'outside secret\n');
    const { repo, service, request } = await setup({
      files: { '.gitignore': '.env\n*.local.json\nlink.local.json\n', 'config/app.json': '{}\n' },
    });
    await writeFile(join(repo.path, '.env'), 'TOKEN=abc\n');
    await writeFile(join(repo.path, 'config', 'app.local.json'), '{"local":true}\n');
    await runGit(repo.path, ['status']);
    const { symlink } = await import('node:fs/promises');
    await symlink(join(outside.path, 'secret.txt'), join(repo.path, 'config', 'link.local.json'));
    const created = await service.create(request({ copyInPatterns: ['.env', '.env.local', 'config/*.local.json'] }));
    expect(await readFile(join(created.worktreePath, '.env'), 'utf8')).toBe('TOKEN=abc\n');
    expect(await readFile(join(created.worktreePath, 'config', 'app.local.json'), 'utf8')).toBe('{"local":true}\n');
    expect(existsSync(join(created.worktreePath, '.env.local'))).toBe(false);
    expect(existsSync(join(created.worktreePath, 'config', 'link.local.json'))).toBe(false);
  });

  test('streams setup script output through onProgress with the session environment', async () => {
    const { service, request } = await setup();
    const lines: string[] = [];
    const created = await service.create(
      request({
        setupScript: 'echo "one"; echo two >&2; echo "branch=$MULTISESSION_BRANCH"; printf "no newline"',
        onProgress: (step, message) => {
          if (step === 'setup') lines.push(message);
        },
      }),
    );
    expect(lines).toEqual(expect.arrayContaining(['one', 'two', `branch=${created.branch}`, 'no newline']));
  });

  test('a failing setup script removes the worktree, the branch and the folder', async () => {
    const { repo, root, service, request } = await setup();
    const before = await branches(repo.path);
    const lines: string[] = [];
    const err = await service
      .create(
        request({
          setupScript: 'echo preparing; touch made-by-setup; exit 3',
          onProgress: (step, message) => step === 'setup' && lines.push(message),
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_INPUT', details: { exitCode: 3 } });
    expect((err as Error).message).toContain('exited with code 3');
    expect(lines).toContain('preparing');
    await expectNothingLeft(repo.path, root.path, before);
  });
});

import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeTempDir, makeTempRepo, runGit, type TempDir } from '../../support/temp-repo';
import { AppError } from '../../../src/shared/errors';
import { GitClient } from '../../../src/main/engine/git/git-client';

const cleanups: TempDir[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((d) => d.cleanup()));
});
async function track<T extends TempDir>(d: Promise<T>): Promise<T> {
  const v = await d;
  cleanups.push(v);
  return v;
}

describe('GitClient', () => {
  test('returns stdout of a successful command', async () => {
    const repo = await track(makeTempRepo());
    const git = new GitClient();
    expect((await git.run(repo.path, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim()).toBe('main');
  });

  test('reports a non-zero exit even when git prints nothing', async () => {
    const repo = await track(makeTempRepo());
    const git = new GitClient();
    const r = await git.exec(repo.path, ['rev-parse', '--verify', '--quiet', 'refs/heads/nope']);
    expect(r.exitCode).toBe(1);
    await expect(git.run(repo.path, ['rev-parse', '--verify', '--quiet', 'refs/heads/nope'])).rejects.toMatchObject({
      code: 'GIT_ERROR',
    });
  });

  test('maps git failures to typed errors with actionable messages', async () => {
    const dir = await track(makeTempDir());
    const repo = await track(makeTempRepo({ branches: ['dev'] }));
    const git = new GitClient();
    const notRepo = await git.run(dir.path, ['status']).catch((e: unknown) => e);
    expect(notRepo).toBeInstanceOf(AppError);
    expect(notRepo).toMatchObject({ code: 'NOT_A_REPOSITORY' });
    expect((notRepo as AppError).message).toContain(`\`${dir.path}\` is not a git repository`);
    await expect(git.run(repo.path, ['branch', 'dev'])).rejects.toMatchObject({ code: 'BRANCH_EXISTS' });
    await expect(git.run(repo.path, ['branch', '-D', '--', 'missing'])).rejects.toMatchObject({
      code: 'BRANCH_NOT_FOUND',
    });
    await expect(git.run(join(dir.path, 'nope'), ['status'])).rejects.toMatchObject({ code: 'NOT_A_DIRECTORY' });
  });

  test('passes hostile strings as single argv elements, never through a shell', async () => {
    const parent = await track(makeTempDir());
    // A shell would create `pwned` in its working directory: the repository or the process cwd.
    const hostile = '$(touch pwned); touch pwned && `touch pwned` | touch pwned';
    const repoPath = join(parent.path, `r ${hostile}`);
    await mkdir(repoPath);
    const git = new GitClient();
    await git.run(repoPath, ['init', '--quiet', '-b', 'main']);
    await writeFile(join(repoPath, `f;${hostile}`), 'x\n');
    await git.run(repoPath, ['add', '--all']);
    const message = `msg ${hostile}\n; touch pwned`;
    await git.run(repoPath, ['-c', 'user.name=T', '-c', 'user.email=t@t.invalid', 'commit', '--quiet', '-m', message]);
    for (const dir of [parent.path, repoPath, process.cwd()]) expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(await runGit(repoPath, ['log', '-1', '--format=%B'])).toContain(message);
    expect(await runGit(repoPath, ['ls-files'])).toContain(`f;${hostile}`);
  });

  test('ignores an inherited GIT_DIR that would point git at another repository', async () => {
    const a = await track(makeTempRepo());
    const b = await track(makeTempRepo({ branches: ['only-in-b'] }));
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = join(b.path, '.git');
    try {
      const git = new GitClient();
      const out = await git.run(a.path, ['for-each-ref', '--format=%(refname:short)', 'refs/heads']);
      expect(out).not.toContain('only-in-b');
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
    }
  });

  test('limits concurrent git processes but completes all of them', async () => {
    const repo = await track(makeTempRepo());
    const git = new GitClient({ maxConcurrent: 2 });
    const outs = await Promise.all(Array.from({ length: 12 }, () => git.run(repo.path, ['rev-parse', 'HEAD'])));
    expect(new Set(outs.map((o) => o.trim())).size).toBe(1);
  });
});

import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeTempDir, type TempDir } from '../../support/temp-repo';
import { copyIn } from '../../../src/main/engine/git/copy-in';

const cleanups: TempDir[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((d) => d.cleanup()));
});

async function dirs() {
  const base = await makeTempDir();
  cleanups.push(base);
  const repo = join(base.path, 'repo');
  const worktree = join(base.path, 'worktree');
  const outside = join(base.path, 'outside');
  for (const d of [repo, worktree, outside]) await mkdir(d);
  await writeFile(join(outside, 'secret.txt'), 'outside\n');
  const put = async (root: string, rel: string, content = `${rel}\n`) => {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), content);
  };
  return { repo, worktree, outside, put };
}

describe('copyIn', () => {
  test('matches *, ? and ** patterns, and copies folders recursively', async () => {
    const { repo, worktree, put } = await dirs();
    await put(repo, '.env');
    await put(repo, '.env.local');
    await put(repo, 'config/a.local.json');
    await put(repo, 'config/deep/b.local.json');
    await put(repo, 'config/c.json');
    await put(repo, 'certs/dev/key.pem');
    const result = await copyIn(repo, worktree, ['.env*', 'config/**/*.local.json', 'certs', 'nothing-here', '']);
    expect(result.copied).toEqual(['.env', '.env.local', 'certs', 'config/a.local.json', 'config/deep/b.local.json']);
    expect(await readFile(join(worktree, 'certs/dev/key.pem'), 'utf8')).toBe('certs/dev/key.pem\n');
    expect(existsSync(join(worktree, 'config/c.json'))).toBe(false);
  });

  test('never overwrites what the worktree already has', async () => {
    const { repo, worktree, put } = await dirs();
    await put(repo, 'settings.json', 'from the repository\n');
    await put(worktree, 'settings.json', 'tracked version\n');
    const result = await copyIn(repo, worktree, ['settings.json']);
    expect(result.copied).toEqual([]);
    expect(result.skipped).toEqual([{ path: 'settings.json', reason: 'already present in the worktree' }]);
    expect(await readFile(join(worktree, 'settings.json'), 'utf8')).toBe('tracked version\n');
  });

  test('rejects patterns that leave the repository', async () => {
    const { repo, worktree, outside } = await dirs();
    const result = await copyIn(repo, worktree, ['../outside/secret.txt', join(outside, 'secret.txt')]);
    expect(result.copied).toEqual([]);
    expect(result.skipped).toHaveLength(2);
    expect(existsSync(join(worktree, 'secret.txt'))).toBe(false);
  });

  test('does not follow symlinks out of the repository, at the top or inside copied folders', async () => {
    const { repo, worktree, outside, put } = await dirs();
    await symlink(join(outside, 'secret.txt'), join(repo, '.env'));
    await symlink(outside, join(repo, 'linked-dir'));
    await put(repo, 'local/ok.txt');
    await symlink(join(outside, 'secret.txt'), join(repo, 'local', 'leak.txt'));
    await symlink('ok.txt', join(repo, 'local', 'inner-link.txt'));
    const result = await copyIn(repo, worktree, ['.env', 'linked-dir/secret.txt', 'local']);
    expect(result.copied).toEqual(['local']);
    expect(existsSync(join(worktree, '.env'))).toBe(false);
    expect(existsSync(join(worktree, 'linked-dir'))).toBe(false);
    expect(existsSync(join(worktree, 'local', 'leak.txt'))).toBe(false);
    expect(await readFile(join(worktree, 'local', 'ok.txt'), 'utf8')).toBe('local/ok.txt\n');
    expect((await lstat(join(worktree, 'local', 'inner-link.txt'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(worktree, 'local', 'inner-link.txt'))).toBe('ok.txt');
  });

  test('does not write through a worktree folder that links out of the worktree', async () => {
    const { repo, worktree, outside, put } = await dirs();
    await put(repo, 'conf/app.local.json');
    await symlink(outside, join(worktree, 'conf'));
    const result = await copyIn(repo, worktree, ['conf/app.local.json']);
    expect(result.copied).toEqual([]);
    expect(existsSync(join(outside, 'app.local.json'))).toBe(false);
  });
});

import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeTempDir, type TempDir } from '../../support/temp-repo';
import { completePath } from '../../../src/main/engine/git/path-completion';

const cleanups: TempDir[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((d) => d.cleanup()));
});

async function tree(): Promise<string> {
  const dir = await makeTempDir();
  cleanups.push(dir);
  for (const d of ['alpha', 'Alpine', 'beta', '.hidden']) await mkdir(join(dir.path, d));
  await writeFile(join(dir.path, 'alps.txt'), 'a file, not a folder');
  await symlink(join(dir.path, 'beta'), join(dir.path, 'alias-to-beta'));
  return dir.path;
}

describe('completePath', () => {
  test('completes child folders by prefix, case-insensitively, without files', async () => {
    const dir = await tree();
    expect(await completePath(join(dir, 'al'))).toEqual([
      join(dir, 'alias-to-beta'),
      join(dir, 'alpha'),
      join(dir, 'Alpine'),
    ]);
    expect(await completePath(join(dir, 'BE'))).toEqual([join(dir, 'beta')]);
  });

  test('lists all visible folders after a trailing slash; hidden ones only when asked for', async () => {
    const dir = await tree();
    expect(await completePath(`${dir}/`)).toEqual(
      ['alias-to-beta', 'alpha', 'Alpine', 'beta'].map((n) => join(dir, n)),
    );
    expect(await completePath(join(dir, '.h'))).toEqual([join(dir, '.hidden')]);
  });

  test('expands ~ and answers in the same form', async () => {
    const dir = await tree();
    const saved = process.env.HOME;
    process.env.HOME = dir;
    try {
      expect(await completePath('~/alp')).toEqual(['~/alpha', '~/Alpine']);
      expect(await completePath('~')).toEqual(['~/alias-to-beta', '~/alpha', '~/Alpine', '~/beta']);
    } finally {
      process.env.HOME = saved;
    }
  });

  test('relative, empty and missing paths have no completions; at most 50 are returned', async () => {
    const dir = await tree();
    expect(await completePath('relative/path')).toEqual([]);
    expect(await completePath('')).toEqual([]);
    expect(await completePath(join(dir, 'missing', 'x'))).toEqual([]);
    const many = join(dir, 'many');
    await mkdir(many);
    for (let i = 0; i < 60; i++) await mkdir(join(many, `d${String(i).padStart(2, '0')}`));
    expect(await completePath(`${many}/`)).toHaveLength(50);
  });
});

import { describe, expect, test } from 'vitest';
import {
  branchNameFromTemplate,
  branchSlug,
  checkRefFormat,
  withUniqueSuffix,
} from '../../../src/main/engine/git/branch-names';
import { GitClient } from '../../../src/main/engine/git/git-client';

const vars = { name: 'Fix Login Bug', type: 'code_generation', date: '2025-01-31' };

describe('branchNameFromTemplate', () => {
  test('fills the default template and sanitises the name', () => {
    expect(branchNameFromTemplate('', vars)).toBe('ms/fix-login-bug');
    expect(branchNameFromTemplate('ms/{name}', { name: '  Café   au   lait!! ', type: 'general' })).toBe(
      'ms/cafe-au-lait',
    );
  });

  test('supports {type}, {date} and {n}; drops unknown placeholders', () => {
    expect(branchNameFromTemplate('{type}/{name}-{date}', vars)).toBe('code-generation/fix-login-bug-2025-01-31');
    expect(branchNameFromTemplate('s{n}/{name}{nope}', { ...vars, n: 7 })).toBe('s7/fix-login-bug');
  });

  test('strips characters git rejects and shell metacharacters', () => {
    const name = branchNameFromTemplate('ms/{name}', {
      name: 'a..b ~c^d:e?f*g[h\\i $(rm -rf x) `id`; ls | cat && echo\nnext.lock',
      type: 'general',
    });
    expect(name).not.toMatch(/[\s~^:?*[\\$`;|&()]|\.\.|\.lock$/);
    expect(name.startsWith('ms/a')).toBe(true);
  });

  test('never starts with "-" or ".", never ends with "/" or ".", and falls back for empty names', () => {
    expect(branchNameFromTemplate('{name}', { name: '--.-hidden.', type: 'general' })).toBe('hidden');
    expect(branchNameFromTemplate('ms/{name}', { name: '🙂🙂', type: 'general' })).toBe('ms/session');
    expect(branchNameFromTemplate('/{name}/', { name: 'x', type: 'general' })).toBe('x');
  });

  test('is at most 80 characters, also with a unique suffix', () => {
    const long = branchNameFromTemplate('ms/{name}', { name: 'word '.repeat(40), type: 'general' });
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith('-')).toBe(false);
    const suffixed = withUniqueSuffix(long, 12);
    expect(suffixed.length).toBeLessThanOrEqual(80);
    expect(suffixed.endsWith('-12')).toBe(true);
    expect(withUniqueSuffix('ms/x', 1)).toBe('ms/x');
    expect(withUniqueSuffix('ms/x', 2)).toBe('ms/x-2');
  });

  test('every generated name passes git check-ref-format', async () => {
    const git = new GitClient();
    const names = ['Ünïcödé naïve', '日本語 セッション', 'a/b\\c', '....', 'x.lock', '@{-1}', 'HEAD', '-rf'];
    for (const name of names) {
      const branch = branchNameFromTemplate('ms/{name}', { name, type: 'general' });
      expect(await checkRefFormat(git, branch), branch).toBe(true);
    }
  });
});

describe('checkRefFormat', () => {
  test('accepts normal names and rejects what git or our rules reject', async () => {
    const git = new GitClient();
    expect(await checkRefFormat(git, 'feature/login')).toBe(true);
    expect(await checkRefFormat(git, 'x$(touch_y);ls|cat&&id`id`')).toBe(true);
    for (const bad of ['', '-rf', 'a..b', 'a b', 'a~1', 'a:b', 'x.lock', 'a\nb', '@{-1}', 'end/', 'HEAD']) {
      expect(await checkRefFormat(git, bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('branchSlug', () => {
  test('turns a branch into one folder name', () => {
    expect(branchSlug('ms/fix-login')).toBe('ms-fix-login');
    expect(branchSlug('///')).toBe('branch');
  });
});

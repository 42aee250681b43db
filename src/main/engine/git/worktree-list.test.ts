import { describe, expect, test } from 'vitest';
import { parseWorktreeList } from './worktree-list';

describe('parseWorktreeList', () => {
  test('reads NUL-separated records, including detached, locked, prunable and odd paths', () => {
    const out = [
      'worktree /repo',
      'HEAD aaaa',
      'branch refs/heads/main',
      '',
      'worktree /wt/with space\nand newline',
      'HEAD bbbb',
      'detached',
      'locked reason here',
      '',
      'worktree /wt/gone',
      'HEAD cccc',
      'branch refs/heads/ms/x',
      'prunable gitdir file points to non-existent location',
      '',
      '',
    ].join('\0');
    expect(parseWorktreeList(out)).toEqual([
      { path: '/repo', head: 'aaaa', branch: 'main', prunable: false, bare: false, locked: false },
      { path: '/wt/with space\nand newline', head: 'bbbb', branch: null, prunable: false, bare: false, locked: true },
      { path: '/wt/gone', head: 'cccc', branch: 'ms/x', prunable: true, bare: false, locked: false },
    ]);
  });

  test('an empty listing has no entries', () => {
    expect(parseWorktreeList('')).toEqual([]);
  });
});
